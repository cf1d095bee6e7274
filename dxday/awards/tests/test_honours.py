from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dxday.awards import selectors, services
from dxday.awards.models import Candidate, VoterAllowance
from dxday.core.errors import DomainError

from .conftest import make_identity, nominate


@pytest.mark.django_db
def test_nomination_window_and_who_nominates(people, honours):
    (c,) = nominate(people, honours, n=1)
    assert c.nominated_by.code == "tinh-38"
    with pytest.raises(DomainError):
        services.candidate_nominate(
            by=people.actor(people.th_viewer), programme=honours, kind="app",
            name="X", description="Y",
        )  # fmt: skip
    honours.entries_close = timezone.now() - datetime.timedelta(seconds=1)
    honours.save()
    with pytest.raises(DomainError) as err:
        services.candidate_nominate(
            by=people.actor(people.th_coordinator), programme=honours, kind="app",
            name="Muộn", description="Y",
        )  # fmt: skip
    assert err.value.code == "nominations_closed"


@pytest.mark.django_db
def test_one_vote_per_candidate_and_n_per_programme(people, honours):
    candidates = nominate(people, honours, n=5)
    voter = make_identity()
    services.vote_cast(identity=voter, candidate=candidates[0])
    with pytest.raises(DomainError) as err:
        services.vote_cast(identity=voter, candidate=candidates[0])
    assert err.value.code == "already_voted" and err.value.status == 409
    services.vote_cast(identity=voter, candidate=candidates[1])
    services.vote_cast(identity=voter, candidate=candidates[2])
    with pytest.raises(DomainError) as err:
        services.vote_cast(identity=voter, candidate=candidates[3])
    assert err.value.code == "vote_limit"
    with pytest.raises(DomainError) as err:  # already voted wins over the limit
        services.vote_cast(identity=voter, candidate=candidates[0])
    assert err.value.code == "already_voted"
    assert VoterAllowance.objects.get(identity=voter).used == 3
    assert [Candidate.objects.get(pk=c.pk).votes for c in candidates] == [1, 1, 1, 0, 0]
    not_listed = Candidate.objects.create(
        programme=honours, kind="app", name="Z", description="z",
        nominated_by=people.th_coordinator.memberships.first().organisation,
    )  # fmt: skip
    with pytest.raises(DomainError) as err:
        services.vote_cast(identity=make_identity(), candidate=not_listed)
    assert err.value.code == "voting_closed"


@pytest.mark.django_db
def test_standing_weights_votes_against_the_assessment(people, honours):
    a, b = nominate(people, honours, n=2)  # assessments 50 and 51
    for _ in range(4):
        services.vote_cast(identity=make_identity(), candidate=a)
    services.vote_cast(identity=make_identity(), candidate=b)
    standing = {r["candidate"].name: r for r in selectors.honours_standing(honours)}
    # a: 0.6·50 + 0.4·100 = 70; b: 0.6·51 + 0.4·25 = 40.6
    assert standing["Ứng dụng 0"]["combined"] == 70.0
    assert standing["Ứng dụng 1"]["combined"] == 40.6


@pytest.mark.django_db
def test_a_burst_of_new_identities_from_one_place_is_flagged(people, honours):
    (candidate,) = nominate(people, honours, n=1)
    from dxday.identity.models import Identity

    farm = []
    for _ in range(6):
        identity = make_identity()
        Identity.objects.filter(pk=identity.pk).update(created_from="a" * 32)
        farm.append(identity)
    for identity in farm:
        services.vote_cast(identity=identity, candidate=candidate)
    lone = make_identity()
    Identity.objects.filter(pk=lone.pk).update(created_from="b" * 32)
    services.vote_cast(identity=lone, candidate=candidate)
    (flag,) = selectors.vote_bursts(honours)
    assert flag["identities"] == 6 and flag["place"] == "aaaaaaaa"
    assert selectors.vote_bursts(honours, threshold=7) == []
