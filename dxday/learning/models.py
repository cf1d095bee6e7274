"""Tables of the learning capability."""
