"""Teams and members of one commune from an XLSX/CSV file: dry run, row-by-row errors,
nothing saved unless every row is clean (dxday.core.imports does the all-or-nothing part).

Columns: Thôn, tổ dân phố | Họ và tên | Vai trò (Tổ trưởng / Tổ phó / Tổ viên) |
Tên đăng nhập (optional: an existing account of the member).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.import_templates import TemplateColumn, template_xlsx
from dxday.core.imports import RowInvalid, TableImport
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Organisation, User
from dxday.orgs.permissions import Actor

from .models import CommunityTeam, TeamMember
from .services import account_linkable, team_create, team_member_add

ROLE_WORDS = {
    "to truong": TeamMember.Role.LEADER,
    "truong": TeamMember.Role.LEADER,
    "to pho": TeamMember.Role.DEPUTY,
    "pho": TeamMember.Role.DEPUTY,
    "to vien": TeamMember.Role.MEMBER,
    "thanh vien": TeamMember.Role.MEMBER,
    "": TeamMember.Role.MEMBER,
}


@dataclass
class MemberRow:
    village: str
    full_name: str
    role: str
    user: User | None


class TeamMemberImport(TableImport):
    columns = {
        "village": "Thôn, tổ dân phố",
        "full_name": "Họ và tên",
        "role": "Vai trò",
        "username": "Tên đăng nhập",
    }
    required = {"village", "full_name"}

    def __init__(self, *, actor: Actor | None, committee: Organisation):
        self.actor = actor
        self.committee = committee
        self.existing = {
            t.village: t for t in CommunityTeam.objects.filter(commune_id=committee.commune_id)
        }
        self.taken_roles = {
            (m.team.village, m.role)
            for m in TeamMember.objects.filter(
                team__commune_id=committee.commune_id,
                is_active=True,
                role__in=[TeamMember.Role.LEADER, TeamMember.Role.DEPUTY],
            ).select_related("team")
        }

    def clean_row(self, row: dict, context: dict) -> MemberRow:
        """Every error of the row at once (role, account), each with its column."""
        village = nfc(str(self.value(row, "village"))).strip()
        full_name = nfc(str(self.value(row, "full_name"))).strip()
        errors: list[tuple[str, str]] = []
        raw_role = self.value(row, "role") or ""
        role = ROLE_WORDS.get(search_key(str(raw_role)))
        if role is None:
            errors.append((
                _("vai trò “%(v)s” không hợp lệ; hãy ghi Tổ trưởng, Tổ phó hoặc Tổ viên.")
                % {"v": raw_role},
                self.columns["role"],
            ))  # fmt: skip
        elif role != TeamMember.Role.MEMBER:
            key = (village, role)
            if key in self.taken_roles or key in context.setdefault("roles", set()):
                label = _("tổ trưởng") if role == TeamMember.Role.LEADER else _("tổ phó")
                errors.append((
                    _("thôn “%(v)s” đã có %(role)s.") % {"v": village, "role": label},
                    self.columns["role"],
                ))  # fmt: skip
            else:
                context["roles"].add(key)
        user = None
        username = self.value(row, "username")
        if username:
            try:
                user = account_linkable(actor=self.actor, username=str(username))
            except DomainError as exc:
                errors.append((exc.message, self.columns["username"]))
            else:
                team = self.existing.get(village)
                if team and TeamMember.objects.filter(team=team, user=user).exists():
                    errors.append((
                        _("“%(u)s” đã là thành viên của tổ này.") % {"u": username},
                        self.columns["username"],
                    ))  # fmt: skip
        if errors:
            raise RowInvalid.many(errors)
        return MemberRow(village=village, full_name=full_name, role=role, user=user)

    def save(self, cleaned: list[MemberRow], context: dict) -> int:
        teams = dict(self.existing)
        for r in cleaned:
            team = teams.get(r.village)
            if team is None:
                team = team_create(actor=self.actor, committee=self.committee, village=r.village)
                teams[r.village] = team
            team_member_add(
                actor=None if self.actor is None else self.actor,
                team=team,
                full_name=r.full_name,
                role=r.role,
                user=r.user,
            )
        return len(cleaned)


TEMPLATE_EXAMPLE = [
    ["Thôn 1", "Nguyễn Văn An", "Tổ trưởng", ""],
    ["Thôn 1", "Lê Thị Bình", "Tổ viên", ""],
]


def team_template_xlsx() -> bytes:
    """The template of the team import, for people (see core.import_templates)."""
    with translation.override("vi"):
        notes = {
            "village": _("Tên thôn, tổ dân phố; mỗi thôn một tổ công nghệ số cộng đồng."),
            "full_name": _("Họ và tên thành viên."),
            "role": _("Mỗi thôn một tổ trưởng, một tổ phó; để trống là tổ viên."),
            "username": _("Không bắt buộc: tài khoản đã có của thành viên."),
        }
        columns = [
            TemplateColumn(
                key=key,
                heading=label,
                note=str(notes[key]),
                choices=[str(lbl) for _v, lbl in TeamMember.Role.choices] if key == "role" else [],
                width=30,
                required=key in TeamMemberImport.required,
            )
            for key, label in TeamMemberImport.columns.items()
        ]
        return template_xlsx(
            sheet_title=_("Thành viên tổ"),
            columns=columns,
            rows=TEMPLATE_EXAMPLE,
            guide_intro=[
                _("Mỗi dòng là một thành viên. Xóa hai dòng ví dụ trước khi nhập."),
                _(
                    "Chọn xã, phường trên trang nhập rồi tải tệp lên; hệ thống kiểm tra trước và "
                    "báo mọi lỗi của mọi dòng."
                ),
            ],  # fmt: skip
        )
