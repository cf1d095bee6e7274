"""Year over year: every figure of the official report of a unit (or the nation) for each
campaign, side by side. One selector, `report_years`, runs `selectors.report_figures` once per
campaign (a fixed number of queries each, whatever the tree size) and lines the figures up by
their code, so the page, the XLSX and the API show exactly what each year's report shows.

Units and the 1/7/2025 reorganisation: figures belong to the organisation node that recorded
them, and the tree holds only today's units (34 provinces, 3,321 communes), so a subtree's
earlier figures are already under its current unit. An official old→new mapping would be
needed to bring in figures recorded against the 63 former provinces or the former communes;
the installed `vietnam-provinces` (2025.10.1, the last release for Python 3.11) carries only
the new units and no mapping (see docs/reports.md).
"""

from __future__ import annotations

from typing import Any

from dxday.core.exports import ListExporter
from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign

from .selectors import report_figures


def report_years(
    organisation: Organisation, campaigns: list[Campaign] | None = None
) -> dict[str, Any]:
    """{"years": [...], "sections": [{"title", "rows": [{code, label, group, unit, kind,
    values}]}],
    "per_year": [{"year", "figures": [{"key", "label", "value"}]}]}, oldest campaign first.
    `values` holds one value per year, None where that year's report has no such figure or
    it was not reported (never 0)."""
    if campaigns is None:
        campaigns = list(Campaign.objects.order_by("year"))
    campaigns = sorted(campaigns, key=lambda c: c.year)
    years = [c.year for c in campaigns]
    sections: dict[str, dict[str, Any]] = {}
    rows: dict[str, dict[str, Any]] = {}
    per_year = []
    for index, campaign in enumerate(campaigns):
        figures = report_figures(organisation, campaign)
        flat = []
        for section in figures["sections"]:
            bucket = sections.setdefault(
                section["code"],
                {"code": section["code"], "title": section["title"], "order": section["order"],
                 "rows": []},
            )  # fmt: skip
            for group in section["groups"]:
                for figure in group["figures"]:
                    flat.append(
                        {"key": figure["code"], "label": figure["label"], "value": figure["value"]}
                    )
                    row = rows.get(figure["code"])
                    if row is None:
                        row = rows[figure["code"]] = {
                            "code": figure["code"], "label": figure["label"],
                            "group": group["title"],
                            "unit": figure["unit"], "kind": figure.get("kind", "count"),
                            "values": [None] * len(campaigns),
                        }  # fmt: skip
                        bucket["rows"].append(row)
                    row["values"][index] = figure["value"]
        per_year.append({"year": campaign.year, "figures": flat})
    ordered = sorted(sections.values(), key=lambda s: s["order"])
    return {
        "organisation": organisation,
        "years": years,
        "sections": [s for s in ordered if s["rows"]],
        "per_year": per_year,
    }


class YearsExporter(ListExporter):
    """The year-over-year table as XLSX (and CSV/JSON): one row per figure, one column a year."""

    sheet_title = "Qua cac nam"

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.filename = f"so-lieu-qua-cac-nam-{data['organisation'].code}"

    def headers(self) -> list[str]:
        return ["Mục", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", *map(str, self.data["years"])]

    def rows(self):
        for section in self.data["sections"]:
            for row in section["rows"]:
                yield [section["title"], row["code"], row["label"], row["unit"], *row["values"]]
