"""Excel exchange: a unit downloads a template of its assignments and indicators, fills it in
offline and uploads it. A dry run comes first; a file with any bad row saves nothing
(dxday.core.imports.run_import). Valid rows create or update draft activities; an empty figure
cell is "not reported" (NULL), never 0."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.exports import workbook_save
from dxday.core.imports import ImportReport, RowInvalid, TableImport, read_rows, run_import
from dxday.core.text import search_key
from dxday.orgs.permissions import Actor
from dxday.plans.models import Indicator

from . import selectors, services
from .models import Activity, ActivityType

COLUMNS = {
    "assignment": "Mã phân công",
    "task": "Nhiệm vụ",
    "activity": "Mã hoạt động",
    "title": "Tên hoạt động",
    "type": "Loại hoạt động",
    "starts_on": "Từ ngày",
    "ends_on": "Đến ngày",
    "is_online": "Trực tuyến",
    "description": "Mô tả",
}
_TYPES = {search_key(label): value for value, label in ActivityType.choices} | {
    search_key(value): value for value in ActivityType.values
}


def _indicators_of(assignments) -> list[Indicator]:
    seen: dict[int, Indicator] = {}
    for assignment in assignments:
        for indicator in assignment.task.indicators.all():
            seen.setdefault(indicator.pk, indicator)
    return sorted(seen.values(), key=lambda i: (i.order, i.code))


def template_xlsx(actor: Actor) -> bytes:
    """One row per assignment of the acting unit; one column per indicator (by code)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    assignments = list(selectors.assignments_for_unit(actor))
    indicators = _indicators_of(assignments)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bao cao"
    sheet.append(list(COLUMNS.values()) + [i.code for i in indicators])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for assignment in assignments:
        sheet.append([assignment.pk, assignment.task.title])
    legend = workbook.create_sheet("Huong dan")
    legend.append([_("Cột"), _("Ý nghĩa")])
    legend.append([COLUMNS["activity"], _("Để trống để tạo báo cáo mới; ghi mã để sửa bản nháp.")])
    legend.append([COLUMNS["type"], ", ".join(ActivityType.values)])
    legend.append([COLUMNS["starts_on"], _("Ngày dạng dd/mm/yyyy")])
    legend.append([COLUMNS["is_online"], _("có / không")])
    for indicator in indicators:
        legend.append([indicator.code, f"{indicator.name} ({indicator.unit})"])
    legend.append([_("Lưu ý"), _("Ô số liệu để trống nghĩa là không báo cáo, khác với số 0.")])
    buffer = io.BytesIO()
    workbook_save(workbook, buffer)
    return buffer.getvalue()


def _date(value: Any, column: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return datetime.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise RowInvalid(_("ngày không hợp lệ (dạng dd/mm/yyyy)."), column)


class ActivityImport(TableImport):
    columns = COLUMNS
    required = {"assignment"}

    def __init__(self, actor: Actor):
        self.actor = actor
        self.assignments = {a.pk: a for a in selectors.assignments_for_unit(actor)}
        self.indicators = {i.code: i for i in Indicator.objects.select_related("part_of")}

    def clean_row(self, row: dict, context: dict) -> dict | None:
        raw_id = self.value(row, "assignment")
        try:
            assignment = self.assignments.get(int(raw_id))
        except (TypeError, ValueError):
            assignment = None
        if assignment is None:
            raise RowInvalid(
                _("mã phân công “%(id)s” không thuộc đơn vị của bạn.") % {"id": raw_id},
                COLUMNS["assignment"],
            )
        task_codes = {i.code for i in assignment.task.indicators.all()}
        figures = {
            code: row.get(search_key(code))
            for code in self.indicators
            if row.get(search_key(code)) not in (None, "")
        }
        title = self.value(row, "title")
        if not title and not figures:
            return None  # an assignment row the unit did not fill in
        if not title:
            raise RowInvalid(_("không được để trống."), COLUMNS["title"])
        kind = _TYPES.get(search_key(str(self.value(row, "type") or "")))
        if kind is None:
            raise RowInvalid(_("loại hoạt động không hợp lệ."), COLUMNS["type"])
        starts_on = _date(self.value(row, "starts_on"), COLUMNS["starts_on"])
        ends_on = _date(self.value(row, "ends_on") or starts_on, COLUMNS["ends_on"])
        if ends_on < starts_on:
            raise RowInvalid(_("ngày kết thúc trước ngày bắt đầu."), COLUMNS["ends_on"])
        for code in figures:
            if code not in task_codes:
                raise RowInvalid(_("chỉ tiêu này không thuộc nhiệm vụ."), code)
        # Every indicator column of the task that the file carries: an empty cell is "not
        # reported" (NULL), also when it empties a figure of a draft being updated.
        values: dict[str, int | None] = {}
        cleaned: dict[Indicator, int | None] = {}
        for code in sorted(task_codes):
            if search_key(code) not in row:
                continue
            try:
                value = services.clean_value(self.indicators[code], row.get(search_key(code)))
            except DomainError as exc:
                raise RowInvalid(exc.message, code) from exc
            values[code] = value
            cleaned[self.indicators[code]] = value
        problems = services.parts_errors(cleaned)
        if problems:
            raise RowInvalid(" ".join(problems))
        activity = None
        raw_activity = self.value(row, "activity")
        if raw_activity not in (None, ""):
            try:
                activity = Activity.objects.filter(
                    pk=int(raw_activity), assignment=assignment
                ).first()
            except (TypeError, ValueError):
                activity = None
            if activity is None:
                raise RowInvalid(_("không tìm thấy hoạt động này."), COLUMNS["activity"])
            if not activity.is_editable:
                raise RowInvalid(
                    _("hoạt động đã gửi hoặc đã duyệt, không thể sửa."), COLUMNS["activity"]
                )
        online = search_key(str(self.value(row, "is_online") or "")) in {"co", "x", "1", "yes"}
        return {
            "assignment": assignment,
            "activity": activity,
            "data": {
                "title": title,
                "type": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "is_online": online,
                "description": self.value(row, "description") or "",
            },
            "values": values,
        }

    def save(self, cleaned: list, context: dict) -> int:
        saved = 0
        for item in cleaned:
            if item is None:
                continue
            if item["activity"] is not None:
                services.activity_update(
                    activity=item["activity"],
                    by=self.actor,
                    data=item["data"],
                    values=item["values"],
                )
            else:
                services.activity_create(
                    by=self.actor,
                    assignment=item["assignment"],
                    data=item["data"],
                    values=item["values"],
                )
            saved += 1
        return saved


def activities_import(*, by: Actor, upload, dry_run: bool = True) -> ImportReport:
    """Check (dry run) or save an uploaded template. Nothing is saved if any row is bad."""
    rows = read_rows(upload)
    return run_import(ActivityImport(by), rows, dry_run=dry_run)
