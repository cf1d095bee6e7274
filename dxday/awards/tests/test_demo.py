from __future__ import annotations

import pytest

from dxday.awards import demo
from dxday.awards.models import Assignment, Candidate, Entry, Programme, Result, Vote
from dxday.awards.services import conflicted
from dxday.certificates.models import Certificate
from dxday.orgs import demo as orgs_demo
from dxday.plans import demo as plans_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_builds_vda_2024_and_the_honours_once(tree, people):
    orgs_demo._demo_units()
    plans_demo.seed()
    demo.seed()
    demo.seed()
    vda = Programme.objects.get(name=demo.VDA_NAME)
    assert vda.phase == "published"
    assert list(vda.categories.values_list("name", flat=True))[4] == (
        "Sản phẩm, dịch vụ, giải pháp công nghệ nước ngoài"
    )
    assert Entry.objects.filter(programme=vda).count() == 10
    assert set(Entry.objects.values_list("category__code", flat=True)) == set("12345")
    assert vda.panels.count() == 2
    winners = Result.objects.filter(entry__programme=vda, award="winner")
    assert winners.count() == 5
    assert Certificate.objects.filter(kind="awards", status="valid").count() == 10
    for a in Assignment.objects.select_related("juror", "entry__applicant"):
        assert not conflicted(a.juror, a.entry)
    assert Assignment.objects.filter(entry__programme=vda).count() == 30
    honours = Programme.objects.get(name=demo.HONOURS_NAME)
    assert Candidate.objects.filter(programme=honours, status="shortlisted").count() == 7
    assert Vote.objects.filter(candidate__programme=honours).count() > 60
    assert {line.split(" — ")[0] for line in demo.demo_account_lines()} == {
        demo.APPLICANT_EMAIL, demo.VOTER_EMAIL
    }  # fmt: skip
