"""Offerings from an XLSX/CSV file: dry run, every error of every row, nothing half-saved
(dxday.core.imports does the all-or-nothing part; each row goes through offering_create).

Columns: Tên | Loại | Hình thức | Mã đơn vị tổ chức | Mã xã | Địa điểm | Đường dẫn trực tuyến |
Bắt đầu | Kết thúc | Số chỗ | Đối tượng | Chủ đề (mã, cách nhau bằng dấu phẩy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dxday.core.errors import clean_or_raise
from dxday.core.imports import RowInvalid, TableImport
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Commune, Organisation
from dxday.orgs.permissions import Actor, can
from dxday.plans.models import Campaign

from .models import Offering
from .services import _offering_check, _offering_fill, offering_create
from .topics import Topic


def _choice(value, choices) -> str | None:
    """The code of a cell given as its code, its Vietnamese label (what the template and the
    column headings use) or its label in the reader's language."""
    key = search_key(str(value or ""))
    for code, label in choices:
        with translation.override("vi"):
            vietnamese = search_key(str(label))
        if key in (search_key(code), vietnamese, search_key(str(label))):
            return code
    return None


def _when(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    text = str(value or "").strip()
    for fmt in ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return None


@dataclass
class OfferingRow:
    organiser: Organisation
    fields: dict
    topics: list[str]


class OfferingImport(TableImport):
    columns = {
        "title": "Tên", "kind": "Loại", "format": "Hình thức", "organiser": "Mã đơn vị tổ chức",
        "commune": "Mã xã", "address": "Địa điểm", "online_link": "Đường dẫn trực tuyến",
        "starts_at": "Bắt đầu", "ends_at": "Kết thúc", "capacity": "Số chỗ",
        "audience": "Đối tượng", "topics": "Chủ đề",
    }  # fmt: skip
    required = {"title", "kind", "format", "organiser", "starts_at", "ends_at"}

    def __init__(self, *, actor: Actor, campaign: Campaign):
        self.actor = actor
        self.campaign = campaign

    def clean_row(self, row: dict, context: dict) -> OfferingRow:
        errors: list[tuple[str, str]] = []
        col = self.columns
        kind = _choice(self.value(row, "kind"), Offering.Kind.choices)
        if kind is None:
            errors.append((_("loại không hợp lệ."), col["kind"]))
        fmt = _choice(self.value(row, "format"), Offering.Format.choices)
        if fmt is None:
            errors.append((_("hình thức không hợp lệ (Trực tiếp, Trực tuyến, Kết hợp)."),
                           col["format"]))  # fmt: skip
        org = Organisation.objects.filter(code=str(self.value(row, "organiser")).strip()).first()
        if org is None or not can(self.actor, "learning.manage", org):
            errors.append((_("không có đơn vị này trong phạm vi của bạn."), col["organiser"]))
        commune = None
        if self.value(row, "commune"):
            commune = Commune.objects.filter(code=str(self.value(row, "commune")).strip()).first()
            if commune is None:
                errors.append((_("không có xã, phường mã này."), col["commune"]))
        starts, ends = _when(self.value(row, "starts_at")), _when(self.value(row, "ends_at"))
        if starts is None:
            errors.append((_("thời gian phải có dạng dd/mm/yyyy hh:mm."), col["starts_at"]))
        if ends is None:
            errors.append((_("thời gian phải có dạng dd/mm/yyyy hh:mm."), col["ends_at"]))
        capacity = self.value(row, "capacity")
        if capacity not in (None, ""):
            try:
                capacity = int(capacity)
                if capacity < 1:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append((_("số chỗ phải là số nguyên dương."), col["capacity"]))
        else:
            capacity = None
        audience = Offering.Audience.CITIZENS
        if self.value(row, "audience"):
            audience = _choice(self.value(row, "audience"), Offering.Audience.choices)
            if audience is None:
                errors.append((_("đối tượng không hợp lệ."), col["audience"]))
        topics = []
        for part in str(self.value(row, "topics") or "").split(","):
            if part.strip():
                code = _choice(part, Topic.choices)
                if code is None:
                    message = _("chủ đề “%(t)s” không có trong danh mục.") % {"t": part.strip()}
                    errors.append((message, col["topics"]))
                else:
                    topics.append(code)
        if errors:
            raise RowInvalid.many(errors)
        fields = {
            "kind": kind, "format": fmt, "title": nfc(str(self.value(row, "title"))).strip(),
            "commune": commune, "address": nfc(str(self.value(row, "address") or "")).strip(),
            "online_link": str(self.value(row, "online_link") or "").strip(),
            "starts_at": starts, "ends_at": ends, "capacity": capacity, "audience": audience,
        }  # fmt: skip
        probe = Offering(campaign=self.campaign, organiser=org, **fields)
        _offering_fill(probe)
        _offering_check(probe)  # the service's own rules, so a row fails here, not at save
        clean_or_raise(probe)
        return OfferingRow(organiser=org, fields=fields, topics=topics)

    def save(self, cleaned: list[OfferingRow], context: dict) -> int:
        for row in cleaned:
            offering_create(
                actor=self.actor, campaign=self.campaign, organiser=row.organiser,
                topics=row.topics, **row.fields,
            )  # fmt: skip
        return len(cleaned)
