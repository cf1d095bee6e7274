"""Every read of the learning capability worth a name: visibility applied, joins done, roll-ups.

Public lists and totals read the offering rows and the roll-up tables only; the attendance
dashboards never scan check-ins.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from dxday.certificates.models import Certificate
from dxday.certificates.selectors import certificate_public as public_certificate
from dxday.certificates.selectors import certificates_for_source
from dxday.core.errors import NotFound
from dxday.core.text import search_key
from dxday.orgs.models import Commune, Organisation, Province
from dxday.orgs.permissions import Actor, subtree_q
from dxday.plans.models import Campaign

from .models import (
    AreaStat,
    AreaTopicStat,
    CheckIn,
    Offering,
    OfficialHeadcount,
    ProvinceStat,
    ProvinceTopicStat,
    Registration,
    UnitTrainingStat,
)
from .tickets import offering_key_b64, ticket_payload
from .topics import Topic

BY = ("province", "commune", "topic", "kind", "audience")


def campaign_for_year(year: int | None) -> Campaign | None:
    """The campaign of `year`; without one, the latest campaign that has offerings."""
    if year:
        return Campaign.objects.filter(year=year).first()
    latest = Offering.objects.order_by("-campaign__year").values_list("campaign_id", flat=True)
    first = latest.first()
    if first:
        return Campaign.objects.get(pk=first)
    return Campaign.objects.order_by("-year").first()


# --- Offerings ---------------------------------------------------------------------------------


def offering_public_list(
    *,
    campaign: Campaign | None = None,
    province: str | None = None,
    commune: str | None = None,
    q: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    fmt: str | None = None,
    day: dt.date | None = None,
) -> QuerySet[Offering]:
    """Offerings anyone may see, filtered as the portal and the public API ask."""
    qs = Offering.objects.select_related("organiser", "commune", "province").prefetch_related(
        "topics"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if province:
        qs = qs.filter(province_id=province)
    if commune:
        qs = qs.filter(commune_id=commune)
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topics__topic=topic)
    if fmt == "in_person":
        qs = qs.filter(format__in=[Offering.Format.IN_PERSON, Offering.Format.HYBRID])
    elif fmt == "online":
        qs = qs.filter(format__in=[Offering.Format.ONLINE, Offering.Format.HYBRID])
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        qs = qs.filter(starts_at__lt=start + dt.timedelta(days=1), ends_at__gte=start)
    if q:
        for word in search_key(q).split()[:6]:
            qs = qs.filter(search_key__contains=word)
    return qs.order_by("starts_at", "id")


def offering_public(offering_id: int) -> Offering:
    offering = (
        Offering.objects.select_related("organiser", "commune", "province", "campaign")
        .prefetch_related("topics")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        raise NotFound()
    return offering


def offering_for_registration(offering_id: int) -> Offering:
    """Just the offering row (no joins): the registration path needs nothing else, and it is
    the hottest public write."""
    offering = Offering.objects.filter(pk=offering_id).order_by().first()
    if offering is None:
        raise NotFound()
    return offering


def offering_list_for_user(actor: Actor, *, campaign: Campaign | None = None, q: str = ""):
    qs = Offering.objects.filter(subtree_q(actor, "organiser")).select_related(
        "organiser", "commune"
    )
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if q:
        for word in search_key(q).split()[:6]:
            qs = qs.filter(search_key__contains=word)
    return qs.order_by("-starts_at", "id")


def get_offering_for_user(actor: Actor, offering_id: int) -> Offering:
    """An offering in the actor's subtree; missing and forbidden are the same 404."""
    offering = (
        Offering.objects.filter(subtree_q(actor, "organiser"))
        .select_related("organiser", "commune", "province", "campaign", "task")
        .prefetch_related("topics")
        .filter(pk=offering_id)
        .first()
    )
    if offering is None:
        raise NotFound()
    return offering


def registration_by_code(code: str) -> Registration:
    reg = (
        Registration.objects.select_related("offering__organiser", "offering__commune", "commune")
        .filter(code=str(code)[:20].upper())
        .first()
    )
    if reg is None:
        raise NotFound()
    return reg


def registration_qr(registration: Registration) -> str:
    return ticket_payload(registration.offering_id, registration.pk)


def registrations_of(offering: Offering) -> QuerySet[Registration]:
    return offering.registrations.select_related("commune", "organisation").order_by("id")


def duplicate_scans(offering: Offering) -> list[dict]:
    """Every ticket scanned more than once: the counted scan and the others, with devices."""
    rows = (
        CheckIn.objects.filter(offering=offering, registration__isnull=False)
        .filter(
            registration_id__in=CheckIn.objects.filter(
                offering=offering, counted=False, registration__isnull=False
            ).values("registration_id")
        )
        .select_related("registration")
        .order_by("registration_id", "-counted", "scanned_at")
    )
    out: dict[int, dict] = {}
    for c in rows:
        entry = out.setdefault(
            c.registration_id, {"registration": c.registration, "counted": None, "others": []}
        )
        if c.counted:
            entry["counted"] = c
        else:
            entry["others"].append(c)
    return list(out.values())


# --- Check-in app ------------------------------------------------------------------------------


def checkin_config(actor: Actor, *, now: dt.datetime | None = None) -> dict:
    """What a staff phone needs to scan offline: the offerings it may check in (from yesterday
    on), each with its ticket key and the revoked tickets (the revocation list)."""
    now = now or timezone.now()
    offerings = list(
        Offering.objects.filter(subtree_q(actor, "organiser"))
        .filter(ends_at__gte=now - dt.timedelta(days=1))
        .select_related("commune")
        .order_by("starts_at", "id")[:200]
    )
    revoked = revocations([o.pk for o in offerings])
    return {
        "offerings": [
            {
                "id": o.pk,
                "title": o.title,
                "place": o.address or (o.commune.name if o.commune_id else ""),
                "starts_at": o.starts_at.isoformat(),
                "ends_at": o.ends_at.isoformat(),
                "key": offering_key_b64(o.pk),
                "revoked": revoked.get(o.pk, []),
            }
            for o in offerings
        ],
        "age_groups": [{"code": c, "name": str(n)} for c, n in _age_groups()],
    }


def _age_groups():
    from .topics import AgeGroup

    return AgeGroup.choices


def revocations(offering_ids: list[int]) -> dict[int, list[int]]:
    """Cancelled tickets of these offerings: id → [ticket ids]."""
    out: dict[int, list[int]] = {}
    for oid, rid in (
        Registration.objects.filter(
            offering_id__in=offering_ids, status=Registration.Status.CANCELLED
        )
        .order_by("offering_id", "id")
        .values_list("offering_id", "id")
    ):
        out.setdefault(oid, []).append(rid)
    return out


def checkin_lookup(actor: Actor, *, offering_id: int, q: str) -> list[dict]:
    """Manual lookup at the door: registrants of an offering by name or ticket code."""
    offering = get_offering_for_user(actor, offering_id)
    key = search_key(q)
    if len(key) < 2:
        return []
    qs = offering.registrations.exclude(status=Registration.Status.CANCELLED).filter(
        Q(name_key__contains=key) | Q(code=q.strip().upper()[:20])
    )
    return [
        {"name": r.name, "code": r.code, "status": r.status, "ticket": registration_qr(r)}
        for r in qs.order_by("name_key")[:20]
    ]


# --- Totals (roll-ups only) --------------------------------------------------------------------


def attendance_totals(
    *, campaign: Campaign, by: str = "commune", province: str | None = None
) -> list[dict]:
    """Roll-up rows: attendance (registrants checked in + walk-ins) by province, commune,
    topic, kind or audience, nationally or within one province."""
    # Nationally, the province tables (a few hundred rows); within a province, the commune ones.
    if by == "topic":
        if province:
            qs = AreaTopicStat.objects.filter(campaign=campaign, province_code=province)
        else:
            qs = ProvinceTopicStat.objects.filter(campaign=campaign)
        labels = dict(Topic.choices)
        return [
            {"topic": r["topic"], "name": str(labels.get(r["topic"], r["topic"])),
             "attendance": r["n"]}
            for r in qs.values("topic").annotate(n=Sum("attendance")).order_by("topic")
        ]  # fmt: skip
    if province or by == "commune":
        qs = AreaStat.objects.filter(campaign=campaign)
        if province:
            qs = qs.filter(province_code=province)
    else:
        qs = ProvinceStat.objects.filter(campaign=campaign)
    key = {
        "province": "province_code", "commune": "commune_code", "kind": "kind",
        "audience": "audience",
    }[by]  # fmt: skip
    rows = list(
        qs.values(key)
        .annotate(registrants=Sum("registrants"), walk_ins=Sum("walk_ins"))
        .order_by(key)
    )
    names: dict[str, str] = {}
    if by == "province":
        names = dict(Province.objects.filter(code__in=[r[key] for r in rows]).values_list(
            "code", "name"))  # fmt: skip
    elif by == "commune":
        names = dict(Commune.objects.filter(code__in=[r[key] for r in rows]).values_list(
            "code", "name"))  # fmt: skip
    elif by == "kind":
        names = {k: str(v) for k, v in Offering.Kind.choices}
    else:
        names = {k: str(v) for k, v in Offering.Audience.choices}
    out = []
    for r in rows:
        code = r[key]
        out.append(
            {
                by: code,
                "name": names.get(code, "") if code else "",
                "registrants": r["registrants"],
                "walk_ins": r["walk_ins"],
                "attendance": r["registrants"] + r["walk_ins"],
            }
        )
    return out


def festival_figures(campaign: Campaign | None) -> dict | None:
    """The festival's live figures for the portal's campaign home (a few indexed reads)."""
    if campaign is None:
        return None
    offerings = Offering.objects.filter(campaign=campaign).aggregate(
        n=Count("id"), communes=Count("commune", distinct=True), seats=Sum("seats_taken")
    )
    if not offerings["n"]:
        return None  # one query for a campaign without a festival
    agg = ProvinceStat.objects.filter(campaign=campaign).aggregate(
        registrants=Sum("registrants"), walk_ins=Sum("walk_ins")
    )
    attendance = (agg["registrants"] or 0) + (agg["walk_ins"] or 0)
    return {
        "offerings": offerings["n"],
        "communes": offerings["communes"],
        # Seats taken (confirmed and held): a counter, not a COUNT over millions of rows.
        "registrations": offerings["seats"] or 0,
        "attendance": attendance,
    }


def officials_trained(*, campaign: Campaign, within: Organisation | None = None) -> list[dict]:
    """Trained officials per unit, with the share of the unit's headcount where known."""
    qs = UnitTrainingStat.objects.filter(campaign=campaign).select_related("organisation")
    if within is not None:
        qs = qs.filter(organisation__path__startswith=within.path)
    heads = dict(
        OfficialHeadcount.objects.filter(
            campaign=campaign, organisation_id__in=[r.organisation_id for r in qs]
        ).values_list("organisation_id", "officials")
    )
    out = []
    for r in qs.order_by("organisation__path"):
        head = heads.get(r.organisation_id)
        out.append(
            {
                "organisation": r.organisation,
                "trained": r.trained,
                "headcount": head,
                "share": round(100 * r.trained / head, 1) if head else None,
            }
        )
    return out


# --- Certificates ------------------------------------------------------------------------------


def certificates_of(offering: Offering):
    return certificates_for_source(f"learning.offering:{offering.pk}")


def certificate_of_registration(registration: Registration):
    return Certificate.objects.filter(
        source=f"learning.offering:{registration.offering_id}",
        holder_key=f"registration:{registration.pk}",
    ).first()


def certificate_public(code: str) -> dict:
    """The public answer about a certificate (status, name, offering, organiser, date)."""
    data = public_certificate(code)
    return {k: data[k] for k in ("status", "name", "offering", "organiser", "date")}
