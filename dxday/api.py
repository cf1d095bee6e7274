"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Every error is a JSON body with a machine-readable `code` and a Vietnamese `message`.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dxday.activities.api import router as activities_router
from dxday.core.api import router as core_router
from dxday.core.errors import DomainError
from dxday.orgs.api import router as orgs_router
from dxday.outreach.api import router as outreach_router
from dxday.plans.api import router as plans_router
from dxday.portal.api import router as portal_router
from dxday.reports.api import router as reports_router

api = NinjaAPI(
    title="dxday API",
    version="1",
    description=_("API của nền tảng Ngày Chuyển đổi số quốc gia."),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "type": e.get("type"),
            "message": e.get("msg"),
        }
        for e in exc.errors
    ]
    body = {
        "code": "validation_error",
        "message": _("Dữ liệu gửi lên không hợp lệ. Hãy kiểm tra các trường được nêu."),
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    body = {"code": "unauthorized", "message": _("Cần đăng nhập hoặc token hợp lệ.")}
    return api.create_response(request, body, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(
        request, {"code": "not_found", "message": _("Không tìm thấy.")}, status=404
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(
        request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
    )


api.add_router("/", core_router)
api.add_router("/", orgs_router)
api.add_router("/campaigns", plans_router)
api.add_router("/activities", activities_router)
api.add_router("/outreach", outreach_router)
api.add_router("/reports", reports_router)
api.add_router("/portal", portal_router)
