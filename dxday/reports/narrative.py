"""The report writes itself: a first draft of each narrative section, from the report's figures.

A pure function of two figure dicts made by `selectors.report_figures` (this campaign's and,
when there is one, the previous campaign's), so every number in the draft is a number of the
report, written the way the documents write figures (1.234, 85,5%). Nothing here reads the
database. The draft is a starting text for the clerk: the form shows it marked as a draft, the
documents highlight it, and the clerk's own text replaces it once saved.

Like the fixed texts of Decree 30, the drafts are document content, always Vietnamese.
"""

from __future__ import annotations

from typing import Any

from dxday.core.report_sections import SELF
from dxday.core.text import sort_key

from .documents.formatting import format_value

# How many units are named as leading and as lagging.
RANK_SIZE = 3
# Headline figures compared with the previous campaign, in this order.
YEAR_CODES = (
    "activities.total",
    "outreach.sessions",
    "outreach.households_visited",
    "outreach.people_guided",
    "outreach.accounts_activated",
    "plans.assignments.reported",
)
MAX_INDICATORS = 6
DOOR_TO_DOOR_TITLE = "Chiến dịch “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân”"


def _lower_first(text: str) -> str:
    """ "Tin, bài viết" → "tin, bài viết" inside a sentence; "VNeID …" stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


class _Figures:
    def __init__(self, figures: dict[str, Any] | None):
        self.figures = figures or {"sections": [], "units": []}
        self.index = {
            f["code"]: f
            for s in self.figures["sections"]
            for g in s["groups"]
            for f in g["figures"]
        }
        self.units = {u["key"]: u["name"] for u in self.figures.get("units", [])}

    def value(self, code: str):
        fig = self.index.get(code)
        return None if fig is None else fig["value"]

    def text(self, code: str) -> str:
        fig = self.index[code]
        return format_value(fig["value"], fig.get("kind", "count"))

    def has(self, *codes: str) -> bool:
        return all(self.value(c) is not None for c in codes)

    def ranked(
        self, code: str, *, lowest: bool = False, then: str | None = None
    ) -> list[tuple[str, Any]]:
        """(unit name, value) of the subordinate units (not the organisation itself) that
        reported this figure, best first (or worst first); ties go to the unit with more of
        the figure `then` (say, more overdue tasks), then in Vietnamese name order."""
        fig = self.index.get(code)
        if fig is None:
            return []
        second = (self.index.get(then) or {}).get("by_unit", {}) if then else {}
        rows = [
            (k, v)
            for k, v in fig["by_unit"].items()
            if k != SELF and k in self.units and v is not None
        ]
        sign = 1 if lowest else -1
        rows.sort(
            key=lambda kv: (sign * kv[1], -(second.get(kv[0]) or 0), sort_key(self.units[kv[0]]))
        )
        return [(self.units[k], v) for k, v in rows]


def _units_list(pairs: list[tuple[str, Any]], kind: str, unit: str = "") -> str:
    suffix = f" {unit}" if unit and kind != "percent" else ""
    return "; ".join(f"{name} ({format_value(v, kind)}{suffix})" for name, v in pairs)


# --- the sections ------------------------------------------------------------------------------
def _general(cur: _Figures, prev: _Figures | None, year: int, prev_year: int | None, org: str):
    paragraphs = []
    if cur.has("plans.assignments.total"):
        text = (
            f"Thực hiện Kế hoạch tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm "
            f"{year}, {org} và các đơn vị trực thuộc được giao "
            f"{cur.text('plans.assignments.total')} nhiệm vụ"
        )
        if cur.has("plans.assignments.reported", "plans.assignments.completion_rate"):
            text += (
                f"; đã báo cáo kết quả {cur.text('plans.assignments.reported')} nhiệm vụ, đạt "
                f"{cur.text('plans.assignments.completion_rate')} số nhiệm vụ được giao"
            )
        if cur.has("plans.assignments.on_time", "plans.assignments.on_time_rate"):
            text += (
                f"; {cur.text('plans.assignments.on_time')} nhiệm vụ báo cáo đúng hạn "
                f"({cur.text('plans.assignments.on_time_rate')})"
            )
        if cur.value("plans.assignments.overdue"):
            text += f"; còn {cur.text('plans.assignments.overdue')} nhiệm vụ quá hạn chưa báo cáo"
        paragraphs.append(text + ".")
    else:
        paragraphs.append(
            f"Trong phạm vi báo cáo, {org} chưa có nhiệm vụ nào được giao trong Kế hoạch tổ chức "
            f"các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm {year}."
        )

    if cur.has("activities.total"):
        kinds = [
            f"{_lower_first(f['label'])}: {cur.text(code)}"
            for code, f in cur.index.items()
            if code.startswith("activities.type.") and f["value"]
        ]
        text = (
            f"Các đơn vị đã tổ chức {cur.text('activities.total')} hoạt động hưởng ứng được duyệt"
        )
        if kinds:
            text += ", gồm " + "; ".join(kinds)
        paragraphs.append(text + ".")
        results = [
            f"{_lower_first(f['label'])}: {cur.text(code)} {f['unit']}"
            for code, f in cur.index.items()
            if code.startswith("indicators.") and f["value"]
        ][:MAX_INDICATORS]
        if results:
            paragraphs.append("Một số kết quả nổi bật: " + "; ".join(results) + ".")

    if cur.has("outreach.sessions"):
        text = f"{DOOR_TO_DOOR_TITLE}: "
        if cur.has("outreach.teams", "outreach.members"):
            text += (
                f"{cur.text('outreach.teams')} Tổ công nghệ số cộng đồng với "
                f"{cur.text('outreach.members')} thành viên đã thực hiện "
            )
        text += f"{cur.text('outreach.sessions')} lượt hướng dẫn"
        if cur.has("outreach.households_visited"):
            text += f", đến {cur.text('outreach.households_visited')} hộ gia đình"
            if cur.has("outreach.target_households", "outreach.households_rate"):
                text += (
                    f" (đạt {cur.text('outreach.households_rate')} chỉ tiêu "
                    f"{cur.text('outreach.target_households')} hộ)"
                )
        if cur.has("outreach.people_guided"):
            text += f", hướng dẫn {cur.text('outreach.people_guided')} người dân"
        if cur.has("outreach.accounts_activated"):
            text += f"; {cur.text('outreach.accounts_activated')} tài khoản được kích hoạt"
            if cur.has("outreach.target_accounts", "outreach.accounts_rate"):
                text += (
                    f" (đạt {cur.text('outreach.accounts_rate')} chỉ tiêu "
                    f"{cur.text('outreach.target_accounts')} tài khoản)"
                )
        paragraphs.append(text + ".")

    if prev is not None and prev_year is not None:
        compared = []
        for code in YEAR_CODES:
            if not (cur.has(code) and prev.has(code)):
                continue
            now, before = cur.value(code), prev.value(code)
            trend = "tăng" if now > before else "giảm" if now < before else "bằng"
            label = _lower_first(cur.index[code]["label"])
            compared.append(
                f"{label} {cur.text(code)} {cur.index[code]['unit']}, {trend} so với "
                f"{prev.text(code)} của năm {prev_year}"
            )
        if compared:
            paragraphs.append(f"So với năm {prev_year}: " + "; ".join(compared) + ".")
        else:
            paragraphs.append(f"Chưa có số liệu năm {prev_year} cùng chỉ tiêu để so sánh.")
    return paragraphs


def _leading(cur: _Figures) -> list[str]:
    paragraphs = []
    rate = [
        p
        for p in cur.ranked("plans.assignments.completion_rate", then="plans.assignments.reported")
        if p[1] > 0
    ]
    if rate:
        paragraphs.append(
            "Các đơn vị dẫn đầu về tỷ lệ nhiệm vụ đã báo cáo kết quả: "
            + _units_list(rate[:RANK_SIZE], "percent")
            + "."
        )
    activities = [p for p in cur.ranked("activities.total") if p[1] > 0]
    if activities:
        paragraphs.append(
            "Các đơn vị tổ chức nhiều hoạt động hưởng ứng được duyệt nhất: "
            + _units_list(activities[:RANK_SIZE], "count", "hoạt động")
            + "."
        )
    households = [p for p in cur.ranked("outreach.households_rate") if p[1] > 0]
    if households:
        paragraphs.append(
            "Các đơn vị có tỷ lệ hộ gia đình được đến hướng dẫn cao nhất so với chỉ tiêu: "
            + _units_list(households[:RANK_SIZE], "percent")
            + "."
        )
    if not paragraphs:  # no subordinate units to rank (a commune): its own strongest results
        topics = sorted(
            (
                (f["value"], code)
                for code, f in cur.index.items()
                if code.startswith("outreach.topic.") and code.endswith(".people") and f["value"]
            ),
            key=lambda vc: (-vc[0], vc[1]),
        )[:RANK_SIZE]
        if topics:
            paragraphs.append(
                "Những nội dung được hướng dẫn cho nhiều người dân nhất: "
                + "; ".join(
                    f"{cur.index[code]['label'].split(': ', 1)[-1]} ({cur.text(code)} người)"
                    for _v, code in topics
                )
                + "."
            )
    return paragraphs


def _lagging(cur: _Figures) -> list[str]:
    paragraphs = []
    if cur.value("plans.assignments.overdue"):
        overdue = [p for p in cur.ranked("plans.assignments.overdue") if p[1] > 0]
        text = f"Còn {cur.text('plans.assignments.overdue')} nhiệm vụ quá hạn chưa báo cáo kết quả"
        if overdue:
            text += "; nhiều nhất ở các đơn vị: " + _units_list(
                overdue[:RANK_SIZE], "count", "nhiệm vụ"
            )
        paragraphs.append(text + ".")
    for rate, done, target, unit, what in (
        ("outreach.households_rate", "outreach.households_visited", "outreach.target_households",
         "hộ", "Số hộ gia đình được đến hướng dẫn"),
        ("outreach.accounts_rate", "outreach.accounts_activated", "outreach.target_accounts",
         "tài khoản", "Số tài khoản được kích hoạt"),
    ):  # fmt: skip
        if cur.has(rate, done, target) and cur.value(rate) < 100:
            paragraphs.append(
                f"{what} mới đạt {cur.text(rate)} chỉ tiêu ({cur.text(done)} trên "
                f"{cur.text(target)} {unit})."
            )
    rate = cur.ranked(
        "plans.assignments.completion_rate", lowest=True, then="plans.assignments.overdue"
    )
    if rate and rate[0][1] < 100:
        paragraphs.append(
            "Các đơn vị có tỷ lệ nhiệm vụ đã báo cáo thấp nhất: "
            + _units_list(rate[:RANK_SIZE], "percent")
            + "."
        )
    households = cur.ranked("outreach.households_rate", lowest=True)
    if households and households[0][1] < 100:
        paragraphs.append(
            "Các đơn vị có tỷ lệ hộ gia đình được đến hướng dẫn thấp nhất so với chỉ tiêu: "
            + _units_list(households[:RANK_SIZE], "percent")
            + "."
        )
    missing = [
        _lower_first(f["label"])
        for code, f in cur.index.items()
        if code.startswith("indicators.") and f["value"] is None
    ]
    if missing:
        paragraphs.append(
            "Chưa có đơn vị nào báo cáo số liệu về: " + "; ".join(missing[:MAX_INDICATORS]) + "."
        )
    if not paragraphs:
        paragraphs.append("Chưa ghi nhận khó khăn, vướng mắc qua số liệu báo cáo.")
    return paragraphs


def _proposals(cur: _Figures) -> list[str]:
    paragraphs = []
    if cur.value("plans.assignments.overdue"):
        paragraphs.append(
            f"Đề nghị các đơn vị còn nhiệm vụ quá hạn ({cur.text('plans.assignments.overdue')} "
            "nhiệm vụ) khẩn trương hoàn thành và báo cáo kết quả."
        )
    for rate, target, unit, what in (
        ("outreach.households_rate", "outreach.target_households", "hộ", "đến hướng dẫn"),
        ("outreach.accounts_rate", "outreach.target_accounts", "tài khoản", "kích hoạt"),
    ):
        if cur.has(rate, target) and cur.value(rate) < 100:
            paragraphs.append(
                f"Tiếp tục đẩy mạnh chiến dịch “Đi từng ngõ, gõ từng nhà” để đạt chỉ tiêu "
                f"{cur.text(target)} {unit} {what} (hiện đạt {cur.text(rate)})."
            )
    if not paragraphs:
        paragraphs.append(
            "Đề nghị các đơn vị tiếp tục duy trì, nhân rộng các cách làm hiệu quả trong thời gian "
            "tới."
        )
    return paragraphs


def draft_narrative(
    figures: dict[str, Any],
    *,
    year: int,
    organisation_name: str,
    previous: dict[str, Any] | None = None,
    previous_year: int | None = None,
) -> dict[str, str]:
    """A draft of every narrative section (keys of `models.NARRATIVE_FIELDS`), one paragraph a
    line, every number taken from `figures` (or `previous`, the previous campaign's)."""
    cur = _Figures(figures)
    prev = _Figures(previous) if previous is not None else None
    return {
        "general_situation": "\n".join(_general(cur, prev, year, previous_year, organisation_name)),
        "outstanding_examples": "\n".join(_leading(cur)),
        "difficulties": "\n".join(_lagging(cur)),
        "proposals": "\n".join(_proposals(cur)),
    }
