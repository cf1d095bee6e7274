"""Reads of the awards app: public programmes and results, an applicant's entries, a juror's
assignments and what they may see, the organiser's ranking (median or mean, with juror
strictness normalised side by side) and the honours vote."""

from __future__ import annotations

import decimal
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from dxday.core.errors import NotFound
from dxday.orgs.permissions import Actor, subtree_q

from .models import (
    Applicant,
    Assignment,
    Candidate,
    Category,
    Criterion,
    Entry,
    Programme,
    Result,
    Review,
    Score,
    Vote,
)

# A juror's total at least this far from the entry's median (points out of 100), and at least
# twice the jurors' median absolute deviation, is flagged for the deliberation.
OUTLIER_POINTS = 15.0


def programme_list_public(*, kind: str | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("organiser", "campaign").prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("order", "pk"))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "pk")


def get_programme_public(pk: int) -> Programme:
    found = programme_list_public().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def programme_list_for_organiser(actor: Actor) -> QuerySet[Programme]:
    if not actor.has_action("awards.manage"):
        return Programme.objects.none()
    return programme_list_public().filter(subtree_q(actor, "organiser"))


def get_programme_for_organiser(actor: Actor, pk: int) -> Programme:
    found = programme_list_for_organiser(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def applicant_of(identity) -> Applicant | None:
    if identity is None:
        return None
    return Applicant.objects.filter(identity=identity).first()


def entry_list_for_applicant(applicant: Applicant) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(applicant=applicant)
        .select_related("programme", "category")
        .prefetch_related("files")
        .order_by("-pk")
    )


def get_entry_for_applicant(applicant: Applicant | None, pk: int) -> Entry:
    if applicant is None:
        raise NotFound()
    found = entry_list_for_applicant(applicant).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def entry_list_for_organiser(
    actor: Actor, programme: Programme, *, status: str | None = None
) -> QuerySet[Entry]:
    qs = (
        Entry.objects.filter(programme=programme)
        .exclude(status=Entry.Status.DRAFT)
        .select_related("applicant", "category")
        .order_by("category__order", "pk")
    )
    return qs.filter(status=status) if status else qs


def get_entry_for_organiser(actor: Actor, pk: int) -> Entry:
    entry = (
        Entry.objects.select_related("programme__organiser", "applicant", "category")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise NotFound()
    get_programme_for_organiser(actor, entry.programme_id)
    return entry


def assignments_for_juror(user, programme: Programme | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(juror__user=user).select_related(
        "entry__category", "entry__programme", "entry__applicant", "juror", "review"
    )
    if programme is not None:
        qs = qs.filter(entry__programme=programme)
    return qs.order_by("entry__programme", "entry__category__order", "entry__pk")


def get_assignment_for_juror(user, pk: int) -> Assignment:
    """Only the juror's own assignment, and not while the programme is still screening."""
    found = assignments_for_juror(user).filter(pk=pk).first()
    if found is None or found.entry.programme.phase in (
        Programme.Phase.ENTRIES,
        Programme.Phase.SCREENING,
    ):
        raise NotFound()
    return found


def others_visible(assignment: Assignment) -> bool:
    """Whether a juror may see the other jurors' scores of this entry: only once their own
    review is submitted, and never while scoring is anonymised."""
    programme = assignment.entry.programme
    review = getattr(assignment, "review", None)
    own_done = review is not None and review.submitted_at is not None
    if programme.phase == Programme.Phase.SCORING:
        return own_done and not programme.anonymous_scoring
    return own_done and programme.phase in (
        Programme.Phase.DELIBERATION,
        Programme.Phase.PUBLISHED,
    )


def _weighted_total(scores: list[tuple[decimal.Decimal, Criterion]]) -> float | None:
    """0–100: each raw score over its scale, weighted; None when a criterion is unscored."""
    if not scores:
        return None
    weight = sum(float(c.weight) for _raw, c in scores)
    if weight <= 0:
        return None
    return 100.0 * sum(float(raw) / c.scale_max * float(c.weight) for raw, c in scores) / weight


def review_totals(entry_ids: list[int]) -> dict[int, dict[int, float]]:
    """{entry: {juror: total}} over submitted reviews, from raw scores and current weights."""
    criteria_count = defaultdict(int)
    for category_id in Criterion.objects.filter(category__entries__pk__in=entry_ids).values_list(
        "category_id", flat=True
    ):
        criteria_count[category_id] += 1
    rows = (
        Score.objects.filter(
            review__assignment__entry_id__in=entry_ids, review__submitted_at__isnull=False
        )
        .select_related("criterion", "review__assignment__entry")
        .order_by("pk")
    )
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for score in rows:
        a = score.review.assignment
        grouped[(a.entry_id, a.juror_id)].append((score.raw, score.criterion))
    totals: dict[int, dict[int, float]] = defaultdict(dict)
    for (entry_id, juror_id), scores in grouped.items():
        total = _weighted_total(scores)
        if total is not None:
            totals[entry_id][juror_id] = round(total, 2)
    return totals


@dataclass
class RankedEntry:
    entry: Entry
    totals: dict[int, float]
    aggregate: float | None
    normalised: float | None = None
    spread: float | None = None
    outliers: set[int] = field(default_factory=set)
    rank: int | None = None
    normalised_rank: int | None = None


def _aggregate(values: list[float], how: str) -> float | None:
    if not values:
        return None
    return round(statistics.median(values) if how == "median" else statistics.fmean(values), 2)


def ranking(programme: Programme, *, category: Category | None = None) -> list[RankedEntry]:
    """Eligible entries ranked by the programme's aggregation of the jurors' totals, with the
    strictness-normalised score (mean of per-juror z-scores) and its own rank beside it."""
    entries = list(
        Entry.objects.filter(programme=programme, status=Entry.Status.ELIGIBLE)
        .select_related("applicant", "category")
        .order_by("pk")
    )
    if category is not None:
        entries = [e for e in entries if e.category_id == category.pk]
    totals = review_totals([e.pk for e in entries])
    # Each juror's own mean and spread over everything they scored in the programme.
    per_juror: dict[int, list[float]] = defaultdict(list)
    for entry_totals in totals.values():
        for juror_id, value in entry_totals.items():
            per_juror[juror_id].append(value)
    juror_stats = {
        j: (statistics.fmean(v), statistics.pstdev(v) if len(v) > 1 else 0.0)
        for j, v in per_juror.items()
    }
    ranked: list[RankedEntry] = []
    for entry in entries:
        mine = totals.get(entry.pk, {})
        values = list(mine.values())
        row = RankedEntry(
            entry=entry, totals=mine, aggregate=_aggregate(values, programme.aggregation)
        )
        if values:
            row.spread = round(max(values) - min(values), 2)
            median = statistics.median(values)
            mad = statistics.median([abs(v - median) for v in values])
            row.outliers = {
                j for j, v in mine.items() if abs(v - median) >= max(OUTLIER_POINTS, 2 * mad)
            }
            zs = []
            for juror_id, value in mine.items():
                mean, sd = juror_stats[juror_id]
                zs.append((value - mean) / sd if sd > 0 else 0.0)
            row.normalised = round(statistics.fmean(zs), 3)
        ranked.append(row)

    def order(key):
        scored = sorted(
            (r for r in ranked if getattr(r, key) is not None),
            key=lambda r: (-getattr(r, key), r.entry.pk),
        )
        return {r.entry.pk: i + 1 for i, r in enumerate(scored)}

    raw_rank, norm_rank = order("aggregate"), order("normalised")
    for row in ranked:
        row.rank, row.normalised_rank = raw_rank.get(row.entry.pk), norm_rank.get(row.entry.pk)
    ranked.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entry.pk))
    return ranked


def results_public(programme: Programme) -> list[Result]:
    if programme.phase != Programme.Phase.PUBLISHED:
        raise NotFound()
    return list(
        Result.objects.filter(entry__programme=programme)
        .select_related("entry__category", "entry__applicant")
        .order_by("entry__category__order", "-award", "entry__pk")  # winners, then mentions
    )


def candidates_public(*, year: int | None = None) -> QuerySet[Candidate]:
    qs = Candidate.objects.filter(
        status__in=[Candidate.Status.SHORTLISTED, Candidate.Status.HONOURED],
        programme__kind=Programme.Kind.HONOURS,
    ).select_related("programme", "nominated_by")
    if year is not None:
        qs = qs.filter(programme__year=year)
    return qs.order_by("programme", "kind", "name")


def get_candidate_public(pk: int) -> Candidate:
    found = candidates_public().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def honours_standing(programme: Programme) -> list[dict]:
    """Shortlisted candidates by the combined score: the organisers' assessment and the public
    vote (as a share of the most-voted candidate's votes), weighted by the programme."""
    weight = float(programme.vote_weight)
    rows = list(candidates_public().filter(programme=programme))
    top = max((c.votes for c in rows), default=0)
    standing = []
    for c in rows:
        vote_score = 100.0 * c.votes / top if top else 0.0
        assessment = float(c.assessment) if c.assessment is not None else None
        combined = (
            None
            if assessment is None
            else round((1 - weight) * assessment + weight * vote_score, 2)
        )
        standing.append(
            {"candidate": c, "votes": c.votes, "vote_score": round(vote_score, 2),
             "assessment": assessment, "combined": combined}
        )  # fmt: skip
    standing.sort(key=lambda r: (r["combined"] is None, -(r["combined"] or 0), r["candidate"].pk))
    return standing


def reviews_of_entry(entry: Entry) -> QuerySet[Review]:
    return (
        Review.objects.filter(assignment__entry=entry, submitted_at__isnull=False)
        .select_related("assignment__juror")
        .prefetch_related("scores__criterion")
    )


def vote_bursts(programme: Programme, *, minutes: int = 10, threshold: int = 5) -> list[dict]:
    """Places (hashed client addresses) from which at least `threshold` of this programme's
    voters had their identities created within `minutes`: many new identities from one place
    in minutes is what a vote farm looks like. Flagged for the organisers, never acted on."""
    import datetime

    rows = (
        Vote.objects.filter(candidate__programme=programme)
        .exclude(identity__created_from="")
        .values_list("identity__created_from", "identity_id", "identity__created_at")
        .distinct()
    )
    by_place: dict[str, dict[int, datetime.datetime]] = defaultdict(dict)
    for place, identity_id, created in rows:
        by_place[place][identity_id] = created
    span = datetime.timedelta(minutes=minutes)
    flagged = []
    for place, created in by_place.items():
        times = sorted(created.values())
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] > span:
                start += 1
            best = max(best, end - start + 1)
        if best >= threshold:
            flagged.append(
                {"place": place[:8], "identities": best, "voters": len(times),
                 "first": times[0], "last": times[-1]}
            )  # fmt: skip
    return sorted(flagged, key=lambda f: -f["identities"])
