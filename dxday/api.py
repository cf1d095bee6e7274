"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Every error, on every /api/ path, is a JSON body `ErrorOut` with a machine-readable `code` and
a Vietnamese `message` (plus `field` / `errors` where they apply), documented on every operation:
400/404/409/422/503 everywhere, 401/403 where a token is needed.
"""

from django.db import IntegrityError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dxday.activities.api import router as activities_router
from dxday.awards.api import router as awards_router
from dxday.certificates.api import router as certificates_router
from dxday.contest.api import router as contest_router
from dxday.core.api import ErrorOut
from dxday.core.api import router as core_router
from dxday.core.db import (
    BUSY_RETRY_AFTER,
    busy_error,
    integrity_error,
    is_busy,
    is_constraint_race,
)
from dxday.core.errors import DomainError, NotFound
from dxday.core.pagecache import PORTAL, register_path
from dxday.identity.api import router as identity_router
from dxday.learning.api import router as learning_router
from dxday.materials.api import router as materials_router
from dxday.orgs.api import router as orgs_router
from dxday.outreach.api import router as outreach_router
from dxday.plans.api import router as plans_router
from dxday.portal.api import router as portal_router
from dxday.reports.api import router as reports_router

ERROR_DESCRIPTIONS = {
    400: "Yêu cầu không hợp lệ (mã lỗi trong `code`, ví dụ `invalid_characters`)",
    401: "Cần đăng nhập hoặc token hợp lệ (`unauthorized`)",
    403: "Vai trò không được phép (`forbidden`)",
    404: "Không tìm thấy, hoặc không được xem (`not_found`)",
    409: "Xung đột với dữ liệu đã có (`conflict` và các mã riêng)",
    422: "Dữ liệu không đúng lược đồ (`validation_error`, chi tiết trong `errors`)",
    503: "Cơ sở dữ liệu đang bận (`database_busy`), thử lại sau Retry-After giây",
}
_EVERYWHERE = (400, 404, 409, 422, 503)
_WITH_AUTH = (401, 403)


class DxdayAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Every operation documents the error answers it can give, all with `ErrorOut`."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                codes = _EVERYWHERE + (_WITH_AUTH if operation.get("security") else ())
                for status in codes:
                    responses.setdefault(
                        status,
                        {
                            "description": ERROR_DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


api = DxdayAPI(
    title="dxday API",
    version="1",
    description=_("API của nền tảng Ngày Chuyển đổi số quốc gia."),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _field_message(error: dict) -> str:
    """A Vietnamese sentence for one pydantic error (its English text stays in `detail`)."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("Trường này là bắt buộc."),
        "int_parsing": _("Phải là số nguyên."),
        "int_type": _("Phải là số nguyên."),
        "int_from_float": _("Phải là số nguyên."),
        "float_parsing": _("Phải là số."),
        "bool_parsing": _("Phải là đúng hoặc sai (true/false)."),
        "string_type": _("Phải là chuỗi ký tự."),
        "date_parsing": _("Ngày không hợp lệ (dạng YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Ngày không hợp lệ (dạng YYYY-MM-DD)."),
        "datetime_parsing": _("Thời điểm không hợp lệ (dạng ISO 8601)."),
        "datetime_from_date_parsing": _("Thời điểm không hợp lệ (dạng ISO 8601)."),
        "uuid_parsing": _("Phải là một UUID."),
        "uuid_type": _("Phải là một UUID."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "model_attributes_type": _("Phải là một đối tượng JSON."),
        "json_invalid": _("Nội dung gửi lên không phải JSON hợp lệ."),
        "enum": _("Giá trị không nằm trong danh sách cho phép."),
        "literal_error": _("Giá trị không nằm trong danh sách cho phép."),
        "extra_forbidden": _("Trường này không được phép."),
    }
    if kind in messages:
        return messages[kind]
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"string_too_long", "too_long"}:
        return _("Quá dài (tối đa %(n)s).") % {"n": ctx.get("max_length")}
    if kind in {"string_too_short", "too_short"}:
        return _("Quá ngắn (tối thiểu %(n)s).") % {"n": ctx.get("min_length")}
    return _("Giá trị không hợp lệ.")


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "type": e.get("type"),
            "message": _field_message(e),
            "detail": e.get("msg"),
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


@api.exception_handler(IntegrityError)
def on_integrity_error(request, exc: IntegrityError):
    """A unique-constraint race no service translated (core.db.integrity_as_domain): 409."""
    if not is_constraint_race(exc):
        raise exc
    error = integrity_error()
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(OperationalError)
def on_operational_error(request, exc: OperationalError):
    """SQLite's write lock held by another process: 503 with Retry-After, never a 500."""
    if not is_busy(exc):
        raise exc
    error = busy_error()
    response = api.create_response(request, error.as_dict(), status=error.status)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


@csrf_exempt  # it changes nothing, and a CSRF refusal would be Django's HTML page
def not_found(request, *args, **kwargs):
    """Any /api/ path no operation matches (an unknown path, or `/activities/abc` where an
    integer id belongs): the API's JSON 404, never Django's HTML page."""
    return JsonResponse(NotFound().as_dict(), status=404)


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
api.add_router("/materials", materials_router)
api.add_router("/reports", reports_router)
api.add_router("/portal", portal_router)
api.add_router("/identity", identity_router)
api.add_router("/certificates", certificates_router)
api.add_router("/learning", learning_router)
api.add_router("/contest", contest_router)
api.add_router("/", awards_router)

# Public reads served to anonymous callers from the cache (dxday/core/pagecache.py): the
# campaigns, published activities and the portal's summary and offers until a service bumps
# the "portal" scope; the outreach totals for half a minute (they move with every batch).
for pattern in (
    r"^/api/v1/campaigns/?$",
    r"^/api/v1/campaigns/\d+/?$",
    r"^/api/v1/activities/?$",
    r"^/api/v1/portal/(summary|offers)/?$",
):
    register_path(pattern, scopes=(PORTAL,), ttl=300)
register_path(r"^/api/v1/outreach/totals/?$", scopes=("outreach",), ttl=30)
# The other capabilities' public reads, each under its own scope (bumped by its services) and
# for half a minute at most (seats left, votes and participants move all day).
for pattern, scope in (
    (r"^/api/v1/materials/?$", "materials"),
    (r"^/api/v1/learning/offerings/?$", "learning"),
    (r"^/api/v1/learning/totals/?$", "learning"),
    (r"^/api/v1/contest/contests/?$", "contest"),
    (r"^/api/v1/contest/rounds/\d+/leaderboard/?$", "contest"),
    (r"^/api/v1/awards/programmes/?$", "awards"),
    (r"^/api/v1/awards/programmes/\d+/results/?$", "awards"),
    (r"^/api/v1/honours/candidates/?$", "awards"),
):
    register_path(pattern, scopes=(scope,), ttl=30)
