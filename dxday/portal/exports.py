"""Open data: published activities and approved offers as CSV (UTF-8 with BOM) and JSON.

Plain numbers for machines; an indicator nobody reported is empty (CSV) or null (JSON), never 0.
No personal data: activities are attributed to their organisation only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from dxday.activities import selectors
from dxday.activities.models import IndicatorValue
from dxday.core.exports import ListExporter
from dxday.plans.models import Indicator

ACTIVITY_KEYS = [
    "id", "campaign", "title", "type", "type_label", "starts_on", "ends_on", "province_code",
    "province", "commune_code", "commune", "organisation", "online", "description", "links",
]  # fmt: skip


class ActivityExporter(ListExporter):
    filename = "hoat-dong-cong-khai"
    sheet_title = "Hoạt động"

    def __init__(self, campaign_year: int | None = None):
        self.campaign_year = campaign_year
        self._items = None

    def items(self) -> list:
        if self._items is None:
            self._items = list(
                selectors.published_activities(campaign_year=self.campaign_year)
                .prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator"))
                )
                .order_by("starts_on", "id")
            )
            codes = {iv.indicator.code for a in self._items for iv in a.values.all()}
            self.indicator_codes = [
                i.code for i in Indicator.objects.filter(code__in=codes).order_by("order", "code")
            ]
        return self._items

    def keys(self) -> list[str]:
        self.items()
        return ACTIVITY_KEYS + self.indicator_codes

    def headers(self) -> list[str]:
        return self.keys()

    def _base(self, a) -> list[Any]:
        return [
            a.pk, a.campaign.year, a.title, a.type, a.get_type_display(), a.starts_on, a.ends_on,
            a.province_id or "", a.province.name if a.province_id else "",
            a.commune_id or "", a.commune.name if a.commune_id else "",
            a.organisation.name, a.is_online, a.description, " ".join(a.link_list),
        ]  # fmt: skip

    def rows(self) -> Iterable[list[Any]]:
        for a in self.items():
            values = {iv.indicator.code: iv.value for iv in a.values.all()}
            yield self._base(a) + [values.get(code) for code in self.indicator_codes]

    def to_json(self) -> bytes:
        data = []
        for a in self.items():
            record = dict(zip(ACTIVITY_KEYS, (self._plain(v) for v in self._base(a)), strict=True))
            record["links"] = a.link_list
            record["indicators"] = {iv.indicator.code: iv.value for iv in a.values.all()}
            data.append(record)
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


OFFER_KEYS = [
    "id", "campaign", "provider", "title", "discount", "starts_on", "ends_on", "how_to_claim",
    "link",
]  # fmt: skip


class OfferExporter(ListExporter):
    filename = "uu-dai-cong-khai"
    sheet_title = "Ưu đãi"

    def __init__(self, campaign_year: int | None = None):
        self.campaign_year = campaign_year

    def headers(self) -> list[str]:
        return OFFER_KEYS

    def rows(self) -> Iterable[list[Any]]:
        for o in selectors.published_offers(campaign_year=self.campaign_year):
            yield [
                o.pk, o.campaign.year if o.campaign_id else None, o.provider, o.title, o.discount,
                o.starts_on, o.ends_on, o.how_to_claim, o.link,
            ]  # fmt: skip
