from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from dxday.awards import services
from dxday.awards.models import Entry
from dxday.core.errors import DomainError
from dxday.core.models import AuditEntry

from .conftest import make_applicant, submitted_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "category,profile,allowed",
    [
        ("1", {"org_type": "state_agency"}, True),
        ("1", {"org_type": "enterprise"}, False),
        ("1", {"kind": "individual", "org_type": ""}, False),
        ("2", {"org_type": "enterprise"}, True),
        ("2", {"org_type": "public_service_unit"}, True),
        ("2", {"org_type": "state_agency"}, False),
        ("3", {"kind": "individual", "org_type": ""}, True),
        ("3", {"is_foreign": True, "has_vn_representative": True}, False),
        ("4", {"is_foreign": True, "has_vn_representative": True}, True),
        ("4", {"is_foreign": True}, False),
        ("5", {"org_type": "enterprise"}, False),
        ("5", {"is_foreign": True, "has_vn_representative": True}, True),
        ("5", {"is_foreign": True}, False),
        ("5", {"kind": "individual", "is_foreign": True, "has_permanent_residence": True}, True),
        ("5", {"kind": "individual", "org_type": "", "is_foreign": True}, False),
    ],
)
def test_eligibility_per_category_is_enforced(programme, category, profile, allowed):
    applicant = make_applicant(**profile)
    cat = programme.categories.get(code=category)
    if allowed:
        entry = services.entry_save(
            applicant=applicant, programme=programme, category=cat, title="Hồ sơ"
        )
        assert entry.status == Entry.Status.DRAFT
    else:
        with pytest.raises(DomainError) as err:
            services.entry_save(
                applicant=applicant, programme=programme, category=cat, title="Hồ sơ"
            )
        assert err.value.code == "not_eligible" and err.value.status == 422
        assert "Hạng mục" in err.value.message


def test_required_answers_are_checked_at_submission(programme):
    applicant = make_applicant()
    entry = services.entry_save(
        applicant=applicant, programme=programme, category=programme.categories.get(code="3"),
        title="Hồ sơ",
    )  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.entry_submit(applicant=applicant, entry=entry)
    assert err.value.errors == {"tom_tat": "Câu “Tóm tắt” là bắt buộc."}


def test_deadline_with_frozen_time_and_reopening_one_entry(programme, people):
    applicant = make_applicant()
    cat = programme.categories.get(code="3")
    entry = services.entry_save(
        applicant=applicant, programme=programme, category=cat, title="Hồ sơ",
        answers={"tom_tat": "x"},
    )  # fmt: skip
    close = programme.entries_close
    with time_machine.travel(close + datetime.timedelta(seconds=1), tick=False):
        with pytest.raises(DomainError) as err:
            services.entry_submit(applicant=applicant, entry=entry)
        assert err.value.code == "entries_closed" and err.value.status == 409
        assert "Đã hết hạn nhận hồ sơ" in err.value.message
        with pytest.raises(DomainError):
            services.entry_save(
                applicant=make_applicant(), programme=programme, category=cat, title="Muộn"
            )
        organiser = people.actor(people.national_coordinator)
        with pytest.raises(DomainError) as err:
            services.entry_reopen(
                by=organiser, entry=entry, until=timezone.now() + datetime.timedelta(days=1),
                reason="",
            )  # fmt: skip
        assert err.value.code == "reason_required"
        services.entry_reopen(
            by=organiser, entry=entry, until=timezone.now() + datetime.timedelta(days=1),
            reason="Lỗi hệ thống ngày cuối",
        )  # fmt: skip
        entry.refresh_from_db()
        services.entry_submit(applicant=applicant, entry=entry)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    audit = AuditEntry.objects.get(action="awards.entry.reopened")
    assert audit.changes["reason"] == "Lỗi hệ thống ngày cuối"
    # Just before the close, submitting works.
    other = make_applicant("Công ty XYZ")
    late = services.entry_save(
        applicant=other, programme=programme, category=cat, title="Sát giờ",
        answers={"tom_tat": "x"},
    )  # fmt: skip
    with time_machine.travel(close - datetime.timedelta(seconds=1), tick=False):
        assert services.entry_submit(applicant=other, entry=late).status == "submitted"


def test_only_the_owner_edits_and_a_submitted_entry_is_locked(programme):
    entry = submitted_entry(programme)
    stranger = make_applicant("Người khác")
    with pytest.raises(DomainError) as err:
        services.entry_submit(applicant=stranger, entry=entry)
    assert err.value.status == 404
    with pytest.raises(DomainError) as err:
        services.entry_save(
            applicant=entry.applicant, programme=programme, category=entry.category,
            title="Sửa", entry=entry,
        )  # fmt: skip
    assert err.value.code == "not_editable"


def test_screening_verdicts(programme, people):
    organiser = people.actor(people.national_coordinator)
    entry = submitted_entry(programme)
    with pytest.raises(DomainError) as err:
        services.entry_screen(by=organiser, entry=entry, verdict="ineligible")
    assert err.value.code == "reason_required"
    future = timezone.now() + datetime.timedelta(days=5)
    services.entry_screen(
        by=organiser, entry=entry, verdict="incomplete", reason="Thiếu hồ sơ pháp lý",
        complete_by=future,
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.status == "incomplete" and entry.reopened_until == future
    with pytest.raises(DomainError):  # Thanh Hóa does not run this programme
        services.entry_screen(
            by=people.actor(people.th_coordinator), entry=entry, verdict="eligible"
        )
