from __future__ import annotations

import decimal

import pytest

from dxday.awards import selectors, services
from dxday.awards.models import Assignment, Criterion, Programme
from dxday.core.errors import DomainError
from dxday.orgs.permissions import actor_for

from .conftest import make_applicant, submitted_entry

pytestmark = pytest.mark.django_db


def eligible(programme, people, n=1, names=None):
    organiser = people.actor(people.national_coordinator)
    entries = []
    for i in range(n):
        name = names[i] if names else f"Công ty số {i}"
        entry = submitted_entry(programme, make_applicant(name), title=f"Sản phẩm {i}")
        services.entry_screen(by=organiser, entry=entry, verdict="eligible")
        entries.append(entry)
    return entries


def to_phase(programme, people, phase):
    organiser = people.actor(people.national_coordinator)
    order = list(Programme.Phase.values)
    while programme.phase != phase:
        services.phase_set(
            by=organiser, programme=programme, phase=order[order.index(programme.phase) + 1]
        )


def test_auto_assignment_is_balanced_and_avoids_conflicts(programme, jury, people):
    entries = eligible(programme, people, n=6, names=[f"Công ty {c}" for c in "ABCDEF"])
    # Giám khảo 0 works for Công ty A; Giám khảo 2 advises Công ty B.
    services.conflict_add(
        by=actor_for(jury[0].user), juror=jury[0], organisation_name="Cong ty A",
        relation="employment",
    )  # fmt: skip
    services.conflict_add(
        by=people.actor(people.national_coordinator), juror=jury[2],
        organisation_name="Công ty B", relation="advisory",
    )  # fmt: skip
    to_phase(programme, people, "screening")
    outcome = services.assignments_auto(
        by=people.actor(people.national_coordinator), programme=programme
    )
    assert outcome["short_entries"] == [] and outcome["created"] == 12
    rows = list(Assignment.objects.select_related("entry__applicant", "juror"))
    per_entry, load = {}, {}
    for a in rows:
        per_entry.setdefault(a.entry_id, []).append(a.juror)
        load[a.juror_id] = load.get(a.juror_id, 0) + 1
        assert not services.conflicted(a.juror, a.entry)
    assert all(len(v) == 2 for v in per_entry.values())
    assert max(load.values()) <= programme.max_load
    assert sorted(load.values()) == [3, 3, 3, 3]
    # Two jurors of one entry come from different organisations whenever possible.
    assert all(len({j.affiliation for j in v}) == 2 for v in per_entry.values())
    a_entry = next(e for e in entries if e.applicant.name == "Công ty A")
    assert jury[0] not in per_entry[a_entry.pk]
    # Running it again adds nothing.
    again = services.assignments_auto(
        by=people.actor(people.national_coordinator), programme=programme
    )
    assert again["created"] == 0


def test_manual_assignment_breaking_a_conflict_is_refused(programme, jury, people):
    (entry,) = eligible(programme, people, names=["Công ty A"])
    services.conflict_add(
        by=actor_for(jury[1].user), juror=jury[1], organisation_name="CÔNG TY A",
        relation="family",
    )  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.assignment_add(
            by=people.actor(people.national_coordinator), entry=entry, juror=jury[1]
        )
    assert err.value.code == "conflict_of_interest" and "Công ty A" in err.value.message


def test_conflict_declared_after_assignment_blocks_scoring(programme, jury, people):
    (entry,) = eligible(programme, people, names=["Công ty A"])
    organiser = people.actor(people.national_coordinator)
    assignment = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    to_phase(programme, people, "scoring")
    services.conflict_add(
        by=actor_for(jury[0].user), juror=jury[0], organisation_name="Công ty A",
        relation="ownership",
    )  # fmt: skip
    crit = {c.name: c.pk for c in Criterion.objects.filter(category=entry.category)}
    with pytest.raises(DomainError) as err:
        services.review_save(
            by=actor_for(jury[0].user), assignment=assignment, scores={crit["Hiệu quả"]: 5}
        )
    assert err.value.code == "conflict_of_interest"


def score(juror, assignment, efficiency, creativity, submit=True):
    crit = {c.name: c.pk for c in Criterion.objects.filter(category=assignment.entry.category)}
    return services.review_save(
        by=actor_for(juror.user),
        assignment=assignment,
        scores={crit["Hiệu quả"]: efficiency, crit["Sáng tạo"]: creativity},
        submit=submit,
    )


def test_scores_are_validated_and_totals_follow_a_weight_change(programme, jury, people):
    (entry,) = eligible(programme, people)
    organiser = people.actor(people.national_coordinator)
    a = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    with pytest.raises(DomainError):  # not yet scoring
        score(jury[0], a, 8, 4)
    to_phase(programme, people, "scoring")
    with pytest.raises(DomainError) as err:
        score(jury[0], a, 11, "nhiều")
    assert err.value.code == "invalid" and len(err.value.errors) == 2
    with pytest.raises(DomainError):  # someone else's assignment
        services.review_save(by=actor_for(jury[1].user), assignment=a, scores={})
    score(jury[0], a, 8, 4)
    # Hiệu quả 8/10 weight 2, Sáng tạo 4/5 weight 1: (0.8·2 + 0.8·1)/3 = 80.
    assert selectors.review_totals([entry.pk])[entry.pk] == {jury[0].pk: 80.0}
    efficiency = Criterion.objects.get(category=entry.category, name="Hiệu quả")
    creativity = Criterion.objects.get(category=entry.category, name="Sáng tạo")
    creativity.weight = decimal.Decimal(1)
    creativity.save()
    services.criterion_weight_set(by=organiser, criterion=efficiency, weight="0.5")
    # Now (0.8·0.5 + 0.8·1)/1.5 = 80 still; change the raw balance to see it move.
    services.criterion_weight_set(by=organiser, criterion=creativity, weight="3")
    assert selectors.review_totals([entry.pk])[entry.pk][jury[0].pk] == 80.0
    # A submitted review is final.
    with pytest.raises(DomainError) as err:
        score(jury[0], a, 1, 1)
    assert err.value.code == "already_submitted"


def test_weight_change_recomputes_a_total(programme, jury, people):
    (entry,) = eligible(programme, people)
    organiser = people.actor(people.national_coordinator)
    a = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    to_phase(programme, people, "scoring")
    score(jury[0], a, 10, 0)  # 10/10 weight 2, 0/5 weight 1 → 66.67
    assert selectors.review_totals([entry.pk])[entry.pk][jury[0].pk] == 66.67
    efficiency = Criterion.objects.get(category=entry.category, name="Hiệu quả")
    services.criterion_weight_set(by=organiser, criterion=efficiency, weight=1)  # → 50
    assert selectors.review_totals([entry.pk])[entry.pk][jury[0].pk] == 50.0


def test_other_jurors_scores_visibility_by_phase(programme, jury, people):
    (entry,) = eligible(programme, people)
    organiser = people.actor(people.national_coordinator)
    a0 = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    a1 = services.assignment_add(by=organiser, entry=entry, juror=jury[2])
    with pytest.raises(DomainError):  # screening: jurors see nothing
        selectors.get_assignment_for_juror(jury[0].user, a0.pk)
    to_phase(programme, people, "scoring")
    score(jury[1 - 1], a0, 8, 4)
    a0 = selectors.get_assignment_for_juror(jury[0].user, a0.pk)
    a1 = selectors.get_assignment_for_juror(jury[2].user, a1.pk)
    assert selectors.others_visible(a0) is True  # own review submitted
    assert selectors.others_visible(a1) is False  # not yet scored
    programme.anonymous_scoring = True
    programme.save()
    a0 = selectors.get_assignment_for_juror(jury[0].user, a0.pk)
    assert selectors.others_visible(a0) is False  # anonymised phase: never
    to_phase(programme, people, "deliberation")
    a0 = selectors.get_assignment_for_juror(jury[0].user, a0.pk)
    assert selectors.others_visible(a0) is True
    with pytest.raises(DomainError):  # another juror's assignment does not exist for them
        selectors.get_assignment_for_juror(jury[3].user, a0.pk)


def test_median_mean_and_normalisation_on_a_hand_computed_example(programme, jury, people):
    """Three entries, jurors 0 (strict) and 1 (lenient) score all; juror 2 scores entry A.

    Totals (0–100): juror 0: A 40, B 60, C 50; juror 1: A 80, B 100, C 90; juror 2: A 100.
    Median A = 80, mean A = 73.33. Juror 0 mean 50, sd 8.165; juror 1 mean 90, sd 8.165;
    juror 2 has one score (z = 0). z(A) = (-1.2247 - 1.2247 + 0)/3 = -0.816.
    """
    a_e, b_e, c_e = eligible(programme, people, n=3, names=["A", "B", "C"])
    organiser = people.actor(people.national_coordinator)
    to_phase(programme, people, "scoring")
    plan = {
        0: {a_e: (4, 2), b_e: (6, 3), c_e: (5, 2.5)},
        1: {a_e: (8, 4), b_e: (10, 5), c_e: (9, 4.5)},
        2: {a_e: (10, 5)},
    }
    for j, per in plan.items():
        for entry, (eff, cre) in per.items():
            a = services.assignment_add(by=organiser, entry=entry, juror=jury[j])
            score(jury[j], a, eff, cre)
    rows = {r.entry.applicant.name: r for r in selectors.ranking(programme)}
    assert rows["A"].totals == {jury[0].pk: 40.0, jury[1].pk: 80.0, jury[2].pk: 100.0}
    assert rows["A"].aggregate == 80.0
    assert rows["A"].spread == 60.0
    assert rows["A"].outliers == {jury[0].pk}  # 40 is 40 points below the median of 80
    assert rows["A"].normalised == pytest.approx(-0.816, abs=0.001)
    assert rows["B"].normalised == pytest.approx(1.2247, abs=0.001)
    # Medians A 80, B 80, C 70: a tie is broken by the entry's order, so the ranking is stable.
    assert [rows[n].rank for n in "ABC"] == [1, 2, 3]
    programme.aggregation = "mean"
    programme.save()
    rows = {r.entry.applicant.name: r for r in selectors.ranking(programme)}
    assert rows["A"].aggregate == 73.33 and rows["B"].aggregate == 80.0
    assert [rows[n].rank for n in "ABC"] == [2, 1, 3]
    assert [rows[n].normalised_rank for n in "ABC"] == [3, 1, 2]
