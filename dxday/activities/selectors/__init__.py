"""Every read worth a name in activities, with visibility applied and no N+1.

For the reports app: `activity_counts_by_type(organisation=..., campaign=...)` and
`indicator_totals(organisation=..., campaign=...)` roll up a subtree; `task_results(task)` rolls
up one task with every task cascaded from it. The to-do inbox is `inbox.py`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from dxday.core.errors import NotFound
from dxday.core.text import search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can, subtree_q
from dxday.plans.models import Assignment, Campaign, Indicator, KeyDate, Task
from dxday.plans.selectors import task_descendants

from ..models import (
    TYPE_INDICATORS,
    Activity,
    ActivityType,
    Evidence,
    IndicatorValue,
    Offer,
    Sector,
)
from ..permissions import below_q
from .inbox import Inbox, inbox_for_actor, lands_on_inbox  # noqa: F401

S = Activity.Status

# --- workspace -------------------------------------------------------------------------------


def _activity_qs() -> QuerySet[Activity]:
    return Activity.objects.select_related(
        "organisation", "province", "commune", "campaign", "assignment__task"
    )


def activity_list_for_actor(
    actor: Actor, *, status: str | None = None, own_only: bool = False
) -> QuerySet[Activity]:
    """Activities the actor may see: its own unit's, or its subtree's for a coordinator."""
    if not actor.has_action("activities.view"):
        return Activity.objects.none()
    qs = _activity_qs().filter(subtree_q(actor, "organisation"))
    if own_only and actor.organisation_id:
        qs = qs.filter(organisation_id=actor.organisation_id)
    if status:
        qs = qs.filter(status=status) if status in S.values else qs.none()
    return qs.order_by("-updated_at", "-id")


def get_activity_for_user(actor: Actor, pk: int, *, action: str | None = None) -> Activity:
    """The activity if the actor may see it; the same NotFound for missing and forbidden.

    With `action`, a visible activity on which the role may not do it answers 403."""
    activity = activity_list_for_actor(actor).filter(pk=pk).first()
    if activity is None:
        raise NotFound()
    if action is not None:
        ensure_can(actor, action, activity.organisation)
    return activity


def activity_list_below(actor: Actor, *, status: str | None = None) -> QuerySet[Activity]:
    """Reports of the units below the actor's own (what it reviews), newest first."""
    if not actor.has_action("activities.review"):
        return Activity.objects.none()
    qs = _activity_qs().filter(below_q(actor))
    if status:
        qs = qs.filter(status=status) if status in S.values else qs.none()
    return qs.order_by("-updated_at", "-id")


def review_queue(actor: Actor) -> QuerySet[Activity]:
    """Submitted reports of the subtree below the actor's unit, oldest first."""
    return activity_list_below(actor, status=S.SUBMITTED).order_by("submitted_at", "id")


def published_list_for_actor(actor: Actor) -> QuerySet[Activity]:
    """Published activities of the actor's subtree (for moderators and reviewers)."""
    return activity_list_for_actor(actor).filter(is_published=True)


def assignments_for_unit(actor: Actor) -> QuerySet[Assignment]:
    """The acting unit's own assignments (not its subtree's), with task, plan and indicators."""
    if actor.organisation_id is None or not actor.has_action("activities.report"):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(organisation_id=actor.organisation_id)
        .select_related("task__plan__campaign", "organisation")
        .prefetch_related(
            Prefetch("task__indicators", queryset=Indicator.objects.select_related("part_of"))
        )
        .order_by("deadline", "task__order", "id")
    )


def get_assignment_for_reporting(actor: Actor, pk: int) -> Assignment:
    assignment = assignments_for_unit(actor).filter(pk=pk).first()
    if assignment is None:
        raise NotFound()
    return assignment


def get_evidence_for_user(actor: Actor, pk: int) -> Evidence:
    """Evidence of an activity the actor may see; the same NotFound for missing and forbidden."""
    evidence = (
        Evidence.objects.select_related("activity__organisation")
        .filter(pk=pk, activity__in=activity_list_for_actor(actor))
        .first()
    )
    if evidence is None:
        raise NotFound()
    return evidence


def evidence_for_view(actor: Actor | None, pk: int) -> Evidence:
    """Evidence of a published activity (anyone) or of one the actor may see."""
    evidence = Evidence.objects.select_related("activity__organisation").filter(pk=pk).first()
    if evidence is None:
        raise NotFound()
    activity = evidence.activity
    if activity.is_published and activity.status == S.ACCEPTED:
        return evidence
    if actor is None or not activity_list_for_actor(actor).filter(pk=activity.pk).exists():
        raise NotFound()
    return evidence


def activity_values(activity: Activity, *, reported_only: bool = False) -> list[IndicatorValue]:
    """The figures of a report; `reported_only` leaves out the ones left blank ("not
    reported" is a fact for the roll-ups, not a row for a person to read)."""
    qs = activity.values.select_related("indicator")
    if reported_only:
        qs = qs.filter(value__isnull=False)
    return list(qs.order_by("indicator__order", "id"))


def indicators_for_activity(
    activity: Activity | None, assignment: Assignment | None, *, type: str | None = None
):
    """The figures the report form asks for: the task's indicators when the report answers an
    assignment; else those of the activity type (`type`, or the activity's own), plus any the
    activity already reported, so an edit never hides a stored figure."""
    assignment = assignment or (activity.assignment if activity else None)
    if assignment is not None:
        return list(assignment.task.indicators.select_related("part_of").order_by("order", "code"))
    kind = type if type in ActivityType.values else (activity.type if activity else None)
    codes = set(type_indicator_codes(kind or ActivityType.COMMUNICATION))
    q = Q(code__in=codes)
    if activity is not None and activity.pk:
        q |= Q(pk__in=activity.values.filter(value__isnull=False).values("indicator_id"))
    return list(Indicator.objects.filter(q).select_related("part_of").order_by("order", "code"))


def type_indicator_codes(kind: str) -> tuple[str, ...]:
    """The catalogue codes an activity type asks for, with the totals of its parts."""
    codes = list(TYPE_INDICATORS.get(kind, ()))
    parents = dict(
        Indicator.objects.filter(part_of__isnull=False).values_list("code", "part_of__code")
    )
    for code in codes:  # grows while it runs: a total's own total is added too
        parent = parents.get(code)
        if parent and parent not in codes:
            codes.append(parent)
    return tuple(codes)


# --- roll-ups --------------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    accepted: int | None  # None: nobody reported it (not zero)
    submitted: int | None
    accepted_reports: int
    submitted_reports: int


def tasks_for_results(actor: Actor) -> QuerySet[Task]:
    """Tasks of plans issued within the actor's subtree: where a coordinator reads roll-ups."""
    if not actor.has_action("activities.view"):
        return Task.objects.none()
    return (
        Task.objects.filter(subtree_q(actor, "plan__organisation"))
        .select_related("plan__campaign", "plan__organisation")
        .order_by("-plan__campaign__year", "plan__organisation__depth", "plan_id", "order", "id")
    )


def get_task_for_results(actor: Actor, pk: int) -> Task:
    """A task of a plan issued within the actor's subtree; NotFound if missing or outside."""
    task = tasks_for_results(actor).filter(pk=pk).first()
    if task is None:
        raise NotFound()
    return task


def task_results(task: Task) -> dict:
    """Figures reported on a task and on every task cascaded from it.

    Accepted and submitted (awaiting review) are summed separately; an indicator nobody
    reported stays None. Returns {"rows": [IndicatorResult], "activities": {status: n},
    "units": n, "tasks": n}.
    """
    task_ids = list(task_descendants(task).values_list("pk", flat=True))
    base = IndicatorValue.objects.filter(
        activity__assignment__task_id__in=task_ids,
        activity__status__in=[S.ACCEPTED, S.SUBMITTED],
    )
    sums = base.values("indicator_id", "activity__status").annotate(
        total=Sum("value"), reports=Count("id", filter=Q(value__isnull=False))
    )
    by_indicator: dict[int, dict] = defaultdict(dict)
    for row in sums:
        by_indicator[row["indicator_id"]][row["activity__status"]] = row
    indicators = {i.pk: i for i in task.indicators.all()}
    indicators.update(
        {i.pk: i for i in Indicator.objects.filter(pk__in=set(by_indicator) - set(indicators))}
    )
    rows = []
    for pk, indicator in sorted(indicators.items(), key=lambda kv: (kv[1].order, kv[1].code)):
        acc = by_indicator.get(pk, {}).get(S.ACCEPTED, {})
        sub = by_indicator.get(pk, {}).get(S.SUBMITTED, {})
        rows.append(
            IndicatorResult(
                indicator=indicator,
                accepted=acc.get("total"),
                submitted=sub.get("total"),
                accepted_reports=acc.get("reports", 0),
                submitted_reports=sub.get("reports", 0),
            )
        )
    activities = Activity.objects.filter(assignment__task_id__in=task_ids)
    counts = dict(activities.values_list("status").annotate(n=Count("id")).order_by())
    units = activities.filter(status=S.ACCEPTED).values("organisation_id").distinct().count()
    return {"rows": rows, "activities": counts, "units": units, "tasks": len(task_ids)}


def _subtree_filter(organisation: Organisation | None, prefix: str = "organisation") -> Q:
    if organisation is None:
        return Q()
    return Q(**{f"{prefix}__path__startswith": organisation.path})


def activity_counts_by_type(
    *,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    statuses: tuple[str, ...] = (S.ACCEPTED,),
) -> dict[str, int]:
    """{activity type: count} for a subtree (None: everyone), accepted reports by default."""
    qs = Activity.objects.filter(_subtree_filter(organisation), status__in=statuses)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return dict(qs.values_list("type").annotate(n=Count("id")).order_by())


def indicator_totals(
    *,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    statuses: tuple[str, ...] = (S.ACCEPTED,),
) -> dict[str, int | None]:
    """{indicator code: sum} over a subtree's accepted reports; None where nobody reported."""
    qs = IndicatorValue.objects.filter(
        _subtree_filter(organisation, "activity__organisation"), activity__status__in=statuses
    )
    if campaign is not None:
        qs = qs.filter(activity__campaign=campaign)
    return dict(qs.values_list("indicator__code").annotate(total=Sum("value")).order_by())


# --- public portal ---------------------------------------------------------------------------


def _search_words(q: str) -> list[str]:
    """The words of a visitor's search; a NUL byte (which PostgreSQL refuses) separates words."""
    return search_key(q.replace("\x00", " ")).split()


def published_activities(
    *,
    campaign_year: int | None = None,
    province: str | None = None,
    q: str | None = None,
    type: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Activity]:
    """Accepted, published activities: what the public sees. No personal data is selected."""
    qs = Activity.objects.filter(is_published=True, status=S.ACCEPTED).select_related(
        "organisation", "province", "commune", "campaign"
    )
    if campaign_year:
        qs = qs.filter(campaign__year=campaign_year)
    if province:
        # Province codes are two ASCII digits; anything else matches nothing.
        is_code = province.isascii() and province.isdigit()
        qs = qs.filter(province_id=province) if is_code else qs.none()
    if type:
        qs = qs.filter(type=type) if type in ActivityType.values else qs.none()
    if date_from:
        qs = qs.filter(ends_on__gte=date_from)
    if date_to:
        qs = qs.filter(starts_on__lte=date_to)
    if q:
        for word in _search_words(q):
            qs = qs.filter(search_key__contains=word)
    return qs.order_by("-starts_on", "-id")


def get_published_activity(pk: int) -> Activity:
    activity = (
        published_activities()
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.select_related("indicator").order_by(
                    "indicator__order"
                ),
            ),
            "evidence",
        )
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise NotFound()
    return activity


def published_offers(*, campaign_year: int | None = None, q: str | None = None) -> QuerySet[Offer]:
    qs = Offer.objects.filter(status=Offer.Status.APPROVED).select_related("campaign")
    if campaign_year:
        qs = qs.filter(campaign__year=campaign_year)
    if q:
        for word in _search_words(q):
            qs = qs.filter(search_key__contains=word)
    return qs.order_by("-starts_on", "provider", "id")


def offers_for_moderation(actor: Actor) -> QuerySet[Offer]:
    if not actor.has_action("offers.moderate"):
        return Offer.objects.none()
    return (
        Offer.objects.filter(subtree_q(actor, "organisation"), status=Offer.Status.PENDING)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def get_offer_for_moderation(actor: Actor, pk: int | None) -> Offer:
    """A pending offer the moderator may decide on; NotFound if missing, decided or outside."""
    offer = offers_for_moderation(actor).filter(pk=pk).first() if pk is not None else None
    if offer is None:
        raise NotFound()
    return offer


def offers_of_unit(actor: Actor) -> QuerySet[Offer]:
    if actor.organisation_id is None:
        return Offer.objects.none()
    return Offer.objects.filter(organisation_id=actor.organisation_id).order_by("-created_at")


def next_key_date(campaign: Campaign | None, today: datetime.date | None = None) -> KeyDate | None:
    """The next key date of the campaign from today (the countdown target), from data."""
    if campaign is None:
        return None
    today = today or timezone.localdate()
    return campaign.key_dates.filter(date__gte=today).order_by("date", "id").first()


def headline_figures(campaign: Campaign | None) -> dict[str, int]:
    published = published_activities(campaign_year=campaign.year if campaign else None)
    agg = published.aggregate(
        activities=Count("id"),
        units=Count("organisation_id", distinct=True),
        provinces=Count("province_id", distinct=True),
    )
    agg["offers"] = published_offers(campaign_year=campaign.year if campaign else None).count()
    return agg


# --- state-management areas ------------------------------------------------------------------

MIN_SECTORS = 3


@dataclass
class MinistrySectors:
    organisation: Organisation
    sectors: list[Sector]

    @property
    def flagged(self) -> bool:
        return len(self.sectors) < MIN_SECTORS


def get_sector_for_user(actor: Actor, pk: int) -> Sector:
    """An area of a ministry in the actor's subtree; the same NotFound for missing and forbidden."""
    sector = (
        Sector.objects.select_related("organisation")
        .filter(subtree_q(actor, "organisation"), pk=pk)
        .first()
    )
    if sector is None:
        raise NotFound()
    return sector


def sector_overview(actor: Actor | None = None) -> list[MinistrySectors]:
    """Every ministry (in the actor's subtree) with its areas; fewer than 3 is flagged."""
    ministries = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY)
    if actor is not None and not actor.is_operator:
        ministries = ministries.filter(subtree_q(actor, ""))
    sectors = Sector.objects.filter(organisation__in=ministries).prefetch_related("milestones")
    grouped: dict[int, list[Sector]] = defaultdict(list)
    for sector in sectors:
        grouped[sector.organisation_id].append(sector)
    return [
        MinistrySectors(organisation=m, sectors=grouped.get(m.pk, []))
        for m in ministries.order_by("name_sort")
    ]
