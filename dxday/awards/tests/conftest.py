from __future__ import annotations

import datetime
import decimal
import itertools

import pytest
from django.utils import timezone

from dxday.awards import services
from dxday.awards.models import Applicant, Category, Criterion, Juror, Panel, Programme
from dxday.identity.models import Identity
from dxday.orgs.models import Role
from dxday.orgs.tests.factories import make_member

_seq = itertools.count(1)

VDA_RULES = {
    "1": {"applicant_kinds": ["organisation"], "org_types": ["state_agency"], "foreign": "no"},
    "2": {
        "applicant_kinds": ["organisation"],
        "org_types": ["enterprise", "public_service_unit"],
        "foreign": "no",
    },
    "3": {"foreign": "no"},
    "4": {"presence_in_vietnam": True},
    "5": {"foreign": "only", "presence_in_vietnam": True},
}


def make_identity() -> Identity:
    n = next(_seq)
    return Identity.objects.create(
        kind="email",
        contact_hash=f"{n:064d}",
        contact_masked=f"u{n}***@example.vn",
        verified_at=timezone.now(),
    )


def make_applicant(name="Công ty Cổ phần Công nghệ ABC", **fields) -> Applicant:
    defaults = {"kind": "organisation", "org_type": "enterprise"}
    defaults.update(fields)
    return services.applicant_register(identity=make_identity(), name=name, **defaults)


@pytest.fixture
def programme(tree):
    now = timezone.now()
    p = Programme.objects.create(
        kind=Programme.Kind.AWARD,
        year=2024,
        name="Giải thưởng Chuyển đổi số Việt Nam 2024",
        organiser=tree.national,
        organiser_label="Hội Truyền thông số Việt Nam",
        entries_open=now - datetime.timedelta(days=30),
        entries_close=now + datetime.timedelta(days=30),
        jurors_per_entry=2,
        max_load=3,
    )
    for code, rules in VDA_RULES.items():
        cat = Category.objects.create(
            programme=p,
            code=code,
            name=f"Hạng mục {code}",
            eligibility=rules,
            questions=[{"key": "tom_tat", "label": "Tóm tắt", "required": True}],
            order=int(code),
        )
        Criterion.objects.create(category=cat, name="Hiệu quả", weight=decimal.Decimal(2), order=1)
        Criterion.objects.create(
            category=cat, name="Sáng tạo", weight=decimal.Decimal(1), scale_max=5, order=2
        )
    return p


@pytest.fixture
def jury(programme, tree):
    """Four jurors on one panel for every category, from three organisations."""
    panel = Panel.objects.create(programme=programme, name="Tiểu ban 1")
    panel.categories.set(programme.categories.all())
    jurors = []
    for i, aff in enumerate(["Đại học Bách khoa", "Đại học Bách khoa", "VCCI", "Hội Tin học"]):
        user = make_member(tree.national, Role.JUROR, f"giamkhao{i}")
        juror = Juror.objects.create(
            programme=programme, user=user, name=f"Giám khảo {i}", affiliation=aff
        )
        juror.panels.add(panel)
        jurors.append(juror)
    return jurors


def submitted_entry(programme, applicant=None, category="3", title="Nền tảng số ABC"):
    applicant = applicant or make_applicant()
    cat = programme.categories.get(code=category)
    entry = services.entry_save(
        applicant=applicant,
        programme=programme,
        category=cat,
        title=title,
        answers={"tom_tat": "Giải pháp phục vụ người dân."},
    )
    return services.entry_submit(applicant=applicant, entry=entry)


@pytest.fixture
def honours(tree):
    now = timezone.now()
    return Programme.objects.create(
        kind=Programme.Kind.HONOURS,
        year=2024,
        name="Tôn vinh ứng dụng số và dịch vụ công tiêu biểu 2024",
        organiser=tree.national,
        organiser_label="Bộ Khoa học và Công nghệ",
        entries_open=now - datetime.timedelta(days=20),
        entries_close=now + datetime.timedelta(days=1),
        votes_open=now - datetime.timedelta(days=1),
        votes_close=now + datetime.timedelta(days=10),
        votes_per_person=3,
        vote_weight="0.40",
    )


def nominate(people, honours, n=10):
    province = people.actor(people.th_coordinator)
    organiser = people.actor(people.national_coordinator)
    out = []
    for i in range(n):
        c = services.candidate_nominate(
            by=province, programme=honours, kind="app" if i % 2 else "public_service",
            name=f"Ứng dụng {i}", description="Phục vụ người dân Thanh Hóa.",
        )  # fmt: skip
        services.candidate_shortlist(by=organiser, candidate=c, shortlisted=True, assessment=50 + i)
        out.append(c)
    return out
