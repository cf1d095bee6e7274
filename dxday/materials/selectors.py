"""Every read of materials, with visibility applied: public items for everyone; an item for
the issuer's subtree only to actors acting inside that subtree or above the issuer."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dxday.core.errors import NotFound
from dxday.core.text import search_key
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, can, subtree_q
from dxday.plans.models import Campaign

from .models import Material

PUBLIC = Q(visibility=Material.Visibility.PUBLIC)


def _authenticated(actor: Actor | None) -> bool:
    return actor is not None and actor.user.is_authenticated and actor.user.is_active


def material_visibility_q(actor: Actor | None) -> Q:
    """Which items an actor (None: an anonymous visitor) may see."""
    if not _authenticated(actor):
        return PUBLIC
    if actor.is_operator:
        return Q()
    path = actor.subtree_path
    if path is None:
        return PUBLIC
    step = Organisation.steplen
    ancestors = [path[:i] for i in range(step, len(path) + 1, step)]
    # Inside the issuer's subtree (the issuer is the actor's unit or one above it), or above
    # the issuer (the issuer lies in the actor's subtree).
    return PUBLIC | Q(organisation__path__in=ancestors) | Q(organisation__path__startswith=path)


def material_library(
    actor: Actor | None,
    *,
    campaign: Campaign,
    q: str | None = None,
    kind: str | None = None,
    issuer: Organisation | None = None,
) -> QuerySet[Material]:
    """The items of a campaign the actor may see; `q` ignores diacritics, `issuer` keeps the
    items issued by that unit or below it."""
    qs = (
        Material.objects.filter(material_visibility_q(actor), campaign=campaign)
        .select_related("organisation", "current", "campaign")
        .order_by("organisation__path", "kind", "title", "id")
    )
    if kind in Material.Kind.values:
        qs = qs.filter(kind=kind)
    if issuer is not None:
        qs = qs.filter(organisation__path__startswith=issuer.path)
    for word in search_key(q).split():
        qs = qs.filter(search_key__contains=word)
    return qs


def material_issuers(actor: Actor | None, campaign: Campaign) -> QuerySet[Organisation]:
    """The units that issued an item of the campaign the actor may see (for the filter)."""
    ids = Material.objects.filter(material_visibility_q(actor), campaign=campaign).values(
        "organisation_id"
    )
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def issuer_by_code(code: str | None) -> Organisation | None:
    """The issuing unit named in a URL (None for none); NotFound for an unknown code."""
    if not code:
        return None
    org = Organisation.objects.filter(code=code[:64]).first()
    if org is None:
        raise NotFound()
    return org


def get_material_by_code(actor: Actor | None, code: str) -> Material:
    """The item behind a short code, or NotFound (missing and not visible look the same)."""
    material = (
        Material.objects.filter(material_visibility_q(actor), short_code=(code or "")[:12])
        .select_related("organisation", "current", "campaign")
        .first()
    )
    if material is None:
        raise NotFound()
    return material


def material_versions(material: Material):
    return material.versions.select_related("created_by").order_by("-number")


def get_version(material: Material, number: int | None):
    """The current version (number None) or the numbered one, or NotFound."""
    version = (
        material.current if number is None else material.versions.filter(number=number).first()
    )
    if version is None:
        raise NotFound()
    return version


def materials_for_manage(actor: Actor, campaign: Campaign | None = None) -> QuerySet[Material]:
    """The items issued in the actor's subtree (what their coordinators may change)."""
    if not actor.has_action("materials.manage"):
        return Material.objects.none()
    qs = Material.objects.filter(subtree_q(actor)).select_related(
        "organisation", "current", "campaign"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("-campaign__year", "organisation__path", "title", "id")


def get_material_for_manage(actor: Actor, pk: int | None) -> Material:
    material = (
        Material.objects.filter(pk=pk).select_related("organisation", "campaign").first()
        if pk is not None
        else None
    )
    if material is None or not can(actor, "materials.manage", material.organisation):
        raise NotFound()
    return material


def campaign_for_page(year: int | None) -> Campaign:
    """The campaign asked for, else the latest one; NotFound when there is none."""
    qs = Campaign.objects.order_by("-year")
    campaign = qs.filter(year=year).first() if year is not None else qs.first()
    if campaign is None:
        raise NotFound()
    return campaign


def campaign_years() -> list[int]:
    return list(Campaign.objects.order_by("-year").values_list("year", flat=True))
