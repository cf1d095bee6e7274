"""Who may open an entry's file: its applicant, the programme's organisers, and the jurors
assigned to it once scoring has begun. Everyone else gets "not found"."""

from __future__ import annotations

from dxday.core.errors import NotFound
from dxday.orgs.permissions import Actor, can

from .models import Assignment, EntryFile, Programme


def ensure_file_visible(file: EntryFile, *, actor: Actor | None, applicant) -> None:
    entry = file.entry
    if applicant is not None and entry.applicant_id == applicant.pk:
        return
    if actor is not None and actor.user.is_authenticated:
        if can(actor, "awards.manage", entry.programme.organiser):
            return
        scoring = entry.programme.phase not in (Programme.Phase.ENTRIES, Programme.Phase.SCREENING)
        if scoring and Assignment.objects.filter(entry=entry, juror__user=actor.user).exists():
            return
    raise NotFound()
