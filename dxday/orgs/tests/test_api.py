"""The API through HTTP: token auth, areas, the caller's subtree, errors with codes."""

import pytest
from vietnam_provinces import Ward

from dxday.orgs.areas import areas_load
from dxday.orgs.models import ApiToken
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def token_for(client, username, password=DEFAULT_PASSWORD) -> str:
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_login_and_revoke(client, people):
    token = token_for(client, "th_dieuphoi")
    stored = ApiToken.objects.get(user=people.th_coordinator)
    assert stored.key_hash != token and token not in stored.key_hash
    assert client.get("/api/v1/orgs", **auth(token)).status_code == 200
    r = client.delete("/api/v1/auth/token", **auth(token))
    assert r.status_code == 204
    r = client.get("/api/v1/orgs", **auth(token))
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_wrong_password_gets_401_with_code_and_no_token(client, people):
    r = client.post(
        "/api/v1/auth/token",
        {"username": "th_dieuphoi", "password": "sai"},
        content_type="application/json",
    )
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"
    assert "không đúng" in r.json()["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body",
    ['{"username": "th_dieuphoi"}', '{"username": "", "password": "x"}', "not json", "[]"],
)
def test_malformed_token_request_is_422_with_code(client, people, body):
    r = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert r.status_code in (400, 422)
    assert r.json()["code"] in ("validation_error", "http_error")
    assert r.json()["message"]
    assert not ApiToken.objects.exists()


def test_provinces_and_communes_are_public_and_match_the_package(client):
    areas_load()
    r = client.get("/api/v1/areas/provinces")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == 34
    assert {"code": "38", "name": "Thanh Hóa", "division_type": "tinh"} in rows
    assert set(rows[0]) == {"code", "name", "division_type"}
    r = client.get("/api/v1/areas/provinces/38/communes")
    assert r.status_code == 200
    got = {(c["code"], c["name"]) for c in r.json()}
    expected = {
        (f"{int(w.code):05d}", w.name) for w in Ward.iter_all() if int(w.province_code) == 38
    }
    assert got == expected
    r = client.get("/api/v1/areas/provinces/99/communes")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_orgs_list_is_the_callers_subtree_with_search_and_pages(client, people):
    token = token_for(client, "th_dieuphoi")
    r = client.get("/api/v1/orgs", **auth(token))
    body = r.json()
    codes = [o["code"] for o in body["results"]]
    assert body["count"] == 5
    assert codes[0] == "tinh-38"
    assert set(codes) == {"tinh-38", "th-so-khcn", "bao-thanh-hoa", "xa-16000", "xa-16001"}
    first = body["results"][1]
    assert first["parent"] == "tinh-38"
    r = client.get("/api/v1/orgs?q=quang%20phu", **auth(token))
    assert [o["code"] for o in r.json()["results"]] == ["xa-16001"]
    r = client.get("/api/v1/orgs?page=2&page_size=2", **auth(token))
    assert len(r.json()["results"]) == 2 and r.json()["page"] == 2
    r = client.get("/api/v1/orgs?page=0", **auth(token))
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


def test_orgs_list_query_count_does_not_grow(client, people, django_assert_max_num_queries):
    token = token_for(client, "qg_dieuphoi")
    with django_assert_max_num_queries(6):
        r = client.get("/api/v1/orgs?page_size=100", **auth(token))
    assert r.json()["count"] == 9


def test_commune_account_cannot_read_another_commune(client, people):
    token = token_for(client, "th_xa1_baocao")
    assert client.get("/api/v1/orgs/xa-16000", **auth(token)).status_code == 200
    r = client.get("/api/v1/orgs/xa-16001", **auth(token))
    assert r.status_code == 404
    codes = {o["code"] for o in client.get("/api/v1/orgs", **auth(token)).json()["results"]}
    assert codes == {"xa-16000"}


def test_provincial_coordinator_reads_province_not_another(client, people):
    token = token_for(client, "th_dieuphoi")
    for code in ("tinh-38", "th-so-khcn", "bao-thanh-hoa", "xa-16000", "xa-16001"):
        assert client.get(f"/api/v1/orgs/{code}", **auth(token)).status_code == 200
    for code in ("tinh-08", "xa-02200", "bo-khcn", "bo-tai-chinh"):
        assert client.get(f"/api/v1/orgs/{code}", **auth(token)).status_code == 404


def test_forbidden_answers_exactly_like_missing(client, people):
    token = token_for(client, "th_dieuphoi")
    forbidden = client.get("/api/v1/orgs/xa-02200", **auth(token))
    missing = client.get("/api/v1/orgs/xa-99999", **auth(token))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert forbidden.json() == {"code": "not_found", "message": "Không tìm thấy."}


def test_org_detail_fields(client, people):
    token = token_for(client, "qg_dieuphoi")
    r = client.get("/api/v1/orgs/xa-16000", **auth(token))
    assert r.json() == {
        "code": "xa-16000", "name": "UBND phường Hạc Thành", "short_name": "",
        "kind": "commune", "kind_label": "UBND xã, phường, đặc khu", "parent": "tinh-38",
        "province": "38", "commune": "16000", "depth": 3, "children": 0, "is_active": True,
    }  # fmt: skip


def test_no_auth_is_401_with_code(client, tree):
    r = client.get("/api/v1/orgs/tinh-38")
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    r = client.get("/api/v1/orgs", HTTP_AUTHORIZATION="Bearer dxd_khong-ton-tai")
    assert r.status_code == 401


def test_orgs_list_by_parent(client, people):
    token = token_for(client, "qg_dieuphoi")
    r = client.get("/api/v1/orgs?parent=tinh-38", **auth(token))
    # In Vietnamese name order (Báo…, Sở…, UBND phường…, UBND xã…), no longer tree order.
    assert [o["code"] for o in r.json()["results"]] == [
        "bao-thanh-hoa", "th-so-khcn", "xa-16000", "xa-16001",
    ]  # fmt: skip
    r = client.get("/api/v1/orgs?parent=tinh-38&q=hac%20thanh", **auth(token))
    assert [o["code"] for o in r.json()["results"]] == ["xa-16000"]
    th = token_for(client, "th_dieuphoi")
    r = client.get("/api/v1/orgs?parent=tinh-08", **auth(th))
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_validation_errors_name_each_field_in_vietnamese(client, db):
    response = client.post(
        "/api/v1/auth/token", data={"username": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    [error] = body["errors"]
    assert error["field"].endswith("password")
    assert error["type"] == "missing"
    assert error["message"] == "Trường này là bắt buộc."
