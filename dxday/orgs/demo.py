"""Demo organisations and accounts. Every demo login goes through `demo_account`, which puts it in
the "demo" group so that `make run` can print it."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership, Organisation, Role, User

DEMO_PASSWORD = "dxday-demo-2025"
DEMO_GROUP = "demo"


@transaction.atomic
def demo_account(*, username: str, role: str, org_code: str, full_name: str = "") -> User:
    """Create (or keep) a demo user holding `role` at the organisation `org_code`. Idempotent."""
    organisation = Organisation.objects.get(code=org_code)
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name or username}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
    user.groups.add(group)
    return user


def demo_account_lines() -> list[str]:
    """`username / password — role, organisation`, one line per demo membership."""
    lines = []
    memberships = (
        Membership.objects.filter(user__groups__name=DEMO_GROUP)
        .select_related("user", "organisation")
        .order_by("organisation__depth", "organisation__path", "user__username")
    )
    for m in memberships:
        lines.append(
            f"{m.user.username} / {DEMO_PASSWORD} — {m.get_role_display()}, {m.organisation.name}"
        )
    return lines


K = Organisation.Kind

# (code, name, short name, kind, parent code) — the units the seed documents name.
DEMO_UNITS = [
    ("cuc-cds", "Cục Chuyển đổi số quốc gia", "Cục CĐS", K.NATIONAL, "bo-khcn"),
    ("ncsc-chung-thuc", "Trung tâm Chứng thực điện tử quốc gia", "NEAC", K.NATIONAL, "bo-khcn"),
    ("bo-tai-chinh", "Bộ Tài chính", "", K.MINISTRY, "bo-khcn"),
    ("bo-y-te", "Bộ Y tế", "", K.MINISTRY, "bo-khcn"),
    ("bo-gd-dt", "Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT", K.MINISTRY, "bo-khcn"),
    ("bo-cong-an", "Bộ Công an", "", K.MINISTRY, "bo-khcn"),
    ("doan-tw", "Trung ương Đoàn TNCS Hồ Chí Minh", "Trung ương Đoàn", K.YOUTH_UNION, "bo-khcn"),
    ("hoi-truyen-thong-so", "Hội Truyền thông số Việt Nam", "VDCA", K.ASSOCIATION, "bo-khcn"),
    ("vnpost", "Tổng công ty Bưu điện Việt Nam", "Vietnam Post", K.ENTERPRISE, "bo-khcn"),
    ("vnpt", "Tập đoàn Bưu chính Viễn thông Việt Nam", "VNPT", K.ENTERPRISE, "bo-khcn"),
    ("bao-vietnamnet", "Báo điện tử VietNamNet", "VietNamNet", K.PRESS, "bo-khcn"),
    # Thanh Hóa: the Department of Science and Technology and the recipients of its dispatch.
    ("th-so-khcn", "Sở Khoa học và Công nghệ Thanh Hóa", "Sở KH&CN", K.DEPARTMENT, "tinh-38"),
    ("th-so-noi-vu", "Sở Nội vụ Thanh Hóa", "", K.DEPARTMENT, "tinh-38"),
    ("th-so-gd-dt", "Sở Giáo dục và Đào tạo Thanh Hóa", "", K.DEPARTMENT, "tinh-38"),
    ("th-so-tai-chinh", "Sở Tài chính Thanh Hóa", "", K.DEPARTMENT, "tinh-38"),
    ("th-bao-ptth", "Báo và Phát thanh, Truyền hình Thanh Hóa", "", K.PRESS, "tinh-38"),
    ("th-tinh-doan", "Tỉnh đoàn Thanh Hóa", "", K.YOUTH_UNION, "tinh-38"),
    # Tuyên Quang
    ("tq-so-khcn", "Sở Khoa học và Công nghệ Tuyên Quang", "Sở KH&CN", K.DEPARTMENT, "tinh-08"),
    ("tq-so-noi-vu", "Sở Nội vụ Tuyên Quang", "", K.DEPARTMENT, "tinh-08"),
    ("tq-bao-ptth", "Báo và Phát thanh, Truyền hình Tuyên Quang", "", K.PRESS, "tinh-08"),
]

# (username, role, organisation code, full name)
DEMO_ACCOUNTS = [
    ("qg.dieuphoi", Role.COORDINATOR, "bo-khcn", "Nguyễn Minh Quân"),
    ("qg.kiemduyet", Role.MODERATOR, "bo-khcn", "Trần Thu Hà"),
    ("qg.xem", Role.VIEWER, "bo-khcn", "Phạm Quốc Việt"),
    ("botc.baocao", Role.REPORTER, "bo-tai-chinh", "Lê Hoàng Nam"),
    ("thanhhoa.dieuphoi", Role.COORDINATOR, "tinh-38", "Lê Văn Thành"),
    ("thanhhoa.sokhcn.baocao", Role.REPORTER, "th-so-khcn", "Đỗ Thị Hạnh"),
    ("thanhhoa.xem", Role.VIEWER, "tinh-38", "Vũ Ngọc Mai"),
    ("thanhhoa.hacthanh.baocao", Role.REPORTER, "xa-14797", "Hoàng Văn Đức"),
    ("tuyenquang.dieuphoi", Role.COORDINATOR, "tinh-08", "Nông Thị Lan"),
]


def seed(stdout=None) -> None:
    """Areas, the 34 + 3,321 local committees, the units of the seed documents and one demo
    login per role. Idempotent: a second run only reads."""
    from .areas import areas_load, local_orgs_create

    areas_load()
    local = local_orgs_create()
    added = _demo_units()
    for username, role, code, full_name in DEMO_ACCOUNTS:
        demo_account(username=username, role=role, org_code=code, full_name=full_name)
    if stdout is not None:
        stdout.write(
            f"Đơn vị: thêm {len(local.created) + added}, tổng {Organisation.objects.count()}."
        )


@transaction.atomic
def _demo_units() -> int:
    from .permissions import Actor
    from .services import organisation_create

    system = Actor(user=User(username="demo", is_superuser=True, is_active=True), membership=None)
    existing = set(Organisation.objects.values_list("code", flat=True))
    added = 0
    for code, name, short_name, kind, parent_code in DEMO_UNITS:
        if code in existing:
            continue
        parent = Organisation.objects.get(code=parent_code)
        organisation_create(
            by=system,
            parent=parent,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            province=parent.province,
        )
        added += 1
    return added
