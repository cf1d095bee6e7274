"""Tables of the identity capability."""
