"""Campaigns start as drafts: hidden from the public until published; only a draft is deleted."""

import pytest
from django.urls import reverse

from dxday.core.errors import DomainError
from dxday.core.models import AuditEntry
from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.plans import services
from dxday.plans.models import Campaign

from .factories import make_campaign


def _login(client, user):
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)


def _draft(people, year=2026):
    return services.campaign_create(
        by=people.actor(people.national_coordinator), year=year, theme="Chủ đề nháp 2026"
    )


@pytest.mark.django_db
def test_new_campaign_is_a_draft_hidden_from_public_api_and_portal(client, tree, people):
    make_campaign(2025)
    draft = _draft(people)
    assert draft.status == Campaign.Status.DRAFT
    years = [c["year"] for c in client.get("/api/v1/campaigns").json()]
    assert years == [2025]  # the public contract lists published campaigns only
    r = client.get("/api/v1/campaigns/2026")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/v1/portal/summary").json()["year"] == 2025
    home = client.get("/").content.decode()
    assert "Chủ đề nháp 2026" not in home
    assert client.get("/nam/2026/").status_code == 404

    services.campaign_publish(campaign=draft, by=people.actor(people.national_coordinator))
    assert [c["year"] for c in client.get("/api/v1/campaigns").json()] == [2026, 2025]
    assert client.get("/api/v1/campaigns/2026").json()["theme"] == "Chủ đề nháp 2026"
    assert "Chủ đề nháp 2026" in client.get("/").content.decode()
    entry = AuditEntry.objects.get(action="plans.campaign.published")
    assert entry.changes["status"] == ["draft", "published"]


@pytest.mark.django_db
def test_draft_deleted_after_confirmation_published_refused(client, tree, people):
    draft = _draft(people)
    _login(client, people.national_coordinator)
    detail = client.get(reverse("plans:campaign_detail", args=[2026])).content.decode()
    assert "Bản nháp" in detail and reverse("plans:campaign_delete", args=[2026]) in detail
    confirm = client.get(reverse("plans:campaign_delete", args=[2026]))
    assert "Xóa hẳn bản nháp chiến dịch năm 2026" in confirm.content.decode()
    assert Campaign.objects.filter(pk=draft.pk).exists()  # asking deletes nothing
    r = client.post(reverse("plans:campaign_delete", args=[2026]))
    assert r.status_code == 302 and not Campaign.objects.filter(year=2026).exists()
    assert AuditEntry.objects.filter(action="plans.campaign.deleted").count() == 1

    published = make_campaign(2025)
    r = client.post(reverse("plans:campaign_delete", args=[2025]), follow=True)
    assert "Chiến dịch đã công bố không xóa được" in r.content.decode()
    assert Campaign.objects.filter(pk=published.pk).exists()
    with pytest.raises(DomainError) as exc:
        services.campaign_delete(campaign=published, by=None)
    assert exc.value.code == "campaign_published"


@pytest.mark.django_db
def test_only_national_coordinator_publishes_or_deletes(client, tree, people):
    _draft(people)
    _login(client, people.th_coordinator)
    assert client.post(reverse("plans:campaign_publish", args=[2026])).status_code == 403
    assert client.post(reverse("plans:campaign_delete", args=[2026])).status_code == 403
    assert Campaign.objects.get(year=2026).status == Campaign.Status.DRAFT


@pytest.mark.django_db
def test_publish_from_the_page(client, tree, people):
    _draft(people)
    _login(client, people.national_coordinator)
    r = client.post(reverse("plans:campaign_publish", args=[2026]))
    assert r.status_code == 302
    assert Campaign.objects.get(year=2026).status == Campaign.Status.PUBLISHED


@pytest.mark.django_db
def test_a_draft_is_not_the_default_of_the_public_outreach_dashboard(client, tree, people):
    from dxday.outreach.selectors import campaign_for_year
    from dxday.plans.models import CampaignWindow

    published = make_campaign(2025)
    CampaignWindow.objects.create(
        campaign=published, kind="door_to_door", name="Đi từng ngõ",
        starts_on="2025-10-01", ends_on="2025-10-31",
    )  # fmt: skip
    draft = _draft(people)
    CampaignWindow.objects.create(
        campaign=draft, kind="door_to_door", name="Đi từng ngõ 2026",
        starts_on="2026-10-01", ends_on="2026-10-31",
    )  # fmt: skip
    assert campaign_for_year(None) == published
