"""Registration: one verified contact (an identity) is one participant of a contest."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.db import integrity_as_domain
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.text import nfc
from dxday.orgs.models import Commune, Organisation

from ..models import Contest, Eligibility, Participant

KIND_FOR_ELIGIBILITY = {
    Eligibility.CITIZENS: {Participant.Kind.CITIZEN},
    Eligibility.OFFICIALS: {Participant.Kind.OFFICIAL},
    Eligibility.UNION_MEMBERS: {Participant.Kind.UNION_MEMBER},
}


def _already() -> str:
    return _("Thông tin liên hệ này đã đăng ký dự thi cuộc thi này.")


@transaction.atomic
def participant_register(
    *,
    contest: Contest,
    identity,
    full_name: str,
    birth_year: int,
    commune: Commune,
    kind: str = Participant.Kind.CITIZEN,
    organisation: Organisation | None = None,
) -> Participant:
    """Register the person behind a verified identity. A second registration of the same
    identity is refused (409 `already_registered`), whoever races whom."""
    allowed = KIND_FOR_ELIGIBILITY.get(contest.eligibility)
    if allowed is not None and kind not in allowed:
        raise DomainError(
            _("Cuộc thi này dành cho: %(who)s.") % {"who": contest.get_eligibility_display()},
            code="not_eligible", field="kind", status=403,
        )  # fmt: skip
    if not contest.nationwide:
        area = contest.organiser.province_id
        if area and commune.province_id != area:
            raise DomainError(
                _("Cuộc thi này dành cho người sinh sống, học tập, làm việc tại %(p)s.")
                % {"p": contest.organiser.province.name},
                code="not_eligible", field="commune", status=403,
            )  # fmt: skip
    if organisation is not None and kind == Participant.Kind.CITIZEN:
        organisation = None
    if Participant.objects.filter(contest=contest, identity=identity).exists():
        raise DomainError(_already(), code="already_registered", status=409)
    participant = Participant(
        contest=contest, identity=identity, full_name=nfc(full_name).strip()[:150],
        birth_year=birth_year, province_id=commune.province_id, commune=commune, kind=kind,
        organisation=organisation,
    )  # fmt: skip
    clean_or_raise(participant)
    with integrity_as_domain(_already(), code="already_registered"):
        participant.save()
    # No names in the trail: who registered is the row itself (personal data minimised).
    audit(participant, "contest.participant.registered", by=None)
    return participant
