"""Picking a unit by name for a task's target: a lookup limited to the actor's subtree and the
server-side reading of what the person chose or typed ("UBND phường Hạc Thành (xa-16000)", a
name with or without diacritics, or still a code)."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.core.text import nfc, search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, visible_organisations

LOOKUP_LIMIT = 20
_CHOSEN = re.compile(r"\(([a-z0-9-]{1,64})\)\s*$")


def unit_choice_label(org: Organisation) -> str:
    """What the picker offers and sends back: the name, then the code that makes it unique."""
    return f"{org.name} ({org.code})"


def unit_lookup(actor: Actor, q: str | None) -> QuerySet[Organisation]:
    """Units of the actor's subtree whose name (or short name, or code) holds every word of
    `q`, with or without diacritics; community teams, which receive no tasks, are left out."""
    key = search_key(q or "")
    if not key:
        return Organisation.objects.none()
    qs = visible_organisations(actor).filter(is_active=True)
    qs = qs.exclude(kind=Organisation.Kind.COMMUNITY_TEAM)
    for word in key.split():
        qs = qs.filter(search_key__contains=word)
    return qs.only("code", "name", "path").order_by("depth", "name_sort")[:LOOKUP_LIMIT]


def unit_code_from_choice(actor: Actor, text: str) -> str:
    """The code of the unit the person chose or typed; "" for none. A name that matches no unit
    of the subtree, or several, is refused with a sentence (the service still checks that the
    unit lies in the subtree)."""
    text = nfc(text or "").strip()
    if not text:
        return ""
    chosen = _CHOSEN.search(text)
    if chosen:
        return chosen.group(1)
    if Organisation.objects.filter(code=text).exists():
        return text  # an internal code still works; the service refuses one outside the subtree
    visible = visible_organisations(actor).filter(is_active=True)
    key = search_key(text)
    same = list(visible.filter(search_key__contains=key).only("code", "name")[:50])
    exact = [o for o in same if search_key(o.name) == key or search_key(o.short_name) == key]
    matches = exact or same
    if len(matches) == 1:
        return matches[0].code
    if not matches:
        raise DomainError(
            _("Không tìm thấy đơn vị “%(text)s” trong phạm vi quản lý của bạn.") % {"text": text},
            code="organisation_not_found",
            field="organisation",
        )
    raise DomainError(
        _("Có %(n)s đơn vị khớp “%(text)s”. Hãy chọn một đơn vị trong danh sách gợi ý.")
        % {"n": len(matches), "text": text},
        code="organisation_ambiguous",
        field="organisation",
    )
