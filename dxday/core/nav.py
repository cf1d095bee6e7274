"""Navigation by role: each app lists its entries in `<app>/nav.py` as NAV, and the shell shows
those whose action the acting role holds (None: everyone, "auth": any signed-in user).

The same declarations guard links inside pages: `<app>/nav.py` may also list LINKS, pages that
are no menu entry but are linked from other pages, with the action they need. A template asks
`{% may_open "outreach:team_import" as ok %}` (`core/templatetags/dx_links.py`), so a link is
shown exactly when the view's own check (`ensure_action` on the same action) would let the
viewer in: the rule "never link what the viewer cannot open" is written once per page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
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
    # Only for an acting organisation of these kinds (e.g. a team's own page), when given.
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A page linked from other pages (not a menu entry) and what opening it needs."""

    url_name: str
    action: str | None = None
    kinds: tuple[str, ...] = ()


@cache
def _declared() -> tuple[list[NavItem], dict[str, NavItem | Link]]:
    items: list[NavItem] = []
    rules: dict[str, NavItem | Link] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("dxday."):
            continue
        name = f"{config.name}.nav"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        items.extend(getattr(module, "NAV", []))
        for rule in [*getattr(module, "NAV", []), *getattr(module, "LINKS", [])]:
            rules[rule.url_name] = rule
    return sorted(items, key=lambda i: i.order), rules


def allowed(actor, rule: NavItem | Link) -> bool:
    """May `actor` open the page `rule` describes (the view's own role check, asked first)?"""
    signed_in = actor is not None and actor.user.is_authenticated
    if rule.action == "auth" and not signed_in:
        return False
    if rule.action not in (None, "auth") and not (signed_in and actor.has_action(rule.action)):
        return False
    if rule.kinds:
        org = actor.organisation if signed_in else None
        return org is not None and org.kind in rule.kinds
    return True


def may_open(actor, url_name: str) -> bool:
    """Whether to link `url_name` for `actor`: by its declared rule (a page nobody declared is
    open to whoever sees the page that links it; its objects are checked by the view)."""
    rule = _declared()[1].get(url_name)
    return rule is None or allowed(actor, rule)


def url_may_open(actor, url: str) -> bool:
    """`may_open` for a stored address (a notification's link): by the route it resolves to."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return may_open(actor, match.view_name)


def nav_items_for(actor) -> list[dict]:
    visible = []
    for item in _declared()[0]:
        if not allowed(actor, item):
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
