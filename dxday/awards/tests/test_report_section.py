from __future__ import annotations

import pytest

from dxday.awards import services
from dxday.reports.selectors import report_figures

from .conftest import make_applicant, make_identity, nominate, submitted_entry

pytestmark = pytest.mark.django_db


def test_awards_section_counts_the_subtrees_entries_results_and_nominations(
    programme, honours, people, tree
):
    from dxday.plans.models import Campaign

    campaign = Campaign.objects.create(year=2024, theme="Phổ cập hạ tầng số")
    programme.campaign = campaign
    programme.save()
    honours.campaign = campaign
    honours.save()
    organiser = people.actor(people.national_coordinator)
    agency = make_applicant("UBND phường Hạc Thành", org_type="state_agency")
    services.applicant_link(
        by=organiser, programme=programme, applicant=agency, organisation=tree.th_c1
    )
    entry = submitted_entry(programme, agency, category="1", title="Phường số")
    submitted_entry(programme, make_applicant("Công ty ngoài hệ thống"))
    services.entry_screen(by=organiser, entry=entry, verdict="eligible")
    for phase in ("screening", "scoring", "deliberation"):
        services.phase_set(by=organiser, programme=programme, phase=phase)
    services.result_set(by=organiser, entry=entry, award="winner", citation="Tiêu biểu.")
    services.results_publish(by=organiser, programme=programme)
    candidates = nominate(people, honours, n=2)  # nominated by Thanh Hóa
    services.vote_cast(identity=make_identity(), candidate=candidates[0])

    figures = report_figures(tree.th, campaign)
    section = next(s for s in figures["sections"] if s["code"] == "awards")
    by_code = {f["code"]: f for g in section["groups"] for f in g["figures"]}
    c1 = str(tree.th_c1.pk)
    assert by_code["awards.entries"]["value"] == 1
    assert by_code["awards.entries"]["by_unit"] == {c1: 1}
    assert by_code["awards.results"]["value"] == 1
    assert by_code["honours.nominations"]["value"] == 2
    assert by_code["honours.shortlisted"]["value"] == 2
    assert by_code["honours.votes"]["value"] == 1
    assert section["examples"][0]["organisation"] == "UBND phường Hạc Thành"
    tq = report_figures(tree.tq, campaign)
    tq_section = next(s for s in tq["sections"] if s["code"] == "awards")
    assert tq_section["groups"] == [] and tq_section["note"]
