"""Token auth, administrative areas and the caller's units (DESIGN.md "Public contracts")."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dxday.core.api import ErrorOut, Page
from dxday.core.errors import DomainError

from . import selectors, services
from .auth import api_auth
from .models import Organisation

router = Router(tags=["orgs"])


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)
    label: str = Field("", max_length=100)


class TokenOut(Schema):
    token: str


class AreaOut(Schema):
    code: str
    name: str
    division_type: str


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent: str | None
    province: str | None
    commune: str | None
    depth: int
    children: int
    is_active: bool


class OrgPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrgOut]


def _org_out(org: Organisation, parent_codes: dict[str, str]) -> dict:
    return {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "parent": parent_codes.get(org.parent_id_path),
        "province": org.province_id,
        "commune": org.commune_id,
        "depth": org.depth,
        "children": org.numchild,
        "is_active": org.is_active,
    }


def _parent_codes(orgs: list[Organisation]) -> dict[str, str]:
    paths = {o.parent_id_path for o in orgs if o.depth > 1}
    return dict(Organisation.objects.filter(path__in=paths).values_list("path", "code"))


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    tags=["auth"],
    summary="Lấy token API bằng tên đăng nhập và mật khẩu",
)
def token_obtain(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (stored hashed, revocable)."""
    raw = services.api_token_obtain(
        request=request, username=payload.username, password=payload.password, label=payload.label
    )
    return {"token": raw}


@router.delete("/auth/token", response={204: None, 400: ErrorOut, 401: ErrorOut}, auth=api_auth,
               tags=["auth"], summary="Thu hồi token đang dùng")  # fmt: skip
def token_revoke(request):
    """Revoke the token this request was made with."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise DomainError(
            _("Yêu cầu này không dùng token nên không có gì để thu hồi."), code="no_token"
        )
    services.api_token_revoke(by=request.actor, token=token)
    return Status(204, None)


@router.get(
    "/areas/provinces",
    response=list[AreaOut],
    auth=None,
    tags=["areas"],
    summary="34 tỉnh, thành phố (từ 1/7/2025)",
)
def provinces(request):
    """The 34 provinces and centrally-governed cities (since 1/7/2025), in Vietnamese order."""
    return list(selectors.province_list().values("code", "name", "division_type"))


@router.get(
    "/areas/provinces/{code}/communes",
    response={200: list[AreaOut], 404: ErrorOut},
    auth=None,
    tags=["areas"],
    summary="Các xã, phường của một tỉnh",
)
def communes(request, code: str):
    """The communes, wards and special zones of one province, in Vietnamese order."""
    return list(selectors.commune_list_for_province(code).values("code", "name", "division_type"))


@router.get(
    "/orgs",
    response={200: OrgPage, 401: ErrorOut},
    auth=api_auth,
    summary="Đơn vị trong phạm vi của tôi",
)
def org_list(
    request,
    q: str = "",
    kind: str = "",
    parent: str = "",
    page: Page = 1,
    page_size: int = Query(50, ge=1, le=500),
):
    """The caller's subtree in tree order; `q` searches without diacritics; `parent` (a unit
    code) narrows to the units directly under it, in Vietnamese name order, or with `q`
    anywhere below it."""
    if parent:
        unit = selectors.get_organisation_for_user(request.actor, parent)
        qs = selectors.organisation_children(request.actor, unit, q=q, kind=kind or None)
    else:
        qs = selectors.org_subtree(request.actor, q=q, kind=kind or None)
    count = qs.count()
    start = (page - 1) * page_size
    orgs = list(qs[start : start + page_size])
    parents = _parent_codes(orgs)
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": [_org_out(o, parents) for o in orgs],
    }


@router.get(
    "/orgs/{code}",
    response={200: OrgOut, 401: ErrorOut, 404: ErrorOut},
    auth=api_auth,
    summary="Một đơn vị trong phạm vi của tôi",
)
def org_detail(request, code: str):
    """One unit of the caller's subtree; any other code answers 404 like a missing one."""
    org = selectors.get_organisation_for_user(request.actor, code)
    return _org_out(org, _parent_codes([org]))
