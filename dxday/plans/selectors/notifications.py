"""A unit's in-app notifications."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from dxday.orgs.permissions import Actor

from ..models import Notification

# --- Notifications ----------------------------------------------------------------------------


def notification_list_for_actor(actor: Actor) -> QuerySet[Notification]:
    if actor.organisation is None:
        return Notification.objects.none()
    return Notification.objects.filter(organisation=actor.organisation).select_related("assignment")


def notification_unread_count(actor: Actor) -> int:
    return notification_list_for_actor(actor).filter(read_at=None).count()
