"""Offerings, registrations, the waiting list and holds, contacts erased, check-ins counted."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from dxday.core.errors import DomainError, NotFound
from dxday.core.models import AuditEntry
from dxday.orgs.tests.factories import actor_of

from .. import selectors, services
from ..checkin import checkins_ingest
from ..models import CheckIn, Offering, Registration
from ..rollups import rollups_rebuild, rollups_snapshot
from ..tickets import ticket_parse, ticket_payload
from .conftest import at, make_offering, scan, walk_in

pytestmark = pytest.mark.django_db


def test_offering_create_fills_place_and_topics(offering, tree):
    assert offering.province_id == "38"
    assert sorted(offering.topics.values_list("topic", flat=True)) == ["dich-vu-cong", "vneid"]
    assert "van hoa" in offering.search_key
    assert AuditEntry.objects.filter(action="learning.offering.created").count() == 1


def test_offering_rules(organiser, campaign, tree, time_before):
    with pytest.raises(DomainError) as exc:
        make_offering(organiser, campaign, tree.th_c1, format=Offering.Format.ONLINE)
    assert exc.value.field == "online_link"
    with pytest.raises(DomainError) as exc:
        make_offering(organiser, campaign, tree.th_c1, invitation_only=True)
    assert exc.value.field == "invitation_code"
    with pytest.raises(DomainError) as exc:
        make_offering(organiser, campaign, tree.th_c1, topics=["khong-co"])
    assert exc.value.field == "topics"


def test_a_unit_edits_only_its_subtree(organiser, campaign, tree, people, time_before):
    # The commune's reporter cannot organise for the neighbouring commune...
    with pytest.raises(NotFound):
        make_offering(organiser, campaign, tree.th_c2)
    offering = make_offering(organiser, campaign, tree.th_c1)
    other = actor_of(people.th_c2_reporter)
    with pytest.raises(NotFound):
        services.offering_update(actor=other, offering=offering, title="Đổi tên")
    with pytest.raises(NotFound):
        selectors.get_offering_for_user(other, offering.pk)
    # ...the province sees and edits it; a viewer sees it but may not edit.
    province = actor_of(people.th_coordinator)
    services.offering_update(actor=province, offering=offering, title="Lớp học số mới")
    assert selectors.get_offering_for_user(province, offering.pk).title == "Lớp học số mới"
    viewer = actor_of(people.th_viewer)
    with pytest.raises(DomainError) as exc:
        services.offering_update(actor=viewer, offering=offering, title="x")
    assert exc.value.status == 403
    assert list(selectors.offering_list_for_user(actor_of(people.tq_coordinator))) == []


def _register(offering, name="Nguyễn Văn An", **kw):
    return services.registration_create(offering=offering, name=name, **kw)


def test_capacity_then_waiting_list(offering):
    regs = [_register(offering, f"Người {i}") for i in range(7)]
    assert [r.status for r in regs] == ["confirmed"] * 5 + ["waitlisted"] * 2
    offering.refresh_from_db()
    assert offering.seats_taken == 5 and offering.seats_left == 0


def test_cancel_promotes_the_next_with_a_hold_and_a_notice(
    offering, django_capture_on_commit_callbacks
):
    regs = [_register(offering, f"Người {i}") for i in range(5)]
    waiting = _register(offering, "Trần Thị Chờ", contact="cho@example.vn")
    later = _register(offering, "Lê Văn Sau")
    with pytest.raises(DomainError):
        services.registration_hold_confirm(registration=waiting)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=regs[0])
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.HELD
    assert waiting.hold_until is not None and waiting.notified_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cho@example.vn"]
    offering.refresh_from_db()
    assert offering.seats_taken == 5  # the seat went straight to the held person
    # The hold expires: the seat moves on to the next person waiting.
    with time_machine.travel(waiting.hold_until + dt.timedelta(minutes=1)):
        assert services.holds_expire() == 1
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == "cancelled" and later.status == "held"
    services.registration_hold_confirm(registration=later)
    later.refresh_from_db()
    assert later.status == "confirmed"
    # Nobody waits any more: a cancellation frees the seat.
    services.registration_cancel(registration=regs[1])
    offering.refresh_from_db()
    assert offering.seats_taken == 4


def test_registration_closed_and_invitation(offering, organiser, campaign, tree):
    services.offering_update(actor=organiser, offering=offering, registration_open=False)
    offering.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        _register(offering)
    assert exc.value.code == "registration_closed" and exc.value.status == 409
    dialogue = make_offering(
        organiser, campaign, tree.th_c1, kind=Offering.Kind.DIALOGUE, invitation_only=True,
        invitation_code="DOITHOAI2024",
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        _register(dialogue, invitation_code="SAI")
    assert exc.value.code == "invitation_required"
    assert _register(dialogue, invitation_code="doithoai2024").status == "confirmed"
    with time_machine.travel(at(11, 9)), pytest.raises(DomainError) as exc:
        _register(dialogue, invitation_code="DOITHOAI2024")
    assert exc.value.code == "registration_closed"


def test_contact_is_checked_never_audited_and_erased_after_retention(offering):
    with pytest.raises(DomainError):
        _register(offering, contact="abc")
    reg = _register(offering, contact="0912 345 678")
    assert reg.contact == "0912345678"
    assert not AuditEntry.objects.filter(changes__icontains="0912345678").exists()
    assert services.registrations_erase_contacts() == 0  # not yet
    with time_machine.travel(offering.ends_at + dt.timedelta(days=31)):
        assert services.registrations_erase_contacts() == 1
    reg.refresh_from_db()
    assert reg.contact == "" and reg.contact_erased_at is not None and reg.name


def test_enrol_a_units_officials(organiser, campaign, tree, people, time_before):
    training = make_offering(
        actor_of(people.th_coordinator), campaign, tree.th, kind=Offering.Kind.TRAINING,
        title="Bồi dưỡng AI cho cán bộ", capacity=None, commune=None,
        address="Hội trường tỉnh", topics=["ai", "big-data"],
    )  # fmt: skip
    assert training.audience == "officials" and training.gives_certificates
    regs = services.registrations_enrol(
        actor=actor_of(people.th_coordinator), offering=training, organisation=tree.th_c1
    )
    assert [r.user_id for r in regs] == [people.th_c1_reporter.pk]
    again = services.registrations_enrol(
        actor=actor_of(people.th_coordinator), offering=training, organisation=tree.th_c1
    )
    assert again[0].pk == regs[0].pk  # an account registers once
    named = services.registrations_enrol(
        actor=actor_of(people.th_coordinator), offering=training, organisation=tree.th_c2,
        names=["Lê Thị Một", "Phạm Văn Hai", ""],
    )  # fmt: skip
    assert len(named) == 2 and all(r.organisation_id == tree.th_c2.pk for r in named)


def test_ticket_payload_is_short_and_signed(offering):
    reg = _register(offering)
    payload = ticket_payload(offering.pk, reg.pk)
    assert len(payload) <= 32
    assert ticket_parse(payload).ticket_id == reg.pk
    forged = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB")
    assert ticket_parse(forged) is None
    other = ticket_payload(offering.pk + 1, reg.pk).split(".")
    assert ticket_parse(".".join([*payload.split(".")[:3], other[3]])) is None


def test_checkins_count_once_and_feed_rollups(offering, staff, tree, people, time_before):
    actor = actor_of(staff)
    regs = [_register(offering, f"Người {i}") for i in range(3)]
    first = scan(regs[0], device="may-1")
    result = checkins_ingest(actor=actor, checkins=[first, scan(regs[1]), walk_in(offering, 4)])
    assert (result.accepted, result.duplicates, result.rejected) == (3, 0, [])
    # The same ticket on a second phone that was offline, plus a resend of the first batch.
    second = scan(regs[0], device="may-2")
    result = checkins_ingest(actor=actor, checkins=[second, first])
    assert (result.accepted, result.duplicates) == (0, 2)
    assert result.duplicate_scans[0]["first_device"] == "may-1"
    offering.refresh_from_db()
    assert (offering.checked_in, offering.walk_ins, offering.attendance) == (2, 4, 6)
    dups = selectors.duplicate_scans(offering)
    assert len(dups) == 1 and dups[0]["counted"].device == "may-1"
    assert [c.device for c in dups[0]["others"]] == ["may-2"]
    assert CheckIn.objects.count() == 4
    totals = selectors.attendance_totals(campaign=offering.campaign, by="commune")
    assert totals == [
        {"commune": "16000", "name": "Phường Hạc Thành", "registrants": 2, "walk_ins": 4,
         "attendance": 6}
    ]  # fmt: skip
    by_topic = selectors.attendance_totals(campaign=offering.campaign, by="topic")
    assert [(r["topic"], r["attendance"]) for r in by_topic] == [
        ("dich-vu-cong", 6), ("vneid", 6)]  # fmt: skip
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental
    # A checked-in person cannot cancel; a cancelled ticket is revoked at the door.
    with pytest.raises(DomainError):
        services.registration_cancel(registration=regs[0])
    services.registration_cancel(registration=regs[2])
    result = checkins_ingest(actor=actor, checkins=[scan(regs[2])])
    assert result.rejected[0]["errors"][0]["code"] == "revoked"
    assert selectors.revocations([offering.pk]) == {offering.pk: [regs[2].pk]}


def test_checkin_rejections(offering, staff, tree, people, campaign, time_before):
    actor = actor_of(staff)
    reg = _register(offering)
    other = make_offering(actor_of(people.th_c2_reporter), campaign, tree.th_c2)
    reused = scan(reg)
    checkins_ingest(actor=actor, checkins=[reused])
    bad = [
        {**scan(reg), "ticket": "L1.1.1.xxxxxxxxxxxxxxxx"},
        {**scan(reg), "offering": other.pk},  # another commune's class: not found
        {**scan(reg), "scanned_at": "hôm qua"},
        walk_in(offering, 0),
        walk_in(offering, 2, age_group="tre-em"),
        {**walk_in(offering, 1), "ticket": "x"},
        "không phải đối tượng",
        {**reused, "scanned_at": "2025-10-01T08:00:00+07:00"},  # same nonce, other content
        {**walk_in(offering, 1), "scanned_at": "2030-01-01T00:00:00+07:00"},
    ]
    result = checkins_ingest(actor=actor, checkins=[*bad, walk_in(offering, 2, age_group="60+")])
    assert result.accepted == 1
    codes = [r["errors"][0]["code"] for r in result.rejected]
    assert codes == ["bad_signature", "not_found", "invalid", "invalid", "invalid", "invalid",
                     "invalid", "conflict", "future"]  # fmt: skip
    assert [r["index"] for r in result.rejected] == list(range(9))


def test_officials_trained_counted_once_per_unit(campaign, tree, people, staff, time_before):
    coordinator = actor_of(people.th_coordinator)
    trainings = [
        make_offering(coordinator, campaign, tree.th, kind=Offering.Kind.TRAINING, capacity=None,
                      commune=None, title=f"Bồi dưỡng {i}", topics=["ai"])
        for i in range(2)
    ]  # fmt: skip
    staff_actor = actor_of(people.th_coordinator)
    for t in trainings:
        regs = services.registrations_enrol(actor=coordinator, offering=t, organisation=tree.th_c1)
        assert {r.user_id for r in regs} == {people.th_c1_reporter.pk, staff.pk}
        checkins_ingest(actor=staff_actor, checkins=[scan(r) for r in regs])
    rows = selectors.officials_trained(campaign=campaign)
    assert [(r["organisation"].pk, r["trained"]) for r in rows] == [(tree.th_c1.pk, 2)]
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental


def test_online_attendance_by_code_and_by_list(organiser, campaign, tree, time_before):
    online = make_offering(
        organiser, campaign, tree.th_c1, format=Offering.Format.ONLINE, commune=None,
        address="", online_link="https://hoc.example.vn/lop", attendance_code="HOCSO10",
        capacity=None,
    )  # fmt: skip
    a, b, c = (_register(online, n) for n in ("An", "Bình", "Chi"))
    with pytest.raises(DomainError) as exc:
        services.attendance_by_code(registration=a, code="HOCSO10")
    assert exc.value.code == "not_started"
    with time_machine.travel(at(10, 10)):
        with pytest.raises(DomainError):
            services.attendance_by_code(registration=a, code="sai")
        assert services.attendance_by_code(registration=a, code="hocso10") is True
        assert services.attendance_by_code(registration=a, code="HOCSO10") is False
        counted, missing = services.attendance_from_list(
            actor=organiser, offering=online, codes=[a.code, b.code.lower(), "KHONGCO"]
        )
    assert (counted, missing) == (1, ["KHONGCO"])
    online.refresh_from_db()
    assert online.checked_in == 2
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental
    assert c.checkins.count() == 0
