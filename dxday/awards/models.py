"""Tables of the awards capability."""
