"""Every read of reports. `report_figures` is THE source of every number shown in the UI, the API
and the documents: nothing else computes a figure."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.errors import NotFound
from dxday.core.report_sections import SELF, Scope, Unit, registered_sections
from dxday.core.text import sort_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, can, subtree_q
from dxday.plans.models import Campaign

from . import decree30
from .models import NARRATIVE_FIELDS, Report, ReportDeadline, ReportJob
from .narrative import draft_narrative

# Units that do not report upward on their own (their figures roll up through their commune).
NON_REPORTING_KINDS = {Organisation.Kind.COMMUNITY_TEAM}


def parent_organisation(organisation: Organisation) -> Organisation | None:
    """The organisation a unit reports to (None at the root)."""
    if organisation.depth <= 1:
        return None
    return Organisation.objects.filter(path=organisation.parent_id_path).first()


def report_units(organisation: Organisation) -> list[Unit]:
    """The rows of the annex: the organisation's direct children, then the organisation itself."""
    children = Organisation.objects.filter(
        path__startswith=organisation.path, depth=organisation.depth + 1
    ).order_by("path")
    units = [Unit(key=str(c.pk), code=c.code, name=c.name, path=c.path) for c in children]
    units.append(
        Unit(
            key=SELF,
            code=organisation.code,
            name=_("%(name)s (trực tiếp thực hiện)") % {"name": organisation.name},
            path=organisation.path,
        )
    )
    return units


def report_figures(
    organisation: Organisation,
    campaign: Campaign,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> dict[str, Any]:
    """Every figure of every registered section for the organisation's subtree, in total and per
    subordinate unit, as a JSON-ready dict (the same dict is frozen into snapshots)."""
    units = report_units(organisation)
    scope = Scope(organisation=organisation, campaign=campaign, period=period, units=units)
    sections = [s.compute(scope).as_dict() for s in registered_sections()]
    return {
        "organisation": {
            "id": organisation.pk,
            "code": organisation.code,
            "name": organisation.name,
        },
        "campaign": campaign.year,
        "period": [d.isoformat() for d in period] if period else None,
        "units": [{"key": u.key, "code": u.code, "name": u.name} for u in units],
        "sections": sections,
        "computed_at": timezone.now().isoformat(),
    }


def figure_index(figures: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{figure code: figure dict} over every section and group."""
    return {f["code"]: f for s in figures["sections"] for g in s["groups"] for f in g["figures"]}


def figure_diff(frozen: dict[str, Any], live: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures whose value differs between a snapshot and the live data."""
    a, b = figure_index(frozen), figure_index(live)
    rows = []
    for code in list(a) + [c for c in b if c not in a]:
        old, new = a.get(code), b.get(code)
        old_v = old["value"] if old else None
        new_v = new["value"] if new else None
        if old_v != new_v:
            label = (new or old)["label"]
            delta = (
                new_v - old_v
                if isinstance(old_v, int | float) and isinstance(new_v, int | float)
                else None
            )
            rows.append({"code": code, "label": label, "unit": (new or old)["unit"],
                         "frozen": old_v, "live": new_v, "delta": delta})  # fmt: skip
    return rows


# --- Reports ----------------------------------------------------------------------------------
def report_list_for_user(actor: Actor, campaign: Campaign | None = None):
    qs = Report.objects.filter(subtree_q(actor)).select_related("organisation", "campaign")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-campaign__year", "organisation__path")


def reports_to_review(actor: Actor):
    """Reports submitted to a unit the actor reviews for (the direct children of their subtree)."""
    if not actor.has_action("reports.review"):
        return Report.objects.none()
    return (
        report_list_for_user(actor)
        .filter(status=Report.Status.SUBMITTED)
        .exclude(organisation_id=actor.organisation_id)
    )


def get_report_for_user(actor: Actor, report_id: int) -> Report:
    """A report the actor may read, or NotFound (missing and forbidden look the same)."""
    report = (
        Report.objects.filter(pk=report_id)
        .select_related("organisation", "campaign", "submitted_by", "reviewed_by")
        .first()
    )
    if report is None or not can(actor, "reports.view", report.organisation):
        raise NotFound()
    return report


def get_organisation_for_user(actor: Actor, code: str, action: str = "reports.view"):
    org = Organisation.objects.filter(code=code).first()
    if org is None or not can(actor, action, org):
        raise NotFound()
    return org


def get_campaign(year: int) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        raise NotFound(_("Không tìm thấy chiến dịch năm %(year)s.") % {"year": year})
    return campaign


def report_job_for_user(actor: Actor, job_id: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=job_id).select_related("organisation", "campaign").first()
    if job is None or not can(actor, "reports.view", job.organisation):
        raise NotFound()
    return job


def report_for_campaign(organisation: Organisation, campaign: Campaign) -> Report | None:
    """The unit's report for the whole campaign (not a period report), if drafted."""
    return Report.objects.filter(
        organisation=organisation, campaign=campaign, period_start__isnull=True
    ).first()


def report_snapshots(report: Report):
    return report.snapshots.order_by("-version")


# --- Reporting rates (DHIS2 style) -------------------------------------------------------------
def reporting_rates(organisation: Organisation, campaign: Campaign) -> list[dict[str, Any]]:
    """Completeness and timeliness of REPORTS, per level and kind of unit below `organisation`:
    expected (units that report upward), received (submitted or accepted, not returned), on
    time (last sent on or before the campaign's reporting deadline). Two aggregate queries,
    whatever the tree size."""
    base = Organisation.objects.filter(
        path__startswith=organisation.path, depth__gt=organisation.depth, is_active=True
    ).exclude(kind__in=NON_REPORTING_KINDS)
    expected = base.values("depth", "kind").annotate(n=Count("id")).order_by("depth", "kind")
    due = ReportDeadline.objects.filter(campaign=campaign).values_list("due_on", flat=True).first()
    # Received: submitted or accepted (a returned report is back with the unit, not received).
    received_q = Q(
        reports__campaign=campaign,
        reports__period_start__isnull=True,
        reports__status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED],
    )
    received = {
        (r["depth"], r["kind"]): r
        for r in base.filter(received_q)
        .values("depth", "kind")
        .annotate(
            received=Count("id", distinct=True),
            on_time=Count(
                "id",
                distinct=True,
                filter=Q(reports__submitted_on__lte=due) if due else Q(pk__in=[]),
            ),
        )
        .order_by()  # the tree's default ordering (path) would split the groups
    }
    labels = dict(Organisation.Kind.choices)
    rows = []
    for row in expected:
        got = received.get((row["depth"], row["kind"]), {})
        n_received, n_on_time = got.get("received", 0), got.get("on_time", 0)
        rows.append(
            {
                "level": row["depth"] - organisation.depth,
                "kind": row["kind"],
                "label": labels.get(row["kind"], row["kind"]),
                "expected": row["n"],
                "received": n_received,
                "on_time": n_on_time if due else None,
                "received_rate": round(100 * n_received / row["n"], 1) if row["n"] else None,
                "on_time_rate": round(100 * n_on_time / row["n"], 1) if row["n"] and due else None,
            }
        )
    return rows


def reporting_deadline(campaign: Campaign) -> datetime.date | None:
    return ReportDeadline.objects.filter(campaign=campaign).values_list("due_on", flat=True).first()


def child_report_statuses(organisation: Organisation, campaign: Campaign) -> list[dict[str, Any]]:
    """Each direct child with its report (if any) for the campaign: one query."""
    children = Organisation.objects.filter(
        path__startswith=organisation.path, depth=organisation.depth + 1
    ).exclude(kind__in=NON_REPORTING_KINDS)
    reports = {
        r.organisation_id: r
        for r in Report.objects.filter(
            campaign=campaign, period_start__isnull=True, organisation__in=children
        )
    }
    return [{"organisation": c, "report": reports.get(c.pk)} for c in children.order_by("path")]


def report_view_content(report: Report) -> dict[str, Any]:
    """What the report page shows: the frozen snapshot once accepted, else the live figures."""
    return report_content(organisation=report.organisation, campaign=report.campaign, report=report)


# --- What a document shows -----------------------------------------------------------------------
K = Organisation.Kind


def _agency_name(org: Organisation) -> str:
    name = org.name
    if name.startswith("UBND "):
        name = "Ủy ban nhân dân " + name[5:]
    return name


def report_addressee(organisation: Organisation, parent: Organisation | None = None) -> str:
    """Whom the report is addressed to ("Kính gửi"): the body above the unit in the tree, by its
    full name; the top of the tree reports to the Government (decree30.TOP_ADDRESSEE)."""
    parent = parent if parent is not None else parent_organisation(organisation)
    if parent is None:
        return decree30.TOP_ADDRESSEE
    return _agency_name(parent)


def default_recipients(organisation: Organisation, parent: Organisation | None) -> list[str]:
    if parent is None:
        return list(decree30.TOP_RECIPIENTS)
    return [f"{_agency_name(parent)} (để b/c)"]


def report_defaults(organisation: Organisation, campaign: Campaign) -> dict[str, Any]:
    """Header and closing block a new report starts from (the coordinator edits them)."""
    parent = parent_organisation(organisation)
    authority, title = decree30.DEFAULT_SIGNATURE.get(organisation.kind, ("", ""))
    issuer = decree30.DEFAULT_ISSUER_CODE.get(organisation.kind, organisation.short_name or "")
    place = ""
    if organisation.commune_id and organisation.kind == K.COMMUNE:
        place = organisation.commune.name.split(" ", 1)[-1]
    elif organisation.province_id:
        place = organisation.province.name
    parent_agency = ""
    if parent is not None and organisation.kind in {K.DEPARTMENT, K.PRESS, K.YOUTH_UNION}:
        parent_agency = _agency_name(parent)
    return {
        "number": decree30.document_number(None, issuer or "UBND"),
        "parent_agency": parent_agency,
        "issuing_agency": _agency_name(organisation),
        "addressee": report_addressee(organisation, parent),
        "place": place or "Hà Nội",
        "authority_line": authority,
        "signer_title": title,
        "recipients": default_recipients(organisation, parent),
        "archive_unit": organisation.short_name or "",
    }


def report_content(
    *,
    organisation: Organisation,
    campaign: Campaign,
    report: Report | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> dict[str, Any]:
    """The one `content` dict every document is rendered from: for an accepted report, its
    latest frozen snapshot; otherwise the live figures of `report_figures`, with the report's
    header and narrative (or the default header when there is no report). A narrative section
    left empty is drafted from the figures (`narrative.draft_narrative`); `drafted` names
    those sections, which the form and the documents mark as a draft."""
    if report is not None and report.status == Report.Status.ACCEPTED:
        snap = report.snapshots.order_by("-version").first()
        if snap is not None:
            content = {
                "year": campaign.year,
                "organisation_name": organisation.name,
                "header": snap.header,
                "narrative": dict(snap.narrative),
                "explanations": snap.explanations,
                "figures": snap.figures,
                "version": snap.version,
            }
            return _with_drafts(content, organisation, campaign, period=report.period)
    if report is not None:
        header, narrative = report.header(), report.narrative()
        explanations = dict(report.explanations or {})
        period = report.period
        # A report goes up to someone: a draft whose "Kính gửi" was left empty gets the default.
        header["addressee"] = header.get("addressee") or report_addressee(organisation)
    else:
        header = {**report_defaults(organisation, campaign), "issued_on": None}
        narrative, explanations = {}, {}
    content = {
        "year": campaign.year,
        "organisation_name": organisation.name,
        "header": header,
        "narrative": narrative,
        "explanations": explanations,
        "figures": report_figures(organisation, campaign, period),
        "version": None,
    }
    return _with_drafts(content, organisation, campaign, period=period)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    return Campaign.objects.filter(year__lt=campaign.year).order_by("-year").first()


def _with_drafts(
    content: dict[str, Any],
    organisation: Organisation,
    campaign: Campaign,
    *,
    period: tuple[datetime.date, datetime.date] | None,
) -> dict[str, Any]:
    narrative = {f: (content["narrative"].get(f) or "").strip() for f in NARRATIVE_FIELDS}
    empty = [f for f in NARRATIVE_FIELDS if not narrative[f]]
    content["narrative"], content["drafted"] = narrative, []
    if not empty:
        return content
    # The whole campaign is compared with the whole previous one (a period report is not).
    before = previous_campaign(campaign) if period is None else None
    draft = draft_narrative(
        content["figures"],
        year=campaign.year,
        organisation_name=organisation.name,
        previous=report_figures(organisation, before) if before is not None else None,
        previous_year=before.year if before is not None else None,
    )
    for key in empty:
        if draft.get(key):
            narrative[key] = draft[key]
            content["drafted"].append(key)
    return content


# --- Dashboard -----------------------------------------------------------------------------------
def _section(figures: dict[str, Any], code: str) -> dict[str, Any] | None:
    return next((s for s in figures["sections"] if s["code"] == code), None)


DASHBOARD_ROWS = 20


def dashboard(organisation: Organisation, campaign: Campaign) -> dict[str, Any]:
    """Everything the organisation's dashboard shows, all of it read from `report_figures`."""
    figures = report_figures(organisation, campaign)
    idx = figure_index(figures)
    units = {u["key"]: u["name"] for u in figures["units"]}

    def by_unit(code: str, lowest_first: bool = False) -> list[tuple[str, Any]]:
        fig = idx.get(code)
        if fig is None:
            return []
        pairs = [(k, v) for k, v in fig["by_unit"].items() if k in units and v is not None]
        sign = 1 if lowest_first else -1
        return sorted(pairs, key=lambda kv: (sign * kv[1], sort_key(units[kv[0]])))

    overdue = dict(by_unit("plans.assignments.overdue"))
    assigned = dict(by_unit("plans.assignments.total"))
    late_units = [
        {"name": units[k], "overdue": n, "assigned": assigned.get(k)}
        for k, n in sorted(overdue.items(), key=lambda kv: -kv[1])
        if n
    ]
    completion = by_unit("plans.assignments.completion_rate", lowest_first=True)
    households = by_unit("outreach.households_rate", lowest_first=True)
    outreach = _section(figures, "outreach")
    outreach_figures = [f for g in (outreach or {}).get("groups", [])[:2] for f in g["figures"]]
    headline = [
        idx[c]
        for c in (
            "plans.assignments.total",
            "plans.assignments.completion_rate",
            "plans.assignments.on_time_rate",
            "activities.total",
            "outreach.people_guided",
            "outreach.households_rate",
        )
        if c in idx
    ]

    previous = Campaign.objects.filter(year=campaign.year - 1).first()
    yoy = []
    if previous is not None:
        before = figure_index(report_figures(organisation, previous))
        for code, fig in idx.items():
            old = before.get(code)
            if (
                old is None
                or fig.get("kind") != "count"
                or code.startswith("plans.task.")
                or (fig["value"] is None and old["value"] is None)
            ):
                continue
            yoy.append(
                {"code": code, "label": fig["label"], "unit": fig["unit"],
                 "current": fig["value"], "previous": old["value"]}
            )  # fmt: skip
    return {
        "figures": figures,
        "units": units,
        "headline": headline,
        # A province has ~170 direct units: charts and lists show the units to chase first.
        "completion_by_unit": completion[:DASHBOARD_ROWS],
        "completion_more": max(len(completion) - DASHBOARD_ROWS, 0),
        "late_units": late_units[:DASHBOARD_ROWS],
        "late_units_more": max(len(late_units) - DASHBOARD_ROWS, 0),
        "activities_by_type": [f for c, f in idx.items() if c.startswith("activities.type.")],
        "indicators": [f for c, f in idx.items() if c.startswith("indicators.")],
        "outreach_figures": outreach_figures,
        "outreach_by_unit": households[:DASHBOARD_ROWS],
        "year_over_year": yoy,
        "years": (previous.year if previous else None, campaign.year),
    }
