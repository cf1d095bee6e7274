"""Signals plans sends after its services have finished (never the domain flow itself)."""

from django.dispatch import Signal

# Sent once the transaction that wrote event notifications has committed; PlansConfig.ready
# connects the receiver that queues their e-mails (so the services never import the tasks).
notifications_committed = Signal()
