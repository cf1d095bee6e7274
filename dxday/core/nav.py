"""Navigation by role: each app lists its entries in `<app>/nav.py` as NAV, and the shell shows
those whose action the acting role holds (None: everyone, "auth": any signed-in user)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# One menu per capability, so a coordinator's twenty entries read as six menus.
# Menus follow the data flow: unit → plans → activities → door to door → reports → public.
GROUP_LABELS = {
    "orgs": _("Đơn vị"),
    "plans": _("Kế hoạch"),
    "activities": _("Hoạt động"),
    "outreach": _("Đi từng ngõ"),
    "materials": _("Tài liệu"),
    "learning": _("Học tập số"),
    "contest": _("Cuộc thi"),
    "awards": _("Giải thưởng"),
    "reports": _("Báo cáo"),
    "portal": _("Cổng thông tin"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str | None = None  # permission action, "auth", or None for the public
    order: int = 100


def nav_items_for(actor) -> list[dict]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dxday."):
            continue
        try:
            module = import_module(f"{config.name}.nav")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV", []))
    visible = []
    signed_in = actor is not None and actor.user.is_authenticated
    for item in sorted(items, key=lambda i: i.order):
        if item.action == "auth" and not signed_in:
            continue
        if item.action not in (None, "auth") and not (signed_in and actor.has_action(item.action)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "name": item.url_name})
    return visible


def nav_groups(items: list[dict]) -> list[dict]:
    """Items grouped by app, in order; a group of one is shown as a plain link."""
    groups: dict[str, dict] = {}
    for item in items:
        app = item["name"].split(":", 1)[0]
        group = groups.setdefault(app, {"label": GROUP_LABELS.get(app, app), "items": []})
        group["items"].append(item)
    order = list(GROUP_LABELS)
    return [groups[k] for k in sorted(groups, key=lambda k: order.index(k) if k in order else 99)]
