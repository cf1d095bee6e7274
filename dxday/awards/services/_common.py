from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Programme


def ensure_organiser(by: Actor, programme: Programme) -> None:
    ensure_can(by, "awards.manage", programme.organiser)


def ensure_phase(programme: Programme, *phases: str) -> None:
    if programme.phase not in phases:
        raise DomainError(
            _("Việc này không làm được ở giai đoạn “%(phase)s” của chương trình.")
            % {"phase": programme.get_phase_display()},
            code="wrong_phase",
            status=409,
        )


def now():
    return timezone.now()
