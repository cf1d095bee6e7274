"""Notifications sent after an orgs service has finished (never the domain flow itself)."""

from django.dispatch import Signal

# Sent with `organisations=[Organisation, ...]` after units join the tree (one or many, e.g.
# create-local-orgs or an import). plans listens, so a new unit receives its groups' open tasks.
organisations_created = Signal()
