"""Bulk import of organisations and accounts from XLSX/CSV (dry run, row-by-row errors,
all or nothing) on top of dxday.core.imports."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxday.core.import_templates import TemplateColumn, template_xlsx
from dxday.core.imports import RowErrors, RowInvalid, TableImport
from dxday.core.text import search_key

from .models import Commune, Organisation, Province, Role, User
from .permissions import Actor, can, subtree_q
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


def _labels(choices) -> list[str]:
    """The Vietnamese labels of choices, as a template's dropdown shows them."""
    with translation.override("vi"):
        return [str(label) for _code, label in choices]


# A unit in a dropdown: "UBND phường Hạc Thành (xa-14797)" — the name people read, the code in
# brackets so that two units of the same name stay apart.
_LABELLED = re.compile(r"\(([a-z0-9_-]+)\)\s*$", re.IGNORECASE)
MAX_UNIT_CHOICES = 5000


def org_label(org: Organisation) -> str:
    return f"{org.name} ({org.code})"


def unit_choices(actor: Actor | None) -> list[str]:
    """The units an actor may import into, as dropdown labels (teams left out)."""
    if actor is None or not actor.has_action("orgs.import"):
        return []
    qs = (
        Organisation.objects.filter(subtree_q(actor, field=""))
        .exclude(kind=Organisation.Kind.COMMUNITY_TEAM)
        .order_by("path")
        .only("name", "code")[:MAX_UNIT_CHOICES]
    )
    return [org_label(o) for o in qs]


def _visible_org(actor: Actor, value, column: str) -> Organisation:
    """A unit by its code, its dropdown label "Tên (mã)", or its name when only one unit the
    actor manages bears it."""
    text = str(value).strip()
    labelled = _LABELLED.search(text)
    code = (labelled.group(1) if labelled else text).lower()
    org = Organisation.objects.filter(code=code).first()
    if org is None and not labelled:
        named = list(Organisation.objects.filter(search_key=search_key(text))[:2])
        org = named[0] if len(named) == 1 else None
    if org is None or not can(actor, "orgs.import", org):
        raise RowInvalid(_("Không tìm thấy đơn vị “%(c)s”.") % {"c": text}, column)
    return org


def _email(errors: RowErrors, value, column) -> str:
    email = str(value or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add(_("địa chỉ thư điện tử không hợp lệ."), column)
    return email


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
    units = {"parent": gettext_lazy("mã hoặc tên")}
    required = {"code", "name", "kind", "parent"}
    example = [
        ["th-so-tai-chinh", "Sở Tài chính Thanh Hóa", "Sở, ban, ngành cấp tỉnh", "tinh-38",
         "STC", "", "38", ""],
        ["th-trung-tam-cds", "Trung tâm Chuyển đổi số", "Sở, ban, ngành cấp tỉnh",
         "th-so-tai-chinh", "", "", "", ""],
    ]  # fmt: skip

    def __init__(self, actor: Actor):
        self.actor = actor

    def template_columns(self) -> list[TemplateColumn]:
        notes = {
            "code": _("Chữ không dấu, số, dấu gạch ngang; không trùng mã đã có."),
            "name": _("Tên đầy đủ của đơn vị."),
            "kind": "",
            "parent": _("Chọn đơn vị cấp trên, hoặc ghi mã của một đơn vị ở dòng trên."),
            "short_name": _("Không bắt buộc."),
            "email": _("Không bắt buộc."),
            "province": _("Mã tỉnh 2 chữ số, ví dụ 38."),
            "commune": _("Mã xã 5 chữ số (với UBND xã, phường)."),
        }
        choices = {"kind": _labels(Organisation.Kind.choices), "parent": unit_choices(self.actor)}
        return [
            TemplateColumn(
                key=key, heading=self.heading(key), note=str(notes[key]),
                choices=choices.get(key, []), width=40 if key in ("name", "parent") else 20,
                required=key in self.required,
            )
            for key in self.columns
        ]  # fmt: skip

    def clean_row(self, row: dict, context: dict):
        """Every error of the row at once, each under its column."""
        errors = RowErrors()
        seen: set = context.setdefault("codes", set())
        label = self.heading("code")
        code = str(self.value(row, "code") or "").strip().lower()
        if code:
            from django.core.validators import validate_slug

            try:
                validate_slug(code)
            except ValidationError:
                errors.add(_("mã chỉ gồm chữ không dấu, số, dấu gạch ngang hoặc gạch dưới."), label)
            else:
                if code in seen or Organisation.objects.filter(code=code).exists():
                    errors.add(_("mã “%(c)s” đã được dùng.") % {"c": code}, label)
                seen.add(code)
        kind = None
        if self.value(row, "kind"):
            kind = errors.capture(
                _choice, self.value(row, "kind"), Organisation.Kind.choices, self.heading("kind")
            )
        parent = None
        raw_parent = self.value(row, "parent")
        if raw_parent:
            parent_code = str(raw_parent).strip().lower()
            if parent_code in seen and parent_code != code:
                parent = parent_code  # created by an earlier row of this file
            else:
                parent = errors.capture(
                    _visible_org, self.actor, raw_parent, self.heading("parent")
                )
        email = _email(errors, self.value(row, "email"), self.heading("email"))
        province = commune = None
        if self.value(row, "province"):
            province = Province.objects.filter(pk=_padded(self.value(row, "province"), 2)).first()
            if province is None:
                errors.add(_("không có tỉnh với mã này."), self.heading("province"))
        if self.value(row, "commune"):
            commune = Commune.objects.filter(pk=_padded(self.value(row, "commune"), 5)).first()
            if commune is None:
                errors.add(_("không có xã với mã này."), self.heading("commune"))
            else:
                province = province or commune.province
        name = str(self.value(row, "name") or "")
        if len(name) > 255:
            errors.add(_("tên dài quá 255 ký tự."), self.heading("name"))
        errors.raise_if_any()
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
    units = {"organisation": gettext_lazy("mã hoặc tên")}
    required = {"username", "full_name", "organisation", "role"}
    example = [
        ["th.xa.hacthanh", "Nguyễn Văn An", "xa-14797", "Báo cáo viên", "an@example.vn",
         "0912345678", ""],
        ["th.xem", "Lê Thị Bình", "tinh-38", "Người xem", "", "", ""],
    ]  # fmt: skip

    def __init__(self, actor: Actor):
        self.actor = actor

    def template_columns(self) -> list[TemplateColumn]:
        notes = {
            "username": _("Chữ không dấu, số và các ký tự . @ + - _; không trùng tài khoản đã có."),
            "full_name": "",
            "organisation": _("Chọn đơn vị, hoặc ghi mã đơn vị."),
            "role": "",
            "email": _("Không bắt buộc."),
            "phone": _("Không bắt buộc."),
            "password": _("Để trống: người dùng đặt mật khẩu qua thư điện tử."),
        }
        choices = {"role": _labels(Role.choices), "organisation": unit_choices(self.actor)}
        return [
            TemplateColumn(
                key=key, heading=self.heading(key), note=str(notes[key]),
                choices=choices.get(key, []), width=40 if key == "organisation" else 22,
                required=key in self.required,
            )
            for key in self.columns
        ]  # fmt: skip

    def clean_row(self, row: dict, context: dict):
        """Every error of the row at once, each under its column."""
        errors = RowErrors()
        seen: set = context.setdefault("usernames", set())
        username = str(self.value(row, "username") or "").strip()
        label = self.heading("username")
        if username:
            try:
                User.username_validator(username)
            except ValidationError:
                errors.add(
                    _("tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự . @ + - _."), label
                )
            if username.lower() in seen or User.objects.filter(username__iexact=username).exists():
                errors.add(_("tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}, label)
            seen.add(username.lower())
        organisation = None
        if self.value(row, "organisation"):
            organisation = errors.capture(
                _visible_org,
                self.actor,
                self.value(row, "organisation"),
                self.heading("organisation"),
            )
        role = None
        if self.value(row, "role"):
            role = errors.capture(
                _choice, self.value(row, "role"), Role.choices, self.heading("role")
            )
        email = _email(errors, self.value(row, "email"), self.heading("email"))
        password = self.value(row, "password")
        if password:
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(str(password), User(username=username))
            except ValidationError as exc:
                errors.add(" ".join(exc.messages), self.heading("password"))
        errors.raise_if_any()
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


SHEET_TITLES = {"don-vi": "Đơn vị", "tai-khoan": "Tài khoản"}


def import_template(kind: ImportKind, fmt: str, actor: Actor | None = None) -> tuple[bytes, str]:
    """A template file with two example rows, as XLSX (for people: Vietnamese headings, the
    unit dropdown of the actor's units, type/role dropdowns, a "Hướng dẫn" sheet) or CSV
    (headings and rows only), with its content type."""
    importer = kind.importer(actor)
    if fmt == "csv":
        header = [importer.heading(key) for key in importer.columns]
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *importer.example])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    with translation.override("vi"):
        data = template_xlsx(
            sheet_title=SHEET_TITLES.get(kind.key, str(kind.label)),
            columns=importer.template_columns(),
            rows=importer.example,
            guide_intro=[
                str(
                    _("Mỗi dòng là một %(what)s. Xóa hai dòng ví dụ trước khi nhập.")
                    % {"what": str(kind.label).lower()}
                ),
                str(
                    _(
                        "Khi tải lên, hệ thống kiểm tra trước và báo mọi lỗi của mọi dòng; "
                        "chỉ lưu khi cả tệp hợp lệ."
                    )
                ),
            ],  # fmt: skip
        )
    return data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
