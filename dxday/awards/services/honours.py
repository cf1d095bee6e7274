"""Honours: units nominate apps and typical public services, organisers shortlist, the public
votes. Each verified person has N votes per programme and at most one per candidate: a unique
constraint on (identity, candidate) and an atomic counter on the allowance, taken in one order
(allowance row, then vote row, then candidate counter) so concurrent votes cannot deadlock."""

from __future__ import annotations

import decimal
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from dxday.core.audit import audit
from dxday.core.errors import DomainError, NotFound, RateLimited
from dxday.core.pagecache import bump
from dxday.core.ratelimit import rate_hit
from dxday.core.text import nfc, search_key
from dxday.identity.models import Identity
from dxday.identity.services import address_hash
from dxday.orgs.permissions import Actor, ensure_can

from ..models import Candidate, Programme, Vote, VoterAllowance
from ._common import ensure_organiser, now

# Votes per client address per minute: a family behind one router votes, a script does not.
# (settings.AWARDS_VOTES_PER_ADDRESS overrides it: the bench lifts it, wrk being one address.)
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
    bump("awards")
    return candidate


def _already(identity: Identity, candidate: Candidate) -> DomainError:
    return DomainError(
        _("Bạn đã bình chọn cho “%(name)s”.") % {"name": candidate.name},
        code="already_voted",
        status=409,
    )


@dataclass(frozen=True)
class VoteCast:
    candidate: int
    votes: int  # the candidate's count, this vote included
    votes_left: int  # the voter's votes left in the programme


def _sql(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def vote_cast(*, identity: Identity, candidate: Candidate, client_ip: str = "") -> VoteCast:
    """One vote, in three statements taken in one order: the allowance row (an upsert that
    counts only while some are left), the vote row (the unique constraint decides "once per
    candidate"), the candidate's counter. Any refusal rolls the whole vote back."""
    place = address_hash(client_ip)
    if place:
        limit, window = getattr(settings, "AWARDS_VOTES_PER_ADDRESS", VOTES_PER_ADDRESS)
        wait = rate_hit(f"vote:{place}", limit=limit, window=window)
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
    allowance, vote, cand = _sql(VoterAllowance), _sql(Vote), _sql(Candidate)
    with transaction.atomic(), connection.cursor() as cursor:
        # 1. The allowance: created with one vote used, or one more used while any is left.
        cursor.execute(
            f'INSERT INTO {allowance} (programme_id, identity_id, used, "limit") '
            f"VALUES (%s, %s, 1, %s) ON CONFLICT (programme_id, identity_id) DO UPDATE "
            f'SET used = {allowance}.used + 1 WHERE {allowance}.used < {allowance}."limit" '
            f'RETURNING used, "limit"',
            [programme.pk, identity.pk, programme.votes_per_person],
        )
        row = cursor.fetchone()
        if row is None:
            if Vote.objects.filter(identity=identity, candidate=candidate).exists():
                raise _already(identity, candidate)
            raise DomainError(
                _("Bạn đã dùng hết %(n)s phiếu bình chọn của chương trình này.")
                % {"n": programme.votes_per_person},
                code="vote_limit",
                status=409,
            )
        used, limit = row
        # 2. The vote: nothing inserted means this person already voted for this candidate.
        cursor.execute(
            f"INSERT INTO {vote} (candidate_id, identity_id, created_at, created_from) "
            f"VALUES (%s, %s, %s, %s) ON CONFLICT (identity_id, candidate_id) DO NOTHING "
            f"RETURNING id",
            [candidate.pk, identity.pk, connection.ops.adapt_datetimefield_value(moment), place],
        )
        if cursor.fetchone() is None:
            raise _already(identity, candidate)
        # 3. The candidate's counter.
        cursor.execute(
            f"UPDATE {cand} SET votes = votes + 1 WHERE id = %s RETURNING votes", [candidate.pk]
        )
        (votes,) = cursor.fetchone()
    return VoteCast(candidate=candidate.pk, votes=votes, votes_left=limit - used)
