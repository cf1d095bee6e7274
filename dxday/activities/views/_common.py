"""What every activities page shares: the suggested types, page size, how refusals are shown."""

from __future__ import annotations

from django.contrib import messages

from dxday.core.errors import DomainError

# The activity type a task's category suggests (the reporter may change it).
CATEGORY_TYPES = {
    "communication": "communication",
    "radio": "radio",
    "event": "event",
    "learning": "learning",
    "door_to_door": "door_to_door",
    "sector": "initiative",
    "contest": "contest",
    "awards": "event",
    "offers": "initiative",
}


PAGE_SIZE = 50


def _refused(exc: DomainError) -> bool:
    """A refusal for the role (403) or for an object outside the subtree (404): the middleware
    answers it; any other DomainError (a wrong state, bad input) is shown beside the form or as
    a message."""
    return exc.status in (403, 404)


def _flash(request, exc: DomainError) -> None:
    if _refused(exc):
        raise exc
    messages.error(request, exc.message)


def _form_error(form, exc: DomainError) -> None:
    if _refused(exc):
        raise exc
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
