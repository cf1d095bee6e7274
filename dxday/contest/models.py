"""Tables of the contest capability."""
