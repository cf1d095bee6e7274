"""/api/v1/materials: a campaign's materials. Public items for everyone; items for a subtree
only too when the caller's token may see them."""

from __future__ import annotations

from django.urls import reverse
from ninja import Router, Schema

from dxday.core.api import Year
from dxday.orgs.auth import TokenAuth

from . import selectors
from .views import absolute

router = Router(tags=["materials"])


def _anonymous(request):
    """No token (or none that is valid): the caller is a public visitor."""
    return "anonymous"


class MaterialOut(Schema):
    id: int
    title: str
    kind: str
    issuer: str
    url: str
    qr_svg_url: str


@router.get(
    "",
    response=list[MaterialOut],
    auth=[TokenAuth(), _anonymous],
    summary="Tài liệu truyền thông của chiến dịch (công khai; token thêm tài liệu nội bộ được xem)",
)
def material_list(request, campaign: Year | None = None):
    """The items of a campaign (default: the latest) in issuer order, each with its short URL
    and the address of its QR code as SVG."""
    actor = request.actor if getattr(request, "api_token", None) is not None else None
    found = selectors.campaign_for_page(campaign)
    return [
        {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "issuer": m.organisation.name,
            "url": absolute(request, reverse("materials:item", args=[m.short_code])),
            "qr_svg_url": absolute(request, reverse("materials:qr", args=[m.short_code, "svg"])),
        }
        for m in selectors.material_library(actor, campaign=found)[:1000]
    ]
