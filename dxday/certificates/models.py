"""Tables of the certificates capability."""
