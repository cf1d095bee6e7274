"""Excel exchange: a unit downloads a template of its assignments and indicators, fills it in
offline and uploads it. A dry run comes first; a file with any bad row saves nothing
(dxday.core.imports.run_import). Valid rows create or update draft activities; an empty figure
cell is "not reported" (NULL), never 0."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from dxday.core.import_templates import TemplateColumn
from dxday.core.import_templates import template_xlsx as template_xlsx_build
from dxday.core.imports import (
    ImportReport,
    RowErrors,
    RowInvalid,
    TableImport,
    column_aliases,
    has_column,
    lookup,
    read_rows,
    run_import,
)
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
UNITS = {"starts_on": "dd/mm/yyyy", "ends_on": "dd/mm/yyyy", "is_online": "có/không"}
SHEET_TITLE = "Báo cáo"
PREFILLED = ("assignment", "task")  # what the template writes in every row itself
YES, NO = "có", "không"
INDICATOR_KEY = "ind:"


def _type_labels() -> list[str]:
    """The activity types as people read them (the template is always Vietnamese)."""
    with translation.override("vi"):
        return [str(label) for _value, label in ActivityType.choices]


def _types() -> dict[str, str]:
    """Every way to write a type, diacritics ignored: the Vietnamese label, the label in the
    reader's language, and the code of older templates (communication, door_to_door)."""
    out = {search_key(value): value for value in ActivityType.values}
    out |= {search_key(str(label)): value for value, label in ActivityType.choices}
    with translation.override("vi"):
        out |= {search_key(str(label)): value for value, label in ActivityType.choices}
    return out


def indicator_heading(indicator: Indicator) -> str:
    """ "Tin, bài viết đã đăng (bài)": the indicator's name with its unit."""
    return f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name


def indicator_aliases(indicator: Indicator) -> list[str]:
    """The headers naming an indicator's column: the template key, the heading with its unit,
    the name alone, and the bare code older templates used as the heading."""
    return column_aliases(
        INDICATOR_KEY + indicator.code, indicator_heading(indicator), indicator.name, indicator.code
    )


def _indicators_of(assignments) -> list[Indicator]:
    seen: dict[int, Indicator] = {}
    for assignment in assignments:
        for indicator in assignment.task.indicators.all():
            seen.setdefault(indicator.pk, indicator)
    return sorted(seen.values(), key=lambda i: (i.order, i.code))


def template_xlsx(actor: Actor) -> bytes:
    """One row per assignment of the acting unit; one column per indicator of their tasks,
    headed by its Vietnamese name and unit (the code is only in the hidden key row)."""
    assignments = list(selectors.assignments_for_unit(actor))
    indicators = _indicators_of(assignments)
    notes = {
        "assignment": _("Mã do hệ thống ghi sẵn, không sửa."),
        "task": _("Tên nhiệm vụ, để đối chiếu; không cần sửa."),
        "activity": _("Để trống để tạo báo cáo mới; ghi mã để sửa một bản nháp đã có."),
        "title": _("Tên hoạt động đã tổ chức."),
        "type": _("Chọn trong danh sách thả xuống."),
        "starts_on": _("Ngày dạng dd/mm/yyyy, ví dụ 01/10/2025."),
        "ends_on": _("Ngày dạng dd/mm/yyyy; để trống nếu chỉ một ngày."),
        "is_online": _("Chọn “có” nếu tổ chức trực tuyến."),
        "description": _("Mô tả ngắn kết quả."),
    }
    widths = {"task": 36, "title": 36, "type": 28, "description": 40, "assignment": 12}
    columns = [
        TemplateColumn(
            key=key,
            heading=f"{COLUMNS[key]} ({UNITS[key]})" if key in UNITS else COLUMNS[key],
            note=str(notes[key]),
            choices=_type_labels() if key == "type" else [YES, NO] if key == "is_online" else [],
            kind="date" if key in ("starts_on", "ends_on") else "text",
            width=widths.get(key, 16),
            required=key in ("assignment", "title", "type", "starts_on"),
        )
        for key in COLUMNS
    ]
    columns += [
        TemplateColumn(
            key=INDICATOR_KEY + indicator.code,
            heading=indicator_heading(indicator),
            note=_("Số nguyên ≥ 0, đơn vị tính: %(unit)s.") % {"unit": indicator.unit},
            kind="whole",
            width=18,
        )
        for indicator in indicators
    ]
    rows = [[a.pk, a.task.title] for a in assignments]
    intro = [
        _("Mỗi dòng là một nhiệm vụ được giao cho đơn vị; điền các cột của hoạt động đã làm."),
        _("Ô số liệu để trống nghĩa là không báo cáo, khác với số 0."),
        _("Sau khi điền, tải tệp lên trang “Nhập từ Excel”: hệ thống kiểm tra trước, báo mọi lỗi "
          "của mọi dòng, và chỉ lưu khi cả tệp hợp lệ."),
    ]  # fmt: skip
    return template_xlsx_build(
        sheet_title=SHEET_TITLE, columns=columns, rows=rows, guide_intro=intro, freeze_columns=2
    )


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
    units = UNITS
    required = {"assignment"}

    def __init__(self, actor: Actor):
        self.actor = actor
        self.assignments = {a.pk: a for a in selectors.assignments_for_unit(actor)}
        self.indicators = {i.code: i for i in Indicator.objects.select_related("part_of")}
        self.aliases_of = {code: indicator_aliases(i) for code, i in self.indicators.items()}
        self.types = _types()

    def clean_row(self, row: dict, context: dict) -> dict | None:
        """Every error of the row at once: assignment, title, type, dates, each figure."""
        errors = RowErrors()
        raw_id = self.value(row, "assignment")
        assignment = None
        if raw_id not in (None, ""):
            try:
                assignment = self.assignments.get(int(raw_id))
            except (TypeError, ValueError):
                assignment = None
            if assignment is None:
                errors.add(
                    _("mã phân công “%(id)s” không thuộc đơn vị của bạn.") % {"id": raw_id},
                    self.heading("assignment"),
                )
        figures = {
            code: lookup(row, aliases)
            for code, aliases in self.aliases_of.items()
            if lookup(row, aliases) not in (None, "")
        }
        title = self.value(row, "title")
        filled = figures or any(
            self.value(row, key) not in (None, "") for key in COLUMNS if key not in PREFILLED
        )
        if not filled and not errors:
            return None  # an assignment row the unit did not fill in
        if not title:
            errors.add(_("không được để trống."), self.heading("title"))
        raw_type = self.value(row, "type")
        kind = self.types.get(search_key(str(raw_type or "")))
        if kind is None:
            errors.add(
                _("loại hoạt động “%(v)s” không hợp lệ; hãy chọn trong danh sách.")
                % {"v": raw_type or ""},
                self.heading("type"),
            )
        raw_start = self.value(row, "starts_on")
        starts_on = None
        if raw_start in (None, ""):
            errors.add(_("không được để trống."), self.heading("starts_on"))
        else:
            starts_on = errors.capture(_date, raw_start, self.heading("starts_on"))
        raw_end = self.value(row, "ends_on")
        ends_on = (
            errors.capture(_date, raw_end, self.heading("ends_on"))
            if raw_end not in (None, "")
            else starts_on
        )
        if starts_on and ends_on and ends_on < starts_on:
            errors.add(_("ngày kết thúc trước ngày bắt đầu."), self.heading("ends_on"))
        task_codes = (
            {i.code for i in assignment.task.indicators.all()} if assignment is not None else None
        )
        # Every indicator column of the task that the file carries: an empty cell is "not
        # reported" (NULL), also when it empties a figure of a draft being updated.
        values: dict[str, int | None] = {}
        cleaned: dict[Indicator, int | None] = {}
        for code, aliases in self.aliases_of.items():
            if not has_column(row, aliases):
                continue
            indicator = self.indicators[code]
            column = indicator_heading(indicator)
            if task_codes is not None and code not in task_codes:
                if code in figures:
                    errors.add(_("chỉ tiêu này không thuộc nhiệm vụ."), column)
                continue
            value = errors.capture(
                services.clean_value, indicator, lookup(row, aliases), column=column
            )
            if value is not None or code not in figures:
                values[code] = value
                cleaned[indicator] = value
        for problem in services.parts_errors(cleaned):
            errors.add(problem)
        activity = None
        raw_activity = self.value(row, "activity")
        if raw_activity not in (None, "") and assignment is not None:
            try:
                activity = Activity.objects.filter(
                    pk=int(raw_activity), assignment=assignment
                ).first()
            except (TypeError, ValueError):
                activity = None
            if activity is None:
                errors.add(_("không tìm thấy hoạt động này."), self.heading("activity"))
            elif not activity.is_editable:
                errors.add(
                    _("hoạt động đã gửi hoặc đã duyệt, không thể sửa."), self.heading("activity")
                )
        errors.raise_if_any()
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
