"""Every read of the contest worth a name: lists, results, rankings and leaderboards."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dxday.core.errors import NotFound
from dxday.orgs.permissions import Actor, ensure_action, subtree_q

from .models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Contest,
    Flag,
    Option,
    Participant,
    Question,
    Round,
    RoundOrgStat,
    RoundProvinceStat,
    UnitOfficials,
)
from .rollups import participants_in_round

# ---- public ---------------------------------------------------------------------------------


def contest_list(*, year: int | None = None) -> QuerySet[Contest]:
    qs = Contest.objects.select_related("campaign", "organiser").prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("number"))
    )
    if year is not None:
        qs = qs.filter(campaign__year=year)
    return qs.order_by("-campaign__year", "id")


def contest_get(contest_id: int) -> Contest:
    contest = contest_list().filter(pk=contest_id).first()
    if contest is None:
        raise NotFound()
    return contest


def round_get(round_id: int) -> Round:
    rnd = Round.objects.select_related("contest").filter(pk=round_id).first()
    if rnd is None:
        raise NotFound()
    return rnd


def attempt_for_identity(identity, attempt_id: int) -> Attempt:
    """An attempt of this identity's participants; "not found" for anyone else's (and for no
    identity at all). One query: the identity is joined, not listed first."""
    attempt = (
        Attempt.objects.select_related("round", "participant")
        .filter(pk=attempt_id, participant__identity=identity)
        .first()
        if identity is not None
        else None
    )
    if attempt is None:
        raise NotFound()
    return attempt


@dataclass
class ReviewItem:
    position: int
    text: str
    explanation: str
    options: list[dict]  # {"id", "text", "chosen", "correct"}
    right: bool


def attempt_review(attempt: Attempt) -> list[ReviewItem] | None:
    """Each question with the participant's choice, the correct options and the explanation:
    only once the round has closed (None before)."""
    if not attempt.round.is_closed:
        return None
    aqs = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question")
        .order_by("position")
    )
    chosen = {
        qid: {int(x) for x in opts.split(",") if x}
        for qid, opts in Answer.objects.filter(
            attempt=attempt, saved_at__lte=attempt.deadline
        ).values_list("question_id", "options")
    }
    options: dict[int, dict[int, Option]] = {}
    for o in Option.objects.filter(question_id__in=[a.question_id for a in aqs]):
        options.setdefault(o.question_id, {})[o.pk] = o
    out = []
    for aq in aqs:
        opts = options.get(aq.question_id, {})
        mine = chosen.get(aq.question_id, set())
        order = [int(x) for x in aq.option_order.split(",") if x]
        items = [
            {"id": oid, "text": opts[oid].text, "chosen": oid in mine,
             "correct": opts[oid].is_correct}
            for oid in order if oid in opts
        ]  # fmt: skip
        right = mine == {oid for oid, o in opts.items() if o.is_correct}
        out.append(ReviewItem(aq.position, aq.question.text, aq.question.explanation, items, right))
    return out


# ---- ranking --------------------------------------------------------------------------------

BIG = 2_000_000_000

# The best finished attempt of each participant, then the order of the ranking. The same key
# picks the best attempt and orders the people, so "best counted" and the rank agree:
# score ↓, |prediction − real participant count| ↑ (no prediction = last), time taken ↑,
# submission time ↑, attempt id ↑ (the earlier start: makes the order total).
_KEY = (
    "{t}score DESC, COALESCE(ABS({t}prediction - %(n)s), {big}), {t}time_taken_ms, "
    "{t}finished_at, {t}id"
)
_ORDER = _KEY.format(t="", big=BIG)
_OUTER = _KEY.format(t="r.", big=BIG)
RANKING_SQL = f"""
SELECT r.id, r.participant_id, r.score, r.prediction, r.time_taken_ms, r.finished_at,
       p.full_name, c.name
FROM (
  SELECT a.id, a.participant_id, a.score, a.prediction, a.time_taken_ms, a.finished_at,
         ROW_NUMBER() OVER (PARTITION BY a.participant_id ORDER BY {_ORDER}) AS rn
  FROM contest_attempt a
  WHERE a.round_id = %(round)s AND a.state = 'finished'
) r
JOIN contest_participant p ON p.id = r.participant_id
JOIN orgs_commune c ON c.code = p.commune_id
WHERE r.rn = 1
ORDER BY {_OUTER}
LIMIT %(limit)s OFFSET %(offset)s
"""


@dataclass
class RankRow:
    rank: int
    attempt_id: int
    participant_id: int
    name: str
    commune: str
    score: int
    prediction: int | None
    distance: int | None
    time_taken_s: float
    finished_at: object


def round_ranking(rnd: Round, *, limit: int = 100, offset: int = 0) -> list[RankRow]:
    from .models import shorten_name

    n = participants_in_round(rnd.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            RANKING_SQL, {"n": n, "round": rnd.pk, "limit": int(limit), "offset": int(offset)}
        )
        rows = cursor.fetchall()
    out = []
    for i, (aid, pid, score, pred, ms, fin, name, commune) in enumerate(rows, start=offset + 1):
        if isinstance(fin, str):  # SQLite hands raw SQL timestamps back as text
            fin = timezone.datetime.fromisoformat(fin)
        out.append(
            RankRow(
                rank=i,
                attempt_id=aid,
                participant_id=pid,
                name=shorten_name(name),
                commune=commune,
                score=score,
                prediction=pred,
                distance=None if pred is None else abs(pred - n),
                time_taken_s=round((ms or 0) / 1000, 1),
                finished_at=fin,
            )  # fmt: skip
        )
    return out


# ---- unit leaderboards (from the roll-ups) --------------------------------------------------


def province_board(rnd: Round, *, limit: int = 100) -> list[dict]:
    return [
        {"code": code, "name": name, "participants": p, "attempts": a, "rate": None}
        for code, name, p, a in RoundProvinceStat.objects.filter(round=rnd)
        .order_by("-participants", "-attempts", "province__name_sort")
        .values_list("province_id", "province__name", "participants", "attempts")[:limit]
    ]


def organisation_board(rnd: Round, *, limit: int = 100) -> list[dict]:
    sizes = dict(
        UnitOfficials.objects.filter(contest_id=rnd.contest_id).values_list(
            "organisation_id", "officials"
        )
    )
    rows = [
        {
            "code": code,
            "name": name,
            "participants": p,
            "attempts": a,
            "rate": round(100 * p / sizes[oid], 1) if sizes.get(oid) else None,
        }  # fmt: skip
        for oid, code, name, p, a in RoundOrgStat.objects.filter(round=rnd)
        .order_by("-participants", "-attempts", "organisation__name_sort")
        .values_list(
            "organisation_id",
            "organisation__code",
            "organisation__name",
            "participants",
            "attempts",
        )[:limit]
    ]
    return rows


def organisation_rate_board(rnd: Round, *, limit: int = 100) -> list[dict]:
    """Units by participation rate (participants / officials entered), where known."""
    rows = [r for r in organisation_board(rnd, limit=100_000) if r["rate"] is not None]
    rows.sort(key=lambda r: (-r["rate"], -r["participants"], r["name"]))
    return rows[:limit]


# ---- organiser side -------------------------------------------------------------------------


def contests_for_actor(actor: Actor) -> QuerySet[Contest]:
    ensure_action(actor, "contest.view")
    return contest_list().filter(subtree_q(actor, "organiser"))


def get_contest_for_user(actor: Actor, contest_id: int) -> Contest:
    contest = contests_for_actor(actor).filter(pk=contest_id).first()
    if contest is None:
        raise NotFound()
    return contest


def question_list(contest: Contest, *, q: str = "", status: str = "") -> QuerySet[Question]:
    from dxday.core.text import search_key

    qs = Question.objects.filter(contest=contest).prefetch_related("options").order_by("id")
    if q:
        qs = qs.filter(search_key__contains=search_key(q))
    if status:
        qs = qs.filter(status=status)
    return qs


def flag_list(contest: Contest) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(round__contest=contest)
        .select_related("round", "participant", "participant__commune")
        .order_by("-created_at", "-id")
    )


def participant_for_identity(contest: Contest, identity_id: int) -> Participant | None:
    return Participant.objects.filter(contest=contest, identity_id=identity_id).first()


def organisation_search(contest: Contest, q: str, *, limit: int = 20) -> list[dict]:
    """Units a participant may name as their organisation: the organiser's subtree (the whole
    tree for a nationwide contest), matched without diacritics ("so khcn" finds "Sở KH&CN")."""
    from dxday.core.text import search_key
    from dxday.orgs.models import Organisation

    qs = Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.COMMUNITY_TEAM)
    if not contest.nationwide:
        qs = qs.filter(path__startswith=contest.organiser.path)
    for word in search_key(q).split()[:6]:
        qs = qs.filter(search_key__contains=word)
    return [
        {"id": pk, "name": name}
        for pk, name in qs.order_by("depth", "name_sort").values_list("id", "name")[:limit]
    ]
