"""/api/v1/portal: what the public portal shows, for other sites and apps (no login)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from ninja import Router, Schema

from dxday.activities import selectors
from dxday.core.api import Year
from dxday.core.errors import NotFound
from dxday.plans.models import Campaign

router = Router(tags=["portal"])


class NextKeyDateOut(Schema):
    name: str
    date: datetime.date
    days_left: int


class Figures(Schema):
    activities: int
    units: int
    provinces: int
    offers: int


class SummaryOut(Schema):
    year: int
    theme: str
    message: str
    next_key_date: NextKeyDateOut | None
    figures: Figures


class OfferOut(Schema):
    id: int
    campaign: int | None
    provider: str
    title: str
    discount: str
    starts_on: datetime.date
    ends_on: datetime.date
    how_to_claim: str
    link: str


@router.get("/summary", response=SummaryOut, summary="Campaign home: message, countdown, figures")
def summary(request, campaign: Year | None = None):
    qs = Campaign.objects.filter(status=Campaign.Status.PUBLISHED).order_by("-year")
    found = qs.filter(year=campaign).first() if campaign else qs.first()
    if found is None:
        raise NotFound()
    today = timezone.localdate()
    key = selectors.next_key_date(found, today)
    return {
        "year": found.year,
        "theme": found.theme,
        "message": found.message,
        "next_key_date": {"name": key.name, "date": key.date, "days_left": (key.date - today).days}
        if key
        else None,
        "figures": selectors.headline_figures(found),
    }


@router.get("/offers", response=list[OfferOut], summary="Approved offers on digital services")
def offers(request, campaign: Year | None = None, q: str | None = None):
    return [
        {
            "id": o.pk,
            "campaign": o.campaign.year if o.campaign_id else None,
            "provider": o.provider,
            "title": o.title,
            "discount": o.discount,
            "starts_on": o.starts_on,
            "ends_on": o.ends_on,
            "how_to_claim": o.how_to_claim,
            "link": o.link,
        }
        for o in selectors.published_offers(campaign_year=campaign, q=q)[:500]
    ]
