"""Completeness, timeliness and the chase lists."""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from dxday.core.text import search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, subtree_q

from ..models import Assignment, Campaign, Plan
from ._common import REPORTED
from .assignments import with_effective_status
from .plans import plan_descendants

# --- Completeness and timeliness --------------------------------------------------------------


def _rates(row: dict) -> dict:
    expected = row["expected"] or 0
    row["completeness"] = round(100 * row["reported"] / expected, 1) if expected else None
    row["timeliness"] = round(100 * row["on_time"] / expected, 1) if expected else None
    return row


def plan_completeness(
    plan: Plan, actor: Actor | None = None, *, today: datetime.date | None = None
) -> dict:
    """Expected, reported, on-time and late counts with rates, for the plan and every plan
    cascaded from it, in total and per level (organisation kind).

    Completeness = reported / expected; timeliness = reported on or before the deadline /
    expected (DHIS2's reporting-rate definitions). Rates are None when nothing is expected.
    """
    today = today or timezone.localdate()
    qs = Assignment.objects.filter(task__plan__in=plan_descendants(plan))
    if actor is not None:
        qs = qs.filter(subtree_q(actor, "organisation"))
    levels = list(
        qs.annotate(reported_on=TruncDate("first_reported_at"))
        .values("organisation__kind")
        .annotate(
            expected=Count("pk"),
            reported=Count("pk", filter=Q(first_reported_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(first_reported_at__isnull=False)
                & (Q(deadline__isnull=True) | Q(reported_on__lte=F("deadline"))),
            ),
            late=Count(
                "pk",
                filter=Q(first_reported_at__isnull=True)
                & Q(deadline__lt=today)
                & ~Q(status__in=REPORTED),
            ),
            depth=Max("organisation__depth"),
        )
        .order_by("depth", "organisation__kind")
    )
    kinds = dict(Organisation.Kind.choices)
    total = {"expected": 0, "reported": 0, "on_time": 0, "late": 0}
    rows = []
    for row in levels:
        for k in total:
            total[k] += row[k]
        rows.append(
            _rates(
                {
                    "kind": row["organisation__kind"],
                    "label": str(kinds.get(row["organisation__kind"], row["organisation__kind"])),
                    **{k: row[k] for k in total},
                }
            )
        )
    return {"total": _rates(total), "levels": rows}


def _chase_base(
    actor: Actor,
    *,
    campaign: Campaign | None,
    plan: Plan | None,
    today: datetime.date,
    only_late: bool,
) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(
        subtree_q(actor, "organisation"),
        first_reported_at__isnull=True,
    ).exclude(status__in=REPORTED)
    if actor.organisation is not None and not actor.is_operator:
        qs = qs.exclude(organisation=actor.organisation)
    if plan is not None:
        qs = qs.filter(task__plan__in=plan_descendants(plan))
    if campaign is not None:
        qs = qs.filter(task__plan__campaign=campaign)
    if only_late:
        qs = qs.filter(deadline__lt=today)
    return qs


def chase_list(
    actor: Actor,
    *,
    campaign: Campaign | None = None,
    plan: Plan | None = None,
    today: datetime.date | None = None,
    only_late: bool = False,
) -> QuerySet[Assignment]:
    """The assignments in the actor's subtree that nobody has reported yet (the units to chase),
    soonest deadline first, with the day of the last reminder."""
    today = today or timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=plan, today=today, only_late=only_late)
    return (
        with_effective_status(qs, today)
        .select_related("organisation", "task", "task__plan")
        .annotate(last_reminded=Max("reminders__day"))
        .order_by(F("deadline").asc(nulls_last=True), "organisation__path", "task__order")
    )


def chase_units(
    actor: Actor,
    *,
    campaign: Campaign | None = None,
    plan: Plan | None = None,
    today: datetime.date | None = None,
    only_late: bool = False,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet:
    """One row per unit of the actor's subtree that has not reported: how many tasks are
    pending and late, the nearest deadline and the last reminder. Most late first.
    `kind` keeps one level of unit; `q` finds units by name, with or without diacritics."""
    today = today or timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=plan, today=today, only_late=only_late)
    qs = _unit_filters(qs, kind=kind, q=q)
    return (
        qs.values(
            "organisation_id", "organisation__name", "organisation__kind", "organisation__path"
        )
        .annotate(
            pending=Count("pk", distinct=True),
            late=Count("pk", filter=Q(deadline__lt=today), distinct=True),
            next_deadline=Min("deadline"),
            last_reminded=Max("reminders__day"),
        )
        .order_by("-late", "organisation__path")
    )


def chase_assignments_of_units(
    actor: Actor,
    organisation_ids: list[int] | None,
    *,
    campaign: Campaign | None = None,
    only_late: bool = False,
    kind: str | None = None,
    q: str | None = None,
) -> QuerySet[Assignment]:
    """The pending assignments of the chosen units (for "Remind"), within the actor's reach.
    `organisation_ids` None means every unit the filters (`kind`, `q`) match, on every page."""
    today = timezone.localdate()
    qs = _chase_base(actor, campaign=campaign, plan=None, today=today, only_late=only_late)
    if organisation_ids is None:
        qs = _unit_filters(qs, kind=kind, q=q)
    else:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return qs.select_related("organisation")


def _unit_filters(qs: QuerySet[Assignment], *, kind: str | None, q: str | None):
    if kind:
        qs = qs.filter(organisation__kind=kind)
    key = search_key(q or "")
    if key:
        qs = qs.filter(organisation__search_key__contains=key)
    return qs
