import pytest

from dxday.contest import demo, selectors
from dxday.contest.models import Attempt, Contest, Participant, Question
from dxday.contest.rollups import rollups_rebuild, rollups_snapshot
from dxday.plans.tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(tree, django_assert_max_num_queries):
    make_campaign(2025)
    demo.seed()
    contest = Contest.objects.get(title=demo.TITLE)
    assert Question.objects.filter(contest=contest, status="approved").count() >= 60
    closed, current = contest.rounds.order_by("number")
    assert closed.is_closed and current.is_open
    assert Participant.objects.filter(contest=contest).count() == 140
    assert Attempt.objects.filter(round=closed, state="finished").count() > 110
    assert Attempt.objects.filter(round=current).exists()
    ranking = selectors.round_ranking(closed, limit=500)
    assert len(ranking) == 110 and ranking[0].score >= ranking[-1].score
    assert ranking[0].score >= 15  # the demo players answer most questions right
    live = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == live
    # The demo participant has not yet taken the open round: they can, during the demo.
    me = Participant.objects.get(identity__contact_masked__endswith="@demo.dxday.vn",
                                 pk=Participant.objects.filter(contest=contest).order_by("pk")
                                 .values("pk")[:1])  # fmt: skip
    assert not Attempt.objects.filter(round=current, participant=me).exists()
    assert "thisinh@demo.dxday.vn" in demo.demo_account_lines()[0]
    with django_assert_max_num_queries(3):
        demo.seed()
