"""Reads of areas, organisations and audit trails, with visibility applied."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from dxday.core.audit import audit_trail
from dxday.core.audit_display import describe
from dxday.core.errors import DomainError, NotFound
from dxday.core.params import int_param
from dxday.core.text import search_key

from .models import ApiToken, Commune, Membership, Organisation, Province
from .permissions import Actor, can, ensure_can, visible_organisations

# Lists of names are in Vietnamese alphabetical order (the stored `name_sort`, with the code
# or path as the tie-break); the whole subtree stays in tree order.


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name_sort", "code")


def commune_list_for_province(code: str) -> QuerySet[Commune]:
    """The communes of a province; NotFound for an unknown province code."""
    number = int_param(code, maximum=99)
    code = f"{number:02d}" if number is not None else (code or "").strip()
    if not Province.objects.filter(code=code).exists():
        raise NotFound()
    return Commune.objects.filter(province_id=code).order_by("name_sort", "code")


# --- Province and commune codes from requests ----------------------------------------------------
# One parser for every `province=` / `commune=` filter of the API and the pages: the code with or
# without its leading zeros ("8" and "08" are Tuyên Quang), and a code that names no unit is a
# 422 with its own error code, never an empty answer that looks like "nothing happened there".


def _normalised(value: str | None, width: int) -> str | None:
    """ "8" → "08" (width 2); None for an empty value; the raw text for anything not a number."""
    text = (value or "").strip()
    if not text:
        return None
    number = int_param(text, maximum=10**width - 1)
    return f"{number:0{width}d}" if number is not None else text[:20]


def province_by_code_param(value: str | None, *, field: str = "province") -> Province | None:
    """The province a request names (None when it names none), or 422 `unknown_province`."""
    code = _normalised(value, 2)
    if code is None:
        return None
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise DomainError(
            _("Không có tỉnh, thành phố nào mang mã “%(code)s”.") % {"code": code},
            code="unknown_province",
            field=field,
            status=422,
        )
    return province


def commune_by_code_param(value: str | None, *, field: str = "commune") -> Commune | None:
    """The commune a request names (None when it names none), or 422 `unknown_commune`."""
    code = _normalised(value, 5)
    if code is None:
        return None
    commune = Commune.objects.select_related("province").filter(code=code).first()
    if commune is None:
        raise DomainError(
            _("Không có xã, phường, đặc khu nào mang mã “%(code)s”.") % {"code": code},
            code="unknown_commune",
            field=field,
            status=422,
        )
    return commune


def _search(qs: QuerySet[Organisation], q: str | None) -> QuerySet[Organisation]:
    key = search_key(q)
    if key:
        for word in key.split():
            qs = qs.filter(search_key__contains=word)
    return qs


def org_subtree(
    actor: Actor, *, q: str | None = None, kind: str | None = None
) -> QuerySet[Organisation]:
    """Every unit the actor sees (their acting unit and all below), in tree order.

    `q` matches name, short name and code without diacritics ("thanh hoa" finds "Thanh Hóa").
    """
    if not actor.is_operator and not actor.has_action("orgs.view"):
        return Organisation.objects.none()
    qs = visible_organisations(actor).select_related("province")
    if kind:
        qs = qs.filter(kind=kind)
    return _search(qs, q).order_by("path")


def organisation_children(
    actor: Actor, organisation: Organisation, *, q: str | None = None, kind: str | None = None
) -> QuerySet[Organisation]:
    """The units directly under `organisation` in Vietnamese name order; with `q`, matches
    anywhere in its subtree (in tree order, so a match stays next to its parent)."""
    qs = org_subtree(actor, kind=kind).filter(path__startswith=organisation.path)
    if search_key(q):
        return _search(qs.exclude(pk=organisation.pk), q)
    return qs.filter(depth=organisation.depth + 1).order_by("name_sort", "path")


def organisation_roots(actor: Actor) -> QuerySet[Organisation]:
    """Where an actor's view of the tree starts: the roots for operators, else the acting unit."""
    if actor.is_operator and actor.organisation is None:
        return Organisation.objects.filter(depth=1).order_by("name_sort", "path")
    return Organisation.objects.filter(pk=actor.organisation_id)


def get_organisation_for_user(actor: Actor, code: str) -> Organisation:
    """A unit by code; NotFound whether it is missing or outside the actor's subtree."""
    org = Organisation.objects.select_related("province", "commune").filter(code=code).first()
    if org is None or not can(actor, "orgs.view", org):
        raise NotFound()
    return org


def organisation_ancestors(actor: Actor, organisation: Organisation) -> list[Organisation]:
    """The visible ancestors of a unit, top down (for breadcrumbs)."""
    step = Organisation.steplen
    paths = [organisation.path[:i] for i in range(step, len(organisation.path), step)]
    qs = visible_organisations(actor).filter(path__in=paths).only("code", "name", "path")
    return list(qs.order_by("depth"))


def organisation_parent(organisation: Organisation) -> Organisation | None:
    if organisation.depth <= 1:
        return None
    return Organisation.objects.filter(path=organisation.parent_id_path).first()


def membership_list_for_organisation(
    actor: Actor, organisation: Organisation
) -> QuerySet[Membership]:
    """The people holding roles at a unit (coordinators of the unit or above see them)."""
    if not can(actor, "orgs.manage", organisation):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__username")
    )


# --- Audit trails ------------------------------------------------------------------------------


def audited_object_organisation(instance: Model) -> Organisation | None:
    """The unit an object belongs to, which decides who may read its audit trail.

    An Organisation is its own; other objects name theirs with an `organisation` attribute or
    an `audit_organisation()` method (for objects that hang off something else).
    """
    if isinstance(instance, Organisation):
        return instance
    if hasattr(instance, "audit_organisation"):
        return instance.audit_organisation()
    org = getattr(instance, "organisation", None)
    return org if isinstance(org, Organisation) else None


def get_audited_object_for_user(actor: Actor, model_label: str, object_id: str) -> Model:
    """The object whose trail is asked for, or NotFound (missing, unknown, outside subtree)."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as exc:
        raise NotFound() from exc
    try:
        instance = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError) as exc:
        raise NotFound() from exc
    if instance is None:
        raise NotFound()
    organisation = audited_object_organisation(instance)
    if not actor.is_operator and (
        organisation is None or not can(actor, "orgs.view", organisation)
    ):
        raise NotFound()
    ensure_can(actor, "audit.view", organisation)
    return instance


def audit_entries_for_object(instance: Model):
    return audit_trail(instance)


def get_membership_for_user(actor: Actor, pk: int) -> Membership:
    """A membership the actor may manage; NotFound otherwise."""
    membership = Membership.objects.select_related("organisation", "user").filter(pk=pk).first()
    if membership is None or not can(actor, "orgs.view", membership.organisation):
        raise NotFound()
    return membership


def api_token_list_for_user(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def get_api_token_for_user(actor: Actor, pk: int) -> ApiToken:
    """A token of the actor's own, or one they issued; NotFound otherwise."""
    token = (
        ApiToken.objects.filter(pk=pk)
        .filter(Q(user=actor.user) | Q(issued_by=actor.user))
        .select_related("membership__organisation")
        .first()
    )
    if token is None:
        raise NotFound()
    return token


def audit_lines(entries) -> list:
    """Audit entries as Vietnamese sentences (core/audit_display.py), the acting organisations
    named from the tree."""

    def names(ids: set[int]) -> dict[int, str]:
        return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))

    return describe(entries, organisation_names=names)
