"""Every /api/ answer is the documented JSON: unknown paths, bad ids, numbers past the database's
range, and schema names that would make the OpenAPI lie (issue 9 §4)."""

from __future__ import annotations

import json

import pytest

from dxday.api import api

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/activities/abc"),  # int converter mismatch
        ("get", "/api/v1/campaigns/2025x/plans"),
        ("get", "/api/v1/reports/abc"),
        ("get", "/api/v1/activities/99999999999999999999"),  # past every integer column
        ("post", "/api/v1/reports/2147483648/submit"),
        ("get", "/api/v1/nowhere"),
        ("post", "/api/v1/nowhere"),  # a POST no CSRF check may turn into an HTML 403
        ("get", "/api/v2/activities"),
    ],
)
@pytest.mark.django_db
def test_unknown_api_paths_answer_json_not_found(client, method, path):
    """Guards: non-integer ids and unknown /api/ paths got Django's HTML 404 page."""
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities?offset=99999999999999999999",
        "/api/v1/activities?offset=9223372036854775808",
        "/api/v1/activities?limit=100000",
        "/api/v1/activities?campaign=99999999999999999999",
        "/api/v1/portal/offers?campaign=99999999999999999999",
        "/api/v1/outreach/totals?campaign=99999999999999999999",
    ],
)
@pytest.mark.django_db
def test_numbers_past_the_database_range_are_a_422(client, url):
    """Guards: an offset or a year past SQLite's 64-bit integers raised inside the driver (500)."""
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def _definitions(model) -> dict[str, dict]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    found = dict(schema.pop("$defs", {}))
    found[model.__name__] = schema
    return found


def test_no_two_schemas_share_a_name():
    """Guards: two `KeyDateOut` (and two `ReturnIn`) classes; the OpenAPI kept only one, so the
    documented /api/v1/campaigns answer described the portal's key date."""
    seen: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = list(operation.models) + list(operation.response_models.values())
                for model in models:
                    if not hasattr(model, "model_json_schema"):
                        continue
                    for name, definition in _definitions(model).items():
                        if name in {"BodyParams", "QueryParams", "PathParams", "FileParams"}:
                            continue
                        if name.startswith("NinjaResponseSchema"):
                            continue
                        seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
    clashes = {name for name, variants in seen.items() if len(variants) > 1}
    assert clashes == set()


def test_campaigns_document_their_own_key_dates():
    schema = api.get_openapi_schema()
    key_date = schema["components"]["schemas"]["CampaignKeyDateOut"]
    assert set(key_date["properties"]) == {"kind", "name", "date", "note"}


def test_every_operation_documents_its_errors_with_one_schema():
    """Guards: 400/404/409/422 answers were undocumented (and three error schemas existed)."""
    schema = api.get_openapi_schema()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code", "message", "field", "errors",
    }  # fmt: skip
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = {str(k): v for k, v in operation["responses"].items()}
            expected = {"400", "404", "409", "422", "503"}
            if operation.get("security"):
                expected |= {"401", "403"}
            assert expected <= set(responses), (method, path)
            for status in expected:
                body = responses[status]["content"]["application/json"]["schema"]
                assert body == ERROR_REF, (method, path, status)
