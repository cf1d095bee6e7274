"""Certificates for attendees: bulk issue (idempotent, audited), revocation with a reason,
the fixed public API and the ticket page's link."""

from __future__ import annotations

import pytest

from dxday.certificates.models import Certificate
from dxday.core.errors import DomainError
from dxday.core.models import AuditEntry
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, actor_of

from .. import services
from ..checkin import checkins_ingest
from ..models import Offering
from .conftest import make_offering, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(people, campaign, tree, time_before):
    return make_offering(
        actor_of(people.th_coordinator), campaign, tree.th, kind=Offering.Kind.TRAINING,
        title="Bồi dưỡng AI cho cán bộ", capacity=None, commune=None,
        address="Hội trường tỉnh", topics=["ai"],
    )  # fmt: skip


def test_issue_to_attendees_then_revoke(client, training, people, tree):
    coordinator = actor_of(people.th_coordinator)
    regs = services.registrations_enrol(
        actor=coordinator, offering=training, organisation=tree.th_c2, names=["An", "Bình", "Chi"]
    )
    checkins_ingest(actor=coordinator, checkins=[scan(regs[0]), scan(regs[1])])
    issued = services.certificates_issue_for(actor=coordinator, offering=training)
    assert sorted(c.holder_name for c in issued) == ["An", "Bình"]
    checkins_ingest(actor=coordinator, checkins=[scan(regs[2])])
    again = services.certificates_issue_for(actor=coordinator, offering=training)
    assert len(again) == 3 and Certificate.objects.count() == 3  # only Chi was added
    assert AuditEntry.objects.filter(action="certificates.certificate.issued").count() == 3

    code = issued[0].code
    body = client.get(f"/api/v1/learning/certificates/{code}").json()
    assert body == {"status": "valid", "name": issued[0].holder_name,
                    "offering": "Bồi dưỡng AI cho cán bộ", "organiser": "UBND tỉnh Thanh Hóa",
                    "date": "2025-10-10"}  # fmt: skip
    assert client.get("/api/v1/learning/certificates/KHONGCO").status_code == 404

    client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    page = client.get(f"/hoc-tap/quan-ly/{training.pk}/chung-nhan/").content.decode()
    assert code in page
    client.post(f"/hoc-tap/quan-ly/{training.pk}/chung-nhan/",
                {"action": "revoke", "code": code, "reason": "Cấp nhầm người"})  # fmt: skip
    assert client.get(f"/api/v1/learning/certificates/{code}").json()["status"] == "revoked"
    assert AuditEntry.objects.filter(action="certificates.certificate.revoked").count() == 1
    client.logout()
    reg = next(r for r in regs if f"registration:{r.pk}" == issued[1].holder_key)
    ticket = client.get(f"/hoc-tap/ve/{reg.code}/").content.decode()
    assert f"/xac-thuc/{issued[1].code}/" in ticket


def test_only_trainings_or_offerings_that_turn_them_on(offering, organiser, people, tree):
    reg = services.registration_create(offering=offering, name="An")
    checkins_ingest(actor=organiser, checkins=[scan(reg)])
    with pytest.raises(DomainError) as exc:
        services.certificates_issue_for(actor=organiser, offering=offering)
    assert exc.value.code == "certificates_off"
    services.offering_update(actor=organiser, offering=offering, certificates_enabled=True)
    offering.refresh_from_db()
    assert len(services.certificates_issue_for(actor=organiser, offering=offering)) == 1
    with pytest.raises(DomainError):  # another commune's reporter
        services.certificates_issue_for(actor=actor_of(people.th_c2_reporter), offering=offering)
