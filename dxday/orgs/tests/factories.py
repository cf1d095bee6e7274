"""Factories for the org tree and users.

Organisations are tree nodes: create them with `make_org(parent=...)` (treebeard 7:
`Organisation.objects.add_child(parent, create_kwargs=...)`), never with
`Organisation.objects.create`, so that treebeard keeps the paths."""

from __future__ import annotations

import itertools

from dxday.orgs.models import Commune, Membership, Organisation, Province, User
from dxday.orgs.permissions import Actor

_seq = itertools.count(1)

DEFAULT_PASSWORD = "mat-khau-thu-nghiem-1"


def make_province(code: str = "38", name: str = "Thanh Hóa") -> Province:
    province, _ = Province.objects.get_or_create(
        code=code, defaults={"name": name, "division_type": "tinh", "codename": name.lower()}
    )
    return province


def make_commune(province: Province, code: str | None = None, name: str | None = None) -> Commune:
    n = next(_seq)
    code = code or f"{90000 + n:05d}"
    commune, _ = Commune.objects.get_or_create(
        code=code,
        defaults={
            "name": name or f"Xã Thử Nghiệm {n}",
            "division_type": "xa",
            "codename": f"xa_thu_nghiem_{n}",
            "province": province,
        },
    )
    return commune


def make_org(
    parent: Organisation | None = None,
    *,
    kind: str = Organisation.Kind.DEPARTMENT,
    code: str | None = None,
    name: str | None = None,
    **fields,
) -> Organisation:
    n = next(_seq)
    data = {"code": code or f"don-vi-{n}", "name": name or f"Đơn vị {n}", "kind": kind, **fields}
    if parent is None:
        return Organisation.objects.add_root(create_kwargs=data)
    parent.refresh_from_db()  # treebeard needs the parent's current numchild
    return Organisation.objects.add_child(parent, create_kwargs=data)


def make_user(username: str | None = None, password: str = DEFAULT_PASSWORD, **fields) -> User:
    username = username or f"user{next(_seq)}"
    user = User(username=username, full_name=fields.pop("full_name", username), **fields)
    user.set_password(password)
    user.save()
    return user


def make_member(org: Organisation, role: str, username: str | None = None) -> User:
    user = make_user(username)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def actor_of(user: User) -> Actor:
    from dxday.orgs.permissions import actor_for

    return actor_for(user)
