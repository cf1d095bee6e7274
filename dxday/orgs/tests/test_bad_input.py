"""Numbers and invalid fields from outside never give a 500 (issue 9 §4), and a service's
ValidationError arrives as the one DomainError with every field's messages (issue 8)."""

import pytest
from django.urls import reverse

from dxday.core.errors import DomainError
from dxday.orgs import services
from dxday.orgs.models import Organisation
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username):
    assert client.login(username=username, password=DEFAULT_PASSWORD)


@pytest.mark.parametrize("code", ["²", "٣8", "9" * 30])
def test_communes_of_a_strange_province_code_are_not_found(client, tree, code):
    """`"²".isdigit()` is True and `int("²")` raised: a 500 before core.params."""
    r = client.get(f"/api/v1/areas/provinces/{code}/communes")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/v1/areas/provinces/38/communes").status_code == 200


@pytest.mark.parametrize("value", ["abc", "²", "9" * 30, ""])
def test_acting_switch_with_a_malformed_membership_is_refused(client, people, value):
    login(client, "th_dieuphoi")
    r = client.post(reverse("orgs:acting_switch"), {"membership": value}, follow=True)
    assert r.status_code == 200
    assert "Bạn không có vai trò này." in r.content.decode()


@pytest.mark.parametrize("page", ["²", "-1", "9" * 30])
def test_unit_page_with_a_strange_page_number_shows_page_one(client, people, page):
    login(client, "th_dieuphoi")
    r = client.get(reverse("orgs:workspace"), {"page": page})
    assert r.status_code == 200 and r.context["page_obj"].number == 1


def test_api_page_past_any_offset_is_a_422(client, people):
    """A page of 10**18 overflowed SQLite's integer in the OFFSET: a 500."""
    r = client.post(
        "/api/v1/auth/token",
        {"username": "th_dieuphoi", "password": DEFAULT_PASSWORD},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    r = client.get("/api/v1/orgs", {"page": 10**18}, headers=headers)
    assert r.status_code == 422
    assert client.get("/api/v1/orgs", {"page": 2}, headers=headers).status_code == 200


def test_invalid_field_arrives_as_domain_error_with_field_errors(tree, people):
    with pytest.raises(DomainError) as exc:
        services.organisation_create(
            by=people.actor(people.th_coordinator), parent=tree.th, code="so-moi",
            name="Sở Mới", kind=Organisation.Kind.DEPARTMENT, email="không-phải-thư",
        )  # fmt: skip
    assert exc.value.code == "invalid" and exc.value.field == "email"
    assert exc.value.errors["email"] == [exc.value.message]
    assert not Organisation.objects.filter(code="so-moi").exists()
