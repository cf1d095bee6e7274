import pytest

from dxday.orgs.auth import token_generate
from dxday.orgs.models import ApiToken

pytestmark = pytest.mark.django_db


def bearer(user):
    raw, hashed = token_generate()
    ApiToken.objects.create(user=user, key_hash=hashed, prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_public_list(client, library):
    r = client.get("/api/v1/materials?campaign=2025")
    rows = r.json()
    assert r.status_code == 200
    assert {row["title"] for row in rows} == {library.poster.title, library.th_info.title}
    row = next(row for row in rows if row["id"] == library.poster.pk)
    assert set(row) == {"id", "title", "kind", "issuer", "url", "qr_svg_url"}
    assert row["url"] == f"http://testserver/m/{library.poster.short_code}"
    assert row["qr_svg_url"] == f"http://testserver/m/{library.poster.short_code}/qr.svg"
    assert row["issuer"] == "Bộ Khoa học và Công nghệ" and row["kind"] == "poster"


def test_subtree_items_need_a_token_that_may_see_them(client, library, people):
    def titles(headers):
        return {
            row["title"] for row in client.get("/api/v1/materials?campaign=2025", **headers).json()
        }

    assert library.th_plan.title in titles(bearer(people.th_c1_reporter))
    tq = titles(bearer(people.tq_coordinator))
    assert library.th_plan.title not in tq and library.internal.title in tq
    assert library.th_plan.title not in titles({"HTTP_AUTHORIZATION": "Bearer sai"})


def test_unknown_campaign_is_404_and_bad_year_422(client, library):
    assert client.get("/api/v1/materials?campaign=2019").status_code == 404
    assert client.get("/api/v1/materials?campaign=abc").status_code == 422
