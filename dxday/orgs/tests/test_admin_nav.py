"""Operators' admin, role-dependent navigation and the password change page."""

import pytest
from django.urls import reverse

from dxday.orgs import services
from dxday.orgs.models import ApiToken, User
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, tree):
    User.objects.create_superuser("vanhanh", password=DEFAULT_PASSWORD)
    client.login(username="vanhanh", password=DEFAULT_PASSWORD)
    return client


@pytest.mark.parametrize(
    "model",
    ["organisation", "user", "membership", "apitoken", "province", "commune"],
)
def test_admin_changelists_open(operator, people, model):
    assert operator.get(reverse(f"admin:orgs_{model}_changelist")).status_code == 200


def test_admin_never_shows_a_token_hash(operator, people):
    actor = people.actor(people.th_coordinator)
    token, raw = services.api_token_issue(by=actor, user=people.th_coordinator, label="x")
    page = operator.get(reverse("admin:orgs_apitoken_change", args=[token.pk])).content.decode()
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash not in page and raw not in page
    assert stored.prefix in page


def test_admin_audit_log_is_read_only(operator, people):
    assert operator.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert operator.get(reverse("admin:core_auditentry_add")).status_code == 403


def test_admin_unit_form_takes_the_reference_as_a_code(operator, tree):
    url = reverse("admin:orgs_organisation_change", args=[tree.th_c1.pk])
    page = operator.get(url).content.decode()
    assert (
        'name="treebeard_ref_node"' in page
        and "<option" not in page.split('name="treebeard_ref_node"')[1][:200]
    )


def test_admin_edit_is_audited(operator, tree):
    from dxday.core.audit import audit_trail

    url = reverse("admin:orgs_organisation_change", args=[tree.th_press.pk])
    r = operator.post(
        url,
        {
            "code": "bao-thanh-hoa", "name": "Báo và Phát thanh, Truyền hình Thanh Hóa",
            "short_name": "", "kind": "press", "province": "38", "commune": "", "email": "",
            "is_active": "on", "treebeard_position": "right", "treebeard_ref_node": "th-so-khcn",
        },
    )  # fmt: skip
    assert r.status_code == 302, [str(e) for e in r.context["adminform"].form.errors.items()]
    from dxday.orgs.models import Organisation

    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    entry = audit_trail(tree.th_press).first()
    assert entry.action == "orgs.organisation.updated"
    assert entry.changes["name"][1] == "Báo và Phát thanh, Truyền hình Thanh Hóa"


def _nav(client):
    return [item["name"] for item in client.get(reverse("orgs:workspace")).context["nav_items"]]


def test_navigation_depends_on_role(client, people):
    client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    assert {"orgs:workspace", "orgs:import_home"} <= set(_nav(client))
    client.logout()
    client.login(username="th_xa1_baocao", password=DEFAULT_PASSWORD)
    names = _nav(client)
    assert "orgs:workspace" in names and "orgs:import_home" not in names


def test_password_change_in_vietnamese(client, people):
    client.login(username="th_xem", password=DEFAULT_PASSWORD)
    url = reverse("orgs:password_change")
    r = client.post(
        url,
        {"old_password": "sai", "new_password1": "mat-khau-moi-2025", "new_password2": "x"},
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "Mật khẩu" in page and "không" in page
    people.th_viewer.refresh_from_db()
    assert people.th_viewer.check_password(DEFAULT_PASSWORD)
    r = client.post(
        url,
        {"old_password": DEFAULT_PASSWORD, "new_password1": "mat-khau-moi-2025",
         "new_password2": "mat-khau-moi-2025"},
    )  # fmt: skip
    assert r.status_code == 302
    people.th_viewer.refresh_from_db()
    assert people.th_viewer.check_password("mat-khau-moi-2025")
