"""Winners' certificates through the shared certificates app: the top of a closed round, and
the top of a contest whose rounds have all closed (the sum of each person's best score per
round, then their total time). Issuing again is a no-op per person (certificates_issue is
idempotent per (source, holder_key))."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.certificates.models import Certificate
from dxday.certificates.services import certificates_issue
from dxday.core.errors import DomainError
from dxday.orgs.permissions import Actor

from ..models import Contest, Participant, Round
from ..selectors import round_ranking

MAX_TOP = 1000


def _holders(participant_ids: list[int]) -> list[tuple[str, str]]:
    names = dict(Participant.objects.filter(pk__in=participant_ids).values_list("pk", "full_name"))
    return [(f"contest.participant:{pid}", names[pid]) for pid in participant_ids]


def _top(top: int) -> int:
    if not 1 <= top <= MAX_TOP:
        raise DomainError(
            _("Số người được cấp phải từ 1 đến %(n)s.") % {"n": MAX_TOP}, code="invalid"
        )
    return top


def round_winners_certify(*, by: Actor, round: Round, top: int = 10) -> list[Certificate]:
    rnd = round
    if not rnd.is_closed:
        raise DomainError(
            _("Chỉ cấp chứng nhận sau khi đợt thi đóng."), code="round_open", status=409
        )
    ranking = round_ranking(rnd, limit=_top(top))
    contest = rnd.contest
    return certificates_issue(
        by=by, issuer=contest.organiser, kind=Certificate.Kind.CONTEST,
        source=f"contest.round:{rnd.pk}",
        title=(_("Đạt thứ hạng cao tại %(round)s, %(contest)s")
               % {"round": str(rnd), "contest": contest.title})[:300],
        issued_on=timezone.localdate(), holders=_holders([r.participant_id for r in ranking]),
    )  # fmt: skip


def contest_ranking(contest: Contest) -> list[tuple[int, int, int]]:
    """(participant id, total of best scores, total time ms) over every round, best first."""
    totals: dict[int, list[int]] = {}
    for rnd in contest.rounds.all():
        for r in round_ranking(rnd, limit=10_000_000):
            t = totals.setdefault(r.participant_id, [0, 0])
            t[0] += r.score
            t[1] += int(r.time_taken_s * 1000)
    return sorted(((pid, s, ms) for pid, (s, ms) in totals.items()),
                  key=lambda x: (-x[1], x[2], x[0]))  # fmt: skip


def contest_winners_certify(*, by: Actor, contest: Contest, top: int = 10) -> list[Certificate]:
    if any(not r.is_closed for r in contest.rounds.all()):
        raise DomainError(
            _("Chỉ cấp chứng nhận toàn cuộc thi khi mọi đợt thi đã đóng."),
            code="round_open", status=409,
        )  # fmt: skip
    ranked = contest_ranking(contest)[: _top(top)]
    return certificates_issue(
        by=by, issuer=contest.organiser, kind=Certificate.Kind.CONTEST,
        source=f"contest.contest:{contest.pk}",
        title=(_("Đạt thứ hạng cao toàn cuộc thi: %(contest)s") % {"contest": contest.title})[:300],
        issued_on=timezone.localdate(), holders=_holders([pid for pid, _s, _ms in ranked]),
    )  # fmt: skip
