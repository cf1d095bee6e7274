"""Navigation by role: each app lists its entries in `<app>/nav.py` as NAV, and the shell shows
those whose action the acting role holds (None: everyone, "auth": any signed-in user)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse


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
