"""Every write made through a service records who, what, when and the changed fields."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry


class AuditActor(Protocol):
    """Who acts, as the audit log needs it: the user and the organisation they act for.
    (`dxday.orgs.permissions.Actor` is one; core names no app above it.)"""

    @property
    def user(self) -> Any: ...

    @property
    def organisation_id(self) -> int | None: ...


# Fields whose values are never copied into the audit log (personal data, secrets).
_REDACTED = {"password", "key_hash", "phone", "id_number", "household_hash"}
# Keys derived from other fields (core.text search and sort keys): noise in a trail.
_DERIVED = {"search_key", "name_sort"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # an empty file field has no url: use its name
        return value.name or None
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Concrete field values of an instance, to diff after a change."""
    return {
        f.attname: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.attname not in _REDACTED and f.attname not in _DERIVED
    }


def diff(before: dict[str, Any], instance: models.Model) -> dict[str, list]:
    """{field: [old, new]} for the fields that changed since `before`."""
    after = snapshot(instance)
    return {
        k: [before.get(k), v]
        for k, v in after.items()
        if before.get(k) != v and k not in {"updated_at"}
    }


def audit(
    instance: models.Model,
    action: str,
    *,
    by: AuditActor | None,
    changes: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. `action` is a dotted code such as ``plans.task.assigned``."""
    if changes is None:
        changes = {}
    changes = {k: v for k, v in _plain(changes).items() if k not in _REDACTED}
    return AuditEntry.objects.create(
        user=by.user if by is not None and by.user.pk else None,
        acting_organisation_id=by.organisation_id if by is not None else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


def audit_bulk(
    model: type[models.Model],
    action: str,
    entries: list[tuple[Any, str, dict]],
    *,
    by: AuditActor | None,
) -> None:
    """One audit entry per (pk, repr, changes), written in one bulk INSERT: a national deadline
    passes for thousands of communes at once, and a loader creates thousands of units."""
    if not entries:
        return
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    user = by.user if by is not None and by.user.pk else None
    acting = by.organisation_id if by is not None else None
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                acting_organisation_id=acting,
                action=action,
                content_type=ct,
                object_id=str(pk),
                object_repr=str(text)[:300],
                changes={k: v for k, v in _plain(changes).items() if k not in _REDACTED},
            )
            for pk, text, changes in entries
        ],
        batch_size=500,
    )


def audit_created(instance: models.Model, action: str, *, by: AuditActor | None) -> AuditEntry:
    return audit(
        instance,
        action,
        by=by,
        changes={
            k: [None, v] for k, v in snapshot(instance).items() if v not in (None, "", [], {})
        },
    )


def audit_trail(instance: models.Model):
    """The audit entries of one object, newest first."""
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(instance.pk)).select_related(
        "user"
    )


def audit_saved(
    instance: models.Model, before: dict[str, Any] | None, entity: str, *, by: AuditActor | None
) -> AuditEntry:
    """Audit a create-or-update: `<entity>.created` when there was no `before` snapshot, else
    `<entity>.updated` with the changed fields."""
    if before is None:
        return audit_created(instance, f"{entity}.created", by=by)
    return audit(instance, f"{entity}.updated", by=by, changes=diff(before, instance))
