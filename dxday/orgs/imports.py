"""Bulk import of organisations and accounts from XLSX/CSV (dry run, row-by-row errors,
all or nothing) on top of dxday.core.imports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxday.core.exports import workbook_save
from dxday.core.imports import RowInvalid, TableImport
from dxday.core.text import search_key

from .models import Commune, Organisation, Province, Role, User
from .permissions import Actor, can
from .services import notify_organisations_created, organisation_create, user_create


def _choice(value: str, choices, column: str):
    """Accept a choice by its code ("commune") or its Vietnamese label, diacritics ignored."""
    key = search_key(str(value))
    for code, label in choices:
        if key in (search_key(code), search_key(str(label))):
            return code
    labels = "; ".join(str(label) for _code, label in choices)
    raise RowInvalid(
        _("“%(v)s” không hợp lệ. Chọn một trong: %(labels)s.") % {"v": value, "labels": labels},
        column,
    )


def _visible_org(actor: Actor, code: str, column: str) -> Organisation:
    org = Organisation.objects.filter(code=str(code).strip().lower()).first()
    if org is None or not can(actor, "orgs.import", org):
        raise RowInvalid(_("Không tìm thấy đơn vị có mã “%(c)s”.") % {"c": code}, column)
    return org


class OrganisationImport(TableImport):
    columns = {
        "code": gettext_lazy("Mã đơn vị"),
        "name": gettext_lazy("Tên đơn vị"),
        "kind": gettext_lazy("Loại đơn vị"),
        "parent": gettext_lazy("Mã đơn vị cấp trên"),
        "short_name": gettext_lazy("Tên viết tắt"),
        "email": gettext_lazy("Thư điện tử"),
        "province": gettext_lazy("Mã tỉnh"),
        "commune": gettext_lazy("Mã xã"),
    }
    required = {"code", "name", "kind", "parent"}
    example = [
        ["th-so-tai-chinh", "Sở Tài chính Thanh Hóa", "Sở, ban, ngành cấp tỉnh", "tinh-38",
         "STC", "", "38", ""],
        ["th-trung-tam-cds", "Trung tâm Chuyển đổi số", "department", "th-so-tai-chinh",
         "", "", "", ""],
    ]  # fmt: skip

    def __init__(self, actor: Actor):
        self.actor = actor

    def clean_row(self, row: dict, context: dict):
        seen: set = context.setdefault("codes", set())
        code = str(self.value(row, "code")).strip().lower()
        label = self.columns["code"]
        from django.core.validators import validate_slug

        try:
            validate_slug(code)
        except ValidationError as exc:
            raise RowInvalid(
                _("mã chỉ gồm chữ không dấu, số, dấu gạch ngang hoặc gạch dưới."), label
            ) from exc
        if code in seen or Organisation.objects.filter(code=code).exists():
            raise RowInvalid(_("mã “%(c)s” đã được dùng.") % {"c": code}, label)
        seen.add(code)
        kind = _choice(self.value(row, "kind"), Organisation.Kind.choices, self.columns["kind"])
        parent_code = str(self.value(row, "parent")).strip().lower()
        if parent_code in seen and parent_code != code:
            parent = parent_code  # created by an earlier row of this file
        else:
            parent = _visible_org(self.actor, parent_code, self.columns["parent"])
        email = self.value(row, "email") or ""
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise RowInvalid(
                    _("địa chỉ thư điện tử không hợp lệ."), self.columns["email"]
                ) from exc
        province = commune = None
        if self.value(row, "province"):
            province = Province.objects.filter(pk=_padded(self.value(row, "province"), 2)).first()
            if province is None:
                raise RowInvalid(_("không có tỉnh với mã này."), self.columns["province"])
        if self.value(row, "commune"):
            commune = Commune.objects.filter(pk=_padded(self.value(row, "commune"), 5)).first()
            if commune is None:
                raise RowInvalid(_("không có xã với mã này."), self.columns["commune"])
            province = province or commune.province
        name = str(self.value(row, "name"))
        if len(name) > 255:
            raise RowInvalid(_("tên dài quá 255 ký tự."), self.columns["name"])
        return {
            "code": code,
            "name": name,
            "kind": kind,
            "parent": parent,
            "short_name": str(self.value(row, "short_name") or "")[:100],
            "email": email,
            "province": province,
            "commune": commune,
        }

    def save(self, cleaned: list, context: dict) -> int:
        created: dict[str, Organisation] = {}
        for item in cleaned:
            parent = item.pop("parent")
            if isinstance(parent, str):
                parent = created[parent]
            created[item["code"]] = organisation_create(
                by=self.actor, parent=parent, notify=False, **item
            )
        notify_organisations_created(list(created.values()))
        return len(created)


def _padded(value, width: int) -> str:
    text = str(value).strip()
    if text.endswith(".0"):  # a number cell read from Excel
        text = text[:-2]
    return text.zfill(width) if text.isdigit() else text


class UserImport(TableImport):
    columns = {
        "username": gettext_lazy("Tên đăng nhập"),
        "full_name": gettext_lazy("Họ và tên"),
        "organisation": gettext_lazy("Mã đơn vị"),
        "role": gettext_lazy("Vai trò"),
        "email": gettext_lazy("Thư điện tử"),
        "phone": gettext_lazy("Số điện thoại"),
        "password": gettext_lazy("Mật khẩu ban đầu"),
    }
    required = {"username", "full_name", "organisation", "role"}
    example = [
        ["th.xa.hacthanh", "Nguyễn Văn An", "xa-14797", "Báo cáo viên", "an@example.vn",
         "0912345678", ""],
        ["th.xem", "Lê Thị Bình", "tinh-38", "viewer", "", "", ""],
    ]  # fmt: skip

    def __init__(self, actor: Actor):
        self.actor = actor

    def clean_row(self, row: dict, context: dict):
        seen: set = context.setdefault("usernames", set())
        username = str(self.value(row, "username")).strip()
        label = self.columns["username"]
        try:
            User.username_validator(username)
        except ValidationError as exc:
            raise RowInvalid(
                _("tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự . @ + - _."), label
            ) from exc
        if username.lower() in seen or User.objects.filter(username__iexact=username).exists():
            raise RowInvalid(_("tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}, label)
        seen.add(username.lower())
        organisation = _visible_org(
            self.actor, self.value(row, "organisation"), self.columns["organisation"]
        )
        role = _choice(self.value(row, "role"), Role.choices, self.columns["role"])
        email = self.value(row, "email") or ""
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise RowInvalid(
                    _("địa chỉ thư điện tử không hợp lệ."), self.columns["email"]
                ) from exc
        password = self.value(row, "password")
        if password:
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(str(password), User(username=username))
            except ValidationError as exc:
                raise RowInvalid(" ".join(exc.messages), self.columns["password"]) from exc
        return {
            "username": username,
            "full_name": str(self.value(row, "full_name")),
            "organisation": organisation,
            "role": role,
            "email": email,
            "phone": _padded(self.value(row, "phone") or "", 10)
            if self.value(row, "phone")
            else "",
            "password": str(password) if password else None,
        }

    def save(self, cleaned: list, context: dict) -> int:
        for item in cleaned:
            user_create(by=self.actor, action="orgs.import", **item)
        return len(cleaned)


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    importer: type[TableImport]


IMPORT_KINDS = {
    "don-vi": ImportKind("don-vi", gettext_lazy("Đơn vị"), OrganisationImport),
    "tai-khoan": ImportKind("tai-khoan", gettext_lazy("Tài khoản"), UserImport),
}


def import_template(kind: ImportKind, fmt: str) -> tuple[bytes, str]:
    """A template file (header + two example rows) as XLSX or CSV bytes, with its content type."""
    header = [str(label) for label in kind.importer.columns.values()]
    rows = [header, *kind.importer.example]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 24
    out = io.BytesIO()
    workbook_save(workbook, out)
    return (
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
