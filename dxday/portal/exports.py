"""Open data: published activities and approved offers as CSV (UTF-8 with BOM), JSON and XLSX.

People read the CSV and XLSX: Vietnamese column headings, words for yes/no, labels for types;
programs read the JSON: stable keys (`id`, `title`, …) documented with their heading, type and
meaning on each dataset's data-dictionary page (`DATASETS`, /du-lieu-mo/<dataset>/). Dates are
ISO 8601 (yyyy-mm-dd) in every format. An indicator nobody reported is empty (CSV) or null
(JSON), never 0. No personal data: activities are attributed to their organisation only.

Everything is published under one open licence (`LICENCE`), stated on the page, in the
dictionary, in every response (`Link: <…>; rel="license"`) and in the XLSX's properties and
its "Giấy phép" sheet.

CSV and JSON stream (rows read with `iterator(chunk_size=…)`): memory stays flat at national
scale. The XLSX is built once a day by a task (`portal.services.open_data_xlsx_build`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxday.activities import selectors
from dxday.activities.models import ActivityType, IndicatorValue
from dxday.core.exports import ListExporter
from dxday.plans.models import Indicator

CHUNK = 2000
VALUES_CHUNK = 900  # activity ids per query of their values (under SQLite's 999)

LICENCE = {
    "code": "CC-BY-4.0",
    "name": "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.vi",
    "attribution": "Nguồn: Cổng thông tin Ngày Chuyển đổi số quốc gia (dxday)",
}


@dataclass(frozen=True)
class Column:
    key: str  # the JSON key, stable for programs
    heading: str  # the CSV/XLSX heading people read
    kind: str  # what the value is, as the dictionary states it
    description: str


TEXT, NUMBER, DATE, YESNO = _("văn bản"), _("số"), _("ngày (yyyy-mm-dd)"), _("Có / Không")

ACTIVITY_COLUMNS = [
    Column("id", _("Mã hoạt động"), NUMBER, _("Số định danh của hoạt động trên cổng.")),
    Column("campaign", _("Năm"), NUMBER, _("Năm của Ngày Chuyển đổi số quốc gia.")),
    Column("title", _("Tên hoạt động"), TEXT, _("Tên do đơn vị báo cáo.")),
    Column("type", _("Mã loại hoạt động"), TEXT, _("Mã loại (chỉ trong JSON), xem bảng dưới.")),
    Column("type_label", _("Loại hoạt động"), TEXT, _("Loại hoạt động.")),
    Column("starts_on", _("Từ ngày"), DATE, _("Ngày bắt đầu.")),
    Column("ends_on", _("Đến ngày"), DATE, _("Ngày kết thúc.")),
    Column("province_code", _("Mã tỉnh"), TEXT, _("Mã tỉnh, thành phố (2 chữ số).")),
    Column("province", _("Tỉnh, thành phố"), TEXT, _("Tên tỉnh, thành phố.")),
    Column("commune_code", _("Mã xã"), TEXT, _("Mã xã, phường (5 chữ số).")),
    Column("commune", _("Xã, phường"), TEXT, _("Tên xã, phường.")),
    Column("organisation", _("Đơn vị thực hiện"), TEXT, _("Đơn vị báo cáo hoạt động.")),
    Column("online", _("Trực tuyến"), YESNO, _("Hoạt động tổ chức trực tuyến hay không.")),
    Column("description", _("Mô tả"), TEXT, _("Mô tả ngắn của đơn vị.")),
    Column("links", _("Đường dẫn"), TEXT, _("Đường dẫn tới tin, bài, cách nhau bởi dấu cách.")),
]  # fmt: skip
# The type code is for programs: the CSV and XLSX carry its label only.
_SHEET_SKIP = {"type"}

OFFER_STATES = {
    "active": _("Đang áp dụng"),
    "upcoming": _("Sắp áp dụng"),
    "expired": _("Đã hết hạn"),
}

OFFER_COLUMNS = [
    Column("id", _("Mã ưu đãi"), NUMBER, _("Số định danh của ưu đãi trên cổng.")),
    Column("campaign", _("Năm"), NUMBER, _("Năm của Ngày Chuyển đổi số quốc gia.")),
    Column("provider", _("Nhà cung cấp"), TEXT, _("Doanh nghiệp, đơn vị cung cấp.")),
    Column("title", _("Sản phẩm, dịch vụ"), TEXT, _("Sản phẩm, dịch vụ số được ưu đãi.")),
    Column("discount", _("Mức ưu đãi"), TEXT, _("Mức giảm giá hoặc ưu đãi.")),
    Column("starts_on", _("Áp dụng từ ngày"), DATE, _("Ngày bắt đầu áp dụng.")),
    Column("ends_on", _("Đến ngày"), DATE, _("Ngày cuối cùng áp dụng.")),
    Column("state", _("Tình trạng"), TEXT, _(
        "Đang áp dụng, Sắp áp dụng hoặc Đã hết hạn, theo ngày tải về (giờ Việt Nam); "
        "JSON: active, upcoming, expired, và expired = true khi đã hết hạn."
    )),
    Column("how_to_claim", _("Cách nhận ưu đãi"), TEXT, _("Hướng dẫn nhận ưu đãi.")),
    Column("link", _("Đường dẫn"), TEXT, _("Trang của ưu đãi.")),
]  # fmt: skip


def offer_state(offer, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if offer.ends_on < today:
        return "expired"
    if offer.starts_on > today:
        return "upcoming"
    return "active"


class _OpenData(ListExporter):
    columns: list[Column] = []
    dataset = ""

    def csv_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return str(_("Có") if value else _("Không"))
        return super().csv_value(value)

    def sheet_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return str(_("Có") if value else _("Không"))
        return value

    def xlsx_finish(self, workbook) -> None:
        """The licence in the workbook's properties and on a sheet of its own."""
        workbook.properties.title = str(self.sheet_title)
        workbook.properties.creator = "dxday"
        workbook.properties.description = f"{LICENCE['name']} — {LICENCE['url']}"
        workbook.properties.keywords = LICENCE["code"]
        sheet = workbook.create_sheet("Giấy phép")
        dictionary = reverse("portal:open_data_dictionary", args=[self.dataset])
        for label, value in (
            (_("Giấy phép"), LICENCE["name"]),
            (_("Địa chỉ giấy phép"), LICENCE["url"]),
            (_("Ghi công"), LICENCE["attribution"]),
            (_("Từ điển dữ liệu"), dictionary),
            (_("Ngày lập"), timezone.localdate().strftime("%d/%m/%Y")),
        ):
            sheet.append([str(label), value])


class ActivityExporter(_OpenData):
    filename = "hoat-dong-cong-khai"
    sheet_title = "Hoạt động"
    dataset = "hoat-dong"
    columns = ACTIVITY_COLUMNS

    def __init__(
        self,
        campaign_year: int | None = None,
        date_from: datetime.date | None = None,
        date_to: datetime.date | None = None,
    ):
        self.filters = {"campaign_year": campaign_year, "date_from": date_from, "date_to": date_to}
        self._indicators: list[Indicator] | None = None

    def queryset(self):
        return selectors.published_activities(**self.filters)

    def indicators(self) -> list[Indicator]:
        """The indicators any listed activity reported (one query), in catalogue order."""
        if self._indicators is None:
            used = IndicatorValue.objects.filter(activity__in=self.queryset().values("pk"))
            self._indicators = list(
                Indicator.objects.filter(pk__in=used.values("indicator_id")).order_by(
                    "order", "code"
                )
            )
        return self._indicators

    def keys(self) -> list[str]:
        return [c.key for c in self.columns if c.key not in _SHEET_SKIP] + [
            i.code for i in self.indicators()
        ]

    def headers(self) -> list[str]:
        return [str(c.heading) for c in self.columns if c.key not in _SHEET_SKIP] + [
            f"{i.name} ({i.unit})" for i in self.indicators()
        ]

    # Flat rows, no model instances: at national scale building ~9 objects per activity was
    # the cost of the file (bench P4). Values are read per chunk of activities.
    FIELDS = (
        "id", "campaign__year", "title", "type", "starts_on", "ends_on", "province_id",
        "province__name", "commune_id", "commune__name", "organisation__name", "is_online",
        "description", "links",
    )  # fmt: skip

    def _stream(self) -> Iterable[tuple[dict[str, Any], dict[str, int | None]]]:
        """(base record, {indicator code: value}) per activity, in the order of their ids."""
        code_of = {i.pk: i.code for i in self.indicators()}
        type_label = {value: str(label) for value, label in ActivityType.choices}
        rows = (
            self.queryset()
            .order_by("id")  # the primary key's order streams without sorting 100,000 rows
            .values_list(*self.FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        while chunk := list(islice(rows, VALUES_CHUNK)):
            values: dict[int, dict[str, int | None]] = {}
            for activity_id, indicator_id, value in IndicatorValue.objects.filter(
                activity_id__in=[r[0] for r in chunk]
            ).values_list("activity_id", "indicator_id", "value"):
                values.setdefault(activity_id, {})[code_of[indicator_id]] = value
            for r in chunk:
                base = dict(zip(self.FIELDS, r, strict=True))
                yield (
                    {
                        "id": base["id"],
                        "campaign": base["campaign__year"],
                        "title": base["title"],
                        "type": base["type"],
                        "type_label": type_label.get(base["type"], base["type"]),
                        "starts_on": base["starts_on"],
                        "ends_on": base["ends_on"],
                        "province_code": base["province_id"] or "",
                        "province": base["province__name"] or "",
                        "commune_code": base["commune_id"] or "",
                        "commune": base["commune__name"] or "",
                        "organisation": base["organisation__name"],
                        "online": base["is_online"],
                        "description": base["description"],
                        "links": [x.strip() for x in base["links"].splitlines() if x.strip()],
                    },
                    values.get(base["id"], {}),
                )

    def rows(self) -> Iterable[list[Any]]:
        codes = [i.code for i in self.indicators()]
        keys = [c.key for c in self.columns if c.key not in _SHEET_SKIP]
        for base, values in self._stream():
            base["links"] = " ".join(base["links"])
            yield [base[k] for k in keys] + [values.get(code) for code in codes]

    def records(self) -> Iterable[dict[str, Any]]:
        for base, values in self._stream():
            record = {k: self._plain(v) for k, v in base.items()}
            record["indicators"] = values
            yield record


class OfferExporter(_OpenData):
    filename = "uu-dai-cong-khai"
    sheet_title = "Ưu đãi"
    dataset = "uu-dai"
    columns = OFFER_COLUMNS

    def __init__(
        self,
        campaign_year: int | None = None,
        date_from: datetime.date | None = None,
        date_to: datetime.date | None = None,
    ):
        self.campaign_year = campaign_year
        self.date_from, self.date_to = date_from, date_to
        self.today = timezone.localdate()

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def headers(self) -> list[str]:
        return [str(c.heading) for c in self.columns]

    def _offers(self):
        qs = selectors.published_offers(campaign_year=self.campaign_year)
        if self.date_from:
            qs = qs.filter(ends_on__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(starts_on__lte=self.date_to)
        return qs.iterator(chunk_size=CHUNK)

    def _record(self, o) -> dict[str, Any]:
        return {
            "id": o.pk,
            "campaign": o.campaign.year if o.campaign_id else None,
            "provider": o.provider,
            "title": o.title,
            "discount": o.discount,
            "starts_on": o.starts_on,
            "ends_on": o.ends_on,
            "state": offer_state(o, self.today),
            "how_to_claim": o.how_to_claim,
            "link": o.link,
        }

    def rows(self) -> Iterable[list[Any]]:
        for o in self._offers():
            record = self._record(o)
            record["state"] = str(OFFER_STATES[record["state"]])
            yield [record[c.key] for c in self.columns]

    def records(self) -> Iterable[dict[str, Any]]:
        for o in self._offers():
            record = {k: self._plain(v) for k, v in self._record(o).items()}
            record["expired"] = record["state"] == "expired"
            yield record


DATASETS: dict[str, type[_OpenData]] = {
    ActivityExporter.dataset: ActivityExporter,
    OfferExporter.dataset: OfferExporter,
}
