"""Honours: units nominate apps and typical public services, organisers shortlist, the public
votes. Each verified person has N votes per programme and at most one per candidate: a unique
constraint on (identity, candidate) and an atomic counter on the allowance, taken in one order
(allowance row, then vote row, then candidate counter) so concurrent votes cannot deadlock."""

from __future__ import annotations

import decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError, NotFound, RateLimited
from dxday.core.ratelimit import rate_hit
from dxday.core.text import nfc, search_key
from dxday.identity.models import Identity
from dxday.identity.services import address_hash
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Candidate, Programme, Vote, VoterAllowance
from ._common import ensure_organiser, now

# Votes per client address per minute: a family behind one router votes, a script does not.
VOTES_PER_ADDRESS = (30, 60)


@transaction.atomic
def candidate_nominate(
    *, by: Actor, programme: Programme, kind: str, name: str, description: str, link: str = ""
) -> Candidate:
    """A ministry, province, association or enterprise nominates, within the window."""
    ensure_can(by, "awards.manage", by.organisation)
    if programme.kind != Programme.Kind.HONOURS:
        raise NotFound()
    moment = now()
    if not programme.entries_open <= moment <= programme.entries_close:
        raise DomainError(_("Đã hết thời hạn đề cử."), code="nominations_closed", status=409)
    name, description = nfc(name or "").strip(), nfc(description or "").strip()
    if not name or not description or kind not in Candidate.Kind.values:
        raise DomainError(_("Hãy ghi tên, loại và mô tả của đề cử."), code="invalid", status=422)
    candidate = Candidate.objects.create(
        programme=programme,
        kind=kind,
        name=name[:300],
        search_key=search_key(name)[:300],
        description=description[:5000],
        link=(link or "")[:200],
        nominated_by=by.organisation,
    )
    audit(candidate, "awards.candidate.nominated", by=by)
    return candidate


@transaction.atomic
def candidate_shortlist(
    *, by: Actor, candidate: Candidate, shortlisted: bool, assessment=None
) -> Candidate:
    ensure_organiser(by, candidate.programme)
    if assessment not in (None, ""):
        try:
            value = decimal.Decimal(str(assessment))
        except decimal.InvalidOperation:
            value = decimal.Decimal(-1)
        if not value.is_finite() or not 0 <= value <= 100:
            raise DomainError(_("Điểm đánh giá phải từ 0 đến 100."), code="invalid", status=422)
        candidate.assessment = value
    candidate.status = (
        Candidate.Status.SHORTLISTED if shortlisted else Candidate.Status.NOT_SHORTLISTED
    )
    candidate.save(update_fields=["status", "assessment", "updated_at"])
    audit(candidate, "awards.candidate.shortlisted", by=by, changes={"status": candidate.status})
    return candidate


def _already(identity: Identity, candidate: Candidate) -> DomainError:
    return DomainError(
        _("Bạn đã bình chọn cho “%(name)s”.") % {"name": candidate.name},
        code="already_voted",
        status=409,
    )


def vote_cast(*, identity: Identity, candidate: Candidate, client_ip: str = "") -> Vote:
    place = address_hash(client_ip)
    if place:
        wait = rate_hit(f"vote:{place}", limit=VOTES_PER_ADDRESS[0], window=VOTES_PER_ADDRESS[1])
        if wait is not None:
            raise RateLimited(
                _("Có quá nhiều lượt bình chọn từ địa chỉ này. Hãy thử lại sau %(n)s giây.")
                % {"n": wait},
                retry_after=wait,
            )
    programme = candidate.programme
    moment = now()
    if (
        candidate.status != Candidate.Status.SHORTLISTED
        or programme.votes_open is None
        or not programme.votes_open <= moment <= (programme.votes_close or moment)
    ):
        raise DomainError(
            _("Bình chọn cho đề cử này chưa mở hoặc đã đóng."), code="voting_closed", status=409
        )
    with transaction.atomic():
        VoterAllowance.objects.bulk_create(
            [
                VoterAllowance(
                    programme=programme, identity=identity, limit=programme.votes_per_person
                )
            ],
            ignore_conflicts=True,
        )
        # 1. The allowance row (locks it): one more vote if any is left.
        took = VoterAllowance.objects.filter(
            programme=programme, identity=identity, used__lt=F("limit")
        ).update(used=F("used") + 1)
        if not took:
            if Vote.objects.filter(identity=identity, candidate=candidate).exists():
                raise _already(identity, candidate)
            raise DomainError(
                _("Bạn đã dùng hết %(n)s phiếu bình chọn của chương trình này.")
                % {"n": programme.votes_per_person},
                code="vote_limit",
                status=409,
            )
        # 2. The vote row: the unique constraint is the truth for "once per candidate".
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    candidate=candidate, identity=identity, created_from=place
                )
        except IntegrityError:
            raise _already(identity, candidate) from None
        # 3. The candidate's counter.
        Candidate.objects.filter(pk=candidate.pk).update(votes=F("votes") + 1)
    return vote
