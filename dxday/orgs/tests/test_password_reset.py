"""Password reset by e-mail, and an operator's reset that forces a change (issue 9 §2).

There was no way back into an account whose password was lost, and no way for an operator to
hand an official a temporary password that must be replaced.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from dxday.core.errors import DomainError
from dxday.orgs import services
from dxday.orgs.models import ApiToken, Role, User
from dxday.orgs.permissions import Actor
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_member, make_user

pytestmark = pytest.mark.django_db

NEW = "mot-mat-khau-moi-rat-dai-2025"


@pytest.fixture
def official(tree):
    user = make_member(tree.th_c1, Role.REPORTER, "th_xa1_an")
    user.email = "an@example.vn"
    user.save(update_fields=["email"])
    return user


def test_reset_by_email_sets_a_new_password(client, official):
    r = client.post(reverse("orgs:password_reset"), {"email": "AN@example.vn"})
    assert r.status_code == 302
    assert r.url == reverse("orgs:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["an@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "th_xa1_an" in message.body
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", message.body).group(1)
    r = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in r.content.decode()
    r = client.post(r.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r.url == reverse("orgs:password_reset_complete")
    assert client.login(username="th_xa1_an", password=NEW)
    # The link works once.
    r = client.get(link, follow=True)
    assert r.context["validlink"] is False


def test_reset_answers_the_same_for_an_unknown_address(client, official):
    known = client.post(reverse("orgs:password_reset"), {"email": "an@example.vn"}, follow=True)
    unknown = client.post(reverse("orgs:password_reset"), {"email": "ai@example.vn"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert len(mail.outbox) == 1


def test_reset_pages_are_vietnamese(client):
    page = client.get(reverse("orgs:password_reset")).content.decode()
    assert "Quên mật khẩu" in page and "Gửi đường dẫn đặt lại mật khẩu" in page
    login = client.get(reverse("orgs:login")).content.decode()
    assert reverse("orgs:password_reset") in login


def test_resetting_by_email_ends_a_lockout(client, official, settings):
    from axes.handlers.proxy import AxesProxyHandler

    settings.AXES_FAILURE_LIMIT = 2
    AxesProxyHandler.get_implementation(force=True)
    for _ in range(2):
        client.post(reverse("orgs:login"), {"username": "th_xa1_an", "password": "sai"})
    locked = client.post(
        reverse("orgs:login"), {"username": "th_xa1_an", "password": DEFAULT_PASSWORD}
    )
    assert locked.status_code == 429
    client.post(reverse("orgs:password_reset"), {"email": "an@example.vn"})
    link = re.search(r"http://testserver(/dat-lai-mat-khau/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(link, follow=True)
    client.post(r.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    r = client.post(reverse("orgs:login"), {"username": "th_xa1_an", "password": NEW})
    assert r.status_code == 302


# --- An operator resets an official's password -------------------------------------------------


@pytest.fixture
def operator(db):
    return make_user("van_hanh", is_superuser=True, is_staff=True)


def test_only_an_operator_resets_someone_elses_password(people, official):
    with pytest.raises(DomainError) as exc:
        services.user_password_reset(
            by=people.actor(people.national_coordinator), user=official, password=NEW
        )
    assert exc.value.status == 403
    official.refresh_from_db()
    assert official.check_password(DEFAULT_PASSWORD) and not official.must_change_password


def test_the_reset_page_is_not_found_for_a_coordinator(client, people, official):
    client.login(username="qg_dieuphoi", password=DEFAULT_PASSWORD)
    r = client.get(reverse("orgs:user_password_reset", args=[official.pk]))
    assert r.status_code == 404


def test_operator_reset_forces_a_change_at_next_login(client, operator, official):
    own, _raw = services.api_token_issue(
        by=Actor(user=official, membership=None), user=official, label="api"
    )
    client.force_login(operator)
    r = client.post(
        reverse("orgs:user_password_reset", args=[official.pk]),
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert r.status_code == 302
    official.refresh_from_db()
    assert official.must_change_password and official.check_password(NEW)
    own.refresh_from_db()
    assert own.revoked_at is not None  # whoever knew the old password loses their token

    client.logout()
    r = client.post(reverse("orgs:login"), {"username": "th_xa1_an", "password": NEW})
    assert r.status_code == 302
    # Every page leads to the password change until it is done.
    for url in (reverse("orgs:workspace"), reverse("orgs:token_list"), "/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url == reverse("orgs:password_change"), url
    page = client.get(reverse("orgs:password_change")).content.decode()
    assert "Mật khẩu của bạn vừa được đặt lại" in page
    api = client.get("/api/v1/orgs")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"

    final = "mat-khau-cua-rieng-toi-2025"
    r = client.post(
        reverse("orgs:password_change"),
        {"old_password": NEW, "new_password1": final, "new_password2": final},
    )
    assert r.status_code == 302
    official.refresh_from_db()
    assert not official.must_change_password
    assert client.get(reverse("orgs:workspace")).status_code == 200


def test_a_forced_change_cannot_be_skipped_through_the_api(client, operator, official):
    services.user_password_reset(by=Actor(user=operator, membership=None), user=official,
                                 password=NEW)  # fmt: skip
    r = client.post(
        "/api/v1/auth/token",
        {"username": "th_xa1_an", "password": NEW},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    assert not ApiToken.objects.filter(user=official, revoked_at__isnull=True).exists()


def test_a_weak_temporary_password_is_refused(operator, official):
    with pytest.raises(DomainError) as exc:
        services.user_password_reset(
            by=Actor(user=operator, membership=None), user=official, password="123"
        )
    assert exc.value.code == "weak_password"
    assert User.objects.get(pk=official.pk).check_password(DEFAULT_PASSWORD)
