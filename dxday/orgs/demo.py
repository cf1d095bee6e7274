"""Demo organisations and accounts. Every demo login goes through `demo_account`, which puts it in
the "demo" group so that `make run` can print it."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Membership, Organisation, User

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


def seed(stdout=None) -> None:
    """Filled in by the foundation work: national coordinator, ministries, two provinces..."""
