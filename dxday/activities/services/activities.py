"""Activities: draft reports against an assignment (or on the unit's own initiative), their
indicator figures and their submission for review. Creating or updating a report takes its
evidence files too, so a report is saved whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can
from dxday.plans.models import Assignment, Campaign, Indicator
from dxday.plans.services import assignment_status_set

from ..models import Activity, ActivityType, IndicatorValue
from ._common import ensure_editable
from .evidence import evidence_attach

ACTIVITY_FIELDS = (
    "title", "type", "starts_on", "ends_on", "province", "commune", "is_online",
    "description", "links", "sector",
)  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------

# Larger than any real figure (people, pieces, đồng), and inside a 64-bit integer column.
MAX_INDICATOR_VALUE = 10**15


def _activity_search_key(activity: Activity) -> str:
    parts = [activity.title, activity.description, activity.organisation.name]
    if activity.province_id:
        parts.append(activity.province.name)
    if activity.commune_id:
        parts.append(activity.commune.name)
    return search_key(" ".join(p for p in parts if p))


def _allowed_indicators(activity: Activity) -> dict[str, Indicator]:
    if activity.assignment_id:
        qs = activity.assignment.task.indicators.all()
    else:
        qs = Indicator.objects.all()
    return {i.code: i for i in qs.select_related("part_of")}


def clean_value(indicator: Indicator, raw: Any) -> int | None:
    """'' / None → None (not reported); anything else must be a whole number ≥ 0.

    Text may use Vietnamese thousands separators ("10.250")."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(".", "").replace(" ", "")
        digits = text.removeprefix("-")
        # isdigit() alone accepts "²" and "٣", which int() rejects.
        if digits.isascii() and digits.isdigit() and len(digits) <= 15:
            value = int(text)
    if value is None or abs(value) > MAX_INDICATOR_VALUE:
        raise DomainError(
            _("Chỉ tiêu “%(name)s” phải là số nguyên.") % {"name": indicator.name},
            code="invalid_value",
            field=indicator.code,
        )
    if value < 0:
        raise DomainError(
            _("Chỉ tiêu “%(name)s” không được là số âm.") % {"name": indicator.name},
            code="invalid_value",
            field=indicator.code,
        )
    return value


def parts_errors(values: dict[Indicator, int | None]) -> list[str]:
    """Messages for every part that exceeds its total (both must be reported to compare)."""
    by_pk = {ind.pk: (ind, v) for ind, v in values.items()}
    errors = []
    for indicator, value in values.items():
        if indicator.part_of_id is None or value is None or indicator.part_of_id not in by_pk:
            continue
        total, total_value = by_pk[indicator.part_of_id]
        if total_value is not None and value > total_value:
            errors.append(
                _(
                    "Chỉ tiêu “%(part)s” (%(pv)s) không được lớn hơn chỉ tiêu tổng "
                    "“%(total)s” (%(tv)s)."
                )
                % {"part": indicator.name, "pv": value, "total": total.name, "tv": total_value}
            )
    return errors


def check_parts(values: dict[Indicator, int | None]) -> None:
    errors = parts_errors(values)
    if errors:
        raise DomainError(" ".join(errors), code="part_exceeds_total", errors=errors)


def clean_values(activity: Activity, values: dict[str, Any]) -> dict[Indicator, int | None]:
    """Validate figures keyed by indicator code; raise DomainError on the first problem."""
    allowed = _allowed_indicators(activity)
    cleaned: dict[Indicator, int | None] = {}
    for code, raw in values.items():
        indicator = allowed.get(code)
        if indicator is None:
            raise DomainError(
                _("Chỉ tiêu “%(code)s” không thuộc nhiệm vụ này.") % {"code": code},
                code="unknown_indicator",
                field=code,
            )
        cleaned[indicator] = clean_value(indicator, raw)
    # Compare with the figures already stored for indicators not being changed now.
    if activity.pk:
        for iv in activity.values.select_related("indicator"):
            if iv.indicator not in cleaned and iv.indicator.code in allowed:
                cleaned[allowed[iv.indicator.code]] = iv.value
    check_parts(cleaned)
    return cleaned


def _store_values(activity: Activity, cleaned: dict[Indicator, int | None]) -> dict:
    existing = {iv.indicator_id: iv for iv in activity.values.all()}
    changes = {}
    for indicator, value in cleaned.items():
        iv = existing.get(indicator.pk)
        if iv is None:
            IndicatorValue.objects.create(activity=activity, indicator=indicator, value=value)
            if value is not None:
                changes[indicator.code] = [None, value]
        elif iv.value != value:
            changes[indicator.code] = [iv.value, value]
            iv.value = value
            iv.save(update_fields=["value"])
    return changes


def _check_links(links: str) -> None:
    """Only web addresses (http/https): a `javascript:` link would run on the public portal."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    for line in links.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            validate(line)
        except ValidationError as exc:
            raise DomainError(
                _(
                    "Đường dẫn “%(link)s” không hợp lệ: chỉ nhận địa chỉ bắt đầu bằng http:// hoặc "
                    "https://."
                )
                % {"link": line[:100]},
                code="invalid_link",
                field="links",
            ) from exc


def _apply(activity: Activity, data: dict[str, Any]) -> None:
    for name in ACTIVITY_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in {"title", "description", "links"}:
            value = nfc(value or "")
        setattr(activity, name, value)
    if "links" in data:
        _check_links(activity.links)
    if activity.type and activity.type not in ActivityType.values:
        raise DomainError(_("Loại hoạt động không hợp lệ."), code="invalid_type", field="type")


# --- activities ------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    by: Actor,
    data: dict[str, Any],
    assignment: Assignment | None = None,
    organisation: Organisation | None = None,
    campaign: Campaign | None = None,
    values: dict[str, Any] | None = None,
    evidence: Sequence = (),
) -> Activity:
    """A draft report, against an assignment or (without one) on the unit's own initiative,
    with its figures and evidence files: all of it is saved, or nothing (a bad third file
    leaves no activity and no stored file)."""
    if assignment is not None:
        organisation = assignment.organisation
        campaign = assignment.task.plan.campaign
    if organisation is None:
        organisation = by.organisation
    ensure_can(by, "activities.report", organisation)
    if campaign is None:
        campaign = Campaign.objects.order_by("-year").first()
    if campaign is None:
        raise DomainError(_("Chưa có chiến dịch nào để báo cáo."), code="no_campaign")
    activity = Activity(
        campaign=campaign,
        organisation=organisation,
        assignment=assignment,
        created_by=by.user if by.user.pk else None,
        province_id=organisation.province_id,
        commune_id=organisation.commune_id,
    )
    _apply(activity, data)
    activity.search_key = _activity_search_key(activity)
    clean_or_raise(activity)
    activity.save()
    if values:
        _store_values(activity, clean_values(activity, values))
    audit_created(activity, "activities.activity.created", by=by)
    if assignment is not None and assignment.status == Assignment.Status.NOT_STARTED:
        assignment_status_set(assignment=assignment, status=Assignment.Status.IN_PROGRESS, by=by)
    evidence_attach(activity=activity, by=by, uploads=evidence)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: Actor,
    data: dict[str, Any],
    values: dict[str, Any] | None = None,
    evidence: Sequence = (),
) -> Activity:
    """Change a draft or returned report: fields, figures (None: leave them) and new evidence
    files, in one transaction."""
    ensure_can(by, "activities.report", activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_editable(activity)
    before = snapshot(activity)
    _apply(activity, data)
    activity.search_key = _activity_search_key(activity)
    clean_or_raise(activity)
    activity.save()
    changes = diff(before, activity)
    changes.pop("search_key", None)
    if values is not None:
        changes.update(_store_values(activity, clean_values(activity, values)))
    if changes:
        audit(activity, "activities.activity.updated", by=by, changes=changes)
    evidence_attach(activity=activity, by=by, uploads=evidence)
    return activity


@transaction.atomic
def activity_values_set(*, activity: Activity, by: Actor, values: dict[str, Any]) -> Activity:
    """Set figures by indicator code. Empty means "not reported" (NULL), never 0."""
    ensure_can(by, "activities.report", activity.organisation)
    ensure_editable(activity)
    changes = _store_values(activity, clean_values(activity, values))
    if changes:
        audit(activity, "activities.values.set", by=by, changes=changes)
    return activity


@transaction.atomic
def activity_submit(*, activity: Activity, by: Actor) -> Activity:
    ensure_can(by, "activities.report", activity.organisation)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in {Activity.Status.DRAFT, Activity.Status.RETURNED}:
        raise DomainError(
            _("Chỉ gửi được báo cáo ở trạng thái nháp hoặc bị trả lại."),
            code="not_draft",
            status=409,
        )
    values = {iv.indicator: iv.value for iv in activity.values.select_related("indicator")}
    check_parts(values)
    before = activity.status
    activity.status = Activity.Status.SUBMITTED
    activity.submitted_at = timezone.now()
    clean_or_raise(activity)
    activity.save(update_fields=["status", "submitted_at", "updated_at"])
    audit(
        activity, "activities.activity.submitted", by=by, changes={"status": [before, "submitted"]}
    )
    if activity.assignment_id:
        assignment_status_set(
            assignment=activity.assignment, status=Assignment.Status.REPORTED, by=by
        )
    return activity
