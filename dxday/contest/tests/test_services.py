"""Bank, draw, timed attempts, scoring, ranking, roll-ups and flags, with time frozen around
each deadline."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from dxday.contest import selectors
from dxday.contest.models import Answer, Attempt, Flag, Option, Question, Topic
from dxday.contest.rollups import rollups_rebuild, rollups_snapshot
from dxday.contest.services import (
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_sweep,
    question_create,
    question_set_status,
    question_update,
)
from dxday.core.errors import DomainError

from .factories import correct_answers, make_bank, make_participant, make_round

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2025, 10, 5, 8, 0, tzinfo=datetime.UTC)


def at(seconds: float):
    return time_machine.travel(T0 + datetime.timedelta(seconds=seconds), tick=False)


@pytest.fixture
def timed(world):
    """A round open 08:00–09:00 UTC with a 60 s limit, time frozen at its opening."""
    with at(0):
        rnd = make_round(
            world.contest, number=2, opens_at=T0, closes_at=T0 + datetime.timedelta(hours=1),
            time_limit_s=60,
        )  # fmt: skip
    world.timed = rnd
    return world


# --- bank ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [[("A", True)], [(str(i), i == 0) for i in range(7)], [("A", False), ("B", False)]],
)
def test_a_question_needs_two_to_six_options_and_one_correct(world, options):
    with pytest.raises(DomainError) as exc:
        question_create(actor=None, contest=world.contest, text="?", topic=Topic.DX,
                        options=options)  # fmt: skip
    assert exc.value.field == "options"


def test_several_correct_options_are_allowed(world):
    q = question_create(actor=None, contest=world.contest, text="Chọn các ý đúng", topic="dx",
                        options=[("A", True), ("B", True), ("C", False)])  # fmt: skip
    assert q.options.filter(is_correct=True).count() == 2


def test_a_question_drawable_by_an_open_round_cannot_be_edited_and_says_why(world):
    q = world.bank[0]
    with pytest.raises(DomainError) as exc:
        question_update(actor=None, question=q, text="Sửa", topic=q.topic,
                        options=[("A", True), ("B", False)])  # fmt: skip
    assert exc.value.code == "question_in_use" and exc.value.status == 409
    assert "đang mở" in exc.value.message and str(world.round) in exc.value.message
    with pytest.raises(DomainError):
        question_set_status(actor=None, question=q, status=Question.Status.DRAFT)
    # After the round closes, it can.
    with time_machine.travel(world.round.closes_at + datetime.timedelta(seconds=1)):
        question_update(actor=None, question=q, text="Sửa", topic=q.topic,
                        options=[("A", True), ("B", False)])  # fmt: skip
    assert Question.objects.get(pk=q.pk).text == "Sửa"


def test_a_draft_can_be_edited_while_a_round_is_open(world):
    (draft,) = make_bank(world.contest, per_topic=1, topics=[Topic.DX], status="draft")
    question_update(actor=None, question=draft, text="Mới", topic=Topic.DX,
                    options=[("A", True), ("B", False)])  # fmt: skip
    assert Question.objects.get(pk=draft.pk).text == "Mới"


def test_only_approved_questions_are_drawn_by_topic_quota(world):
    drafts = make_bank(world.contest, per_topic=10, status="draft")
    draft_ids = {q.pk for q in drafts}
    seen = set()
    for i in range(15):
        p = make_participant(world.contest, world.tree.tq_c1.commune)
        s = attempt_start(participant=p, round=world.round)
        ids = [q["id"] for q in s.questions]
        seen.update(ids)
        topics = sorted(Question.objects.get(pk=i).topic for i in ids)
        assert topics == ["dx", "dx", "safety", "safety"]
    assert not seen & draft_ids
    assert seen <= {q.pk for q in world.bank}


def test_question_and_option_order_are_shuffled(world):
    orders, option_orders = set(), set()
    for _ in range(20):
        p = make_participant(world.contest, world.tree.tq_c1.commune)
        s = attempt_start(participant=p, round=world.round)
        orders.add(tuple(q["id"] for q in s.questions))
        option_orders.add(tuple(o["id"] for o in s.questions[0]["options"]))
    assert len(orders) > 5 and len(option_orders) > 1


def test_the_start_payload_carries_no_correct_answer_nor_explanation(world):
    s = attempt_start(participant=world.alice, round=world.round)
    for q in s.questions:
        assert set(q) == {"id", "text", "options"}
        assert all(set(o) == {"id", "text"} for o in q["options"])


# --- start -----------------------------------------------------------------------------------


def test_start_stamps_the_deadline_and_caps_it_at_the_close(timed):
    with at(10):
        s = attempt_start(participant=timed.alice, round=timed.timed)
    assert s.attempt.deadline == T0 + datetime.timedelta(seconds=70)
    with at(3600 - 20):
        s = attempt_start(participant=timed.bob, round=timed.timed)
    assert s.attempt.deadline == timed.timed.closes_at


def test_start_before_opening_and_after_closing_is_refused(timed):
    for when, code in ((-1, "round_not_open"), (3600, "round_closed")):
        with at(when), pytest.raises(DomainError) as exc:
            attempt_start(participant=timed.alice, round=timed.timed)
        assert exc.value.code == code and exc.value.status == 409


def test_start_is_idempotent_while_in_progress_then_counts_attempts(timed):
    with at(0):
        first = attempt_start(participant=timed.alice, round=timed.timed)
    with at(59):
        again = attempt_start(participant=timed.alice, round=timed.timed)
    assert again.attempt.pk == first.attempt.pk and not again.created
    assert [q["id"] for q in again.questions] == [q["id"] for q in first.questions]
    assert [o["id"] for o in again.questions[0]["options"]] == [
        o["id"] for o in first.questions[0]["options"]
    ]
    with at(61):  # the first is over: it is closed at its deadline, a second starts
        second = attempt_start(participant=timed.alice, round=timed.timed)
    assert second.created and second.attempt.number == 2
    first.attempt.refresh_from_db()
    assert first.attempt.finished_at == first.attempt.deadline
    attempt_submit(attempt=second.attempt, now=T0 + datetime.timedelta(seconds=70))
    with at(80), pytest.raises(DomainError) as exc:
        attempt_start(participant=timed.alice, round=timed.timed)
    assert exc.value.code == "attempts_exhausted" and exc.value.status == 409


# --- answers, submit, sweeper ----------------------------------------------------------------


def test_answers_are_replaced_per_question(world):
    s = attempt_start(participant=world.alice, round=world.round)
    q = s.questions[0]
    a, b = q["options"][0]["id"], q["options"][1]["id"]
    answers_save(attempt=s.attempt, answers=[(q["id"], [a])])
    answers_save(attempt=s.attempt, answers=[(q["id"], [b, a])], prediction=1200)
    (row,) = Answer.objects.filter(attempt=s.attempt)
    assert row.option_ids == sorted([a, b])
    s.attempt.refresh_from_db()
    assert s.attempt.prediction == 1200


def test_answers_must_belong_to_the_attempt(world):
    s = attempt_start(participant=world.alice, round=world.round)
    other = Question.objects.exclude(pk__in=[q["id"] for q in s.questions]).first()
    with pytest.raises(DomainError):
        answers_save(attempt=s.attempt, answers=[(other.pk, [])])
    foreign = Option.objects.exclude(question_id=s.questions[0]["id"]).first()
    with pytest.raises(DomainError):
        answers_save(attempt=s.attempt, answers=[(s.questions[0]["id"], [foreign.pk])])


def test_answer_after_the_deadline_is_time_over_and_not_saved(timed):
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
    q = s.questions[0]
    with at(60):  # exactly at the deadline: still on time
        answers_save(attempt=s.attempt, answers=[(q["id"], [q["options"][0]["id"]])])
    with at(60.001), pytest.raises(DomainError) as exc:
        answers_save(attempt=s.attempt, answers=[(q["id"], [q["options"][1]["id"]])])
    assert exc.value.code == "time_over" and exc.value.status == 409
    assert Answer.objects.get(attempt=s.attempt).option_ids == [q["options"][0]["id"]]


def test_scoring_counts_exactly_right_sets(timed):
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
    right = correct_answers(s)
    wrong_q = s.questions[3]
    wrong = [o["id"] for o in wrong_q["options"]]  # every option: not the right set
    with at(30):
        answers_save(attempt=s.attempt, answers=[*right[:3], (wrong_q["id"], wrong)])
        done = attempt_submit(attempt=s.attempt)
    assert (done.score, done.max_score, done.state) == (3, 4, "finished")
    assert done.time_taken_ms == 30_000 and done.finished_at == T0 + datetime.timedelta(seconds=30)


def test_submit_twice_returns_the_first_result(timed):
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
        answers_save(attempt=s.attempt, answers=correct_answers(s))
    with at(20):
        first = attempt_submit(attempt=s.attempt)
    with at(40):
        again = attempt_submit(attempt=s.attempt)
    assert (again.score, again.finished_at) == (first.score, first.finished_at)


def test_late_submit_keeps_only_answers_saved_before_the_deadline(timed):
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
    right = correct_answers(s)
    with at(50):
        answers_save(attempt=s.attempt, answers=right[:2])
    with at(75), pytest.raises(DomainError) as exc:
        attempt_submit(attempt=s.attempt, answers=right[2:])
    assert exc.value.code == "time_over"
    s.attempt.refresh_from_db()
    assert s.attempt.state == "finished" and s.attempt.score == 2
    assert s.attempt.finished_at == s.attempt.deadline and s.attempt.time_taken_ms == 60_000
    with at(90):  # a late submit without answers simply finishes (here: already finished)
        assert attempt_submit(attempt=s.attempt).score == 2


def test_sweeper_finishes_at_the_deadline_not_when_it_runs(timed):
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
        idle = attempt_start(participant=timed.bob, round=timed.timed)
        answers_save(attempt=s.attempt, answers=correct_answers(s)[:1])
    with at(59):
        assert attempts_sweep() == 0
    with at(500):
        assert attempts_sweep() == 2
    s.attempt.refresh_from_db()
    idle.attempt.refresh_from_db()
    assert (s.attempt.state, s.attempt.score, s.attempt.finished_at) == (
        "finished", 1, s.attempt.deadline,
    )  # fmt: skip
    assert idle.attempt.state == "abandoned" and idle.attempt.finished_at == idle.attempt.deadline
    with at(501):
        assert attempts_sweep() == 0
        with pytest.raises(DomainError) as exc:
            answers_save(attempt=s.attempt, answers=[])
    assert exc.value.code == "attempt_finished"


# --- ranking ---------------------------------------------------------------------------------


def _finished(world, participant, *, score, seconds, prediction, start=0):
    with at(start):
        s = attempt_start(participant=participant, round=world.timed)
    right = correct_answers(s)
    with at(start + seconds):
        answers_save(attempt=s.attempt, answers=right[:score], prediction=prediction)
        return attempt_submit(attempt=s.attempt)


def test_ranking_score_then_prediction_then_time_then_submission(timed):
    c = timed.tree.tq_c1.commune
    ps = [make_participant(timed.contest, c, name=f"Trần Văn Người {i}") for i in range(5)]
    # 5 participants in the round: the real count is 5.
    _finished(timed, ps[0], score=3, seconds=10, prediction=5)
    _finished(timed, ps[1], score=4, seconds=50, prediction=100)  # best score wins
    _finished(timed, ps[2], score=3, seconds=40, prediction=6)  # distance 1
    _finished(timed, ps[3], score=3, seconds=20, prediction=5)  # distance 0, slower than ps0
    _finished(timed, ps[4], score=3, seconds=10, prediction=5, start=1)  # same time, later
    with at(3601):
        ranking = selectors.round_ranking(timed.timed)
    assert [r.participant_id for r in ranking] == [ps[i].pk for i in (1, 0, 4, 3, 2)]
    assert [r.rank for r in ranking] == [1, 2, 3, 4, 5]
    assert ranking[1].distance == 0 and ranking[4].distance == 1


def test_best_attempt_counts(timed):
    _finished(timed, timed.alice, score=1, seconds=10, prediction=None)
    second = _finished(timed, timed.alice, score=4, seconds=30, prediction=None, start=100)
    _finished(timed, timed.bob, score=2, seconds=5, prediction=None)
    ranking = selectors.round_ranking(timed.timed)
    assert [(r.participant_id, r.attempt_id) for r in ranking] == [
        (timed.alice.pk, second.pk), (timed.bob.pk, ranking[1].attempt_id),
    ]  # fmt: skip
    assert ranking[0].name == "Nguyễn T. M. Anh"


# --- roll-ups and flags ----------------------------------------------------------------------


def test_rollups_kept_in_the_transaction_equal_a_rebuild(timed):
    _finished(timed, timed.alice, score=1, seconds=10, prediction=None)
    _finished(timed, timed.alice, score=2, seconds=10, prediction=None, start=100)
    _finished(timed, timed.bob, score=2, seconds=10, prediction=None)
    attempt_start(participant=timed.alice, round=timed.round)
    live = rollups_snapshot()
    assert live["RoundStat"] == sorted(
        [(str(timed.timed.pk), "2", "3"), (str(timed.round.pk), "1", "1")]
    )
    rollups_rebuild()
    assert rollups_snapshot() == live
    board = selectors.organisation_board(timed.timed)
    assert [(r["code"], r["participants"], r["attempts"]) for r in board] == [
        (timed.tree.tq_c1.code, 1, 1)
    ]


def test_full_marks_faster_than_reading_is_flagged_not_punished(timed):
    fast = _finished(timed, timed.alice, score=4, seconds=3, prediction=None)
    _finished(timed, timed.bob, score=4, seconds=40, prediction=None)
    (flag,) = Flag.objects.filter(kind=Flag.Kind.TOO_FAST)
    assert flag.attempt_id == fast.pk
    assert Attempt.objects.get(pk=fast.pk).score == 4  # the score stands


def test_many_accounts_from_one_address_are_flagged(world):
    for _i in range(6):
        p = make_participant(world.contest, world.tree.tq_c1.commune)
        attempt_start(participant=p, round=world.round, origin_key="abc")
    (flag,) = Flag.objects.filter(kind=Flag.Kind.SHARED_ORIGIN)
    assert flag.subject == "oabc" and flag.count == 2  # raised at the 5th and the 6th


def test_review_appears_only_after_close(timed):
    done = _finished(timed, timed.alice, score=2, seconds=10, prediction=None)
    with at(100):
        assert selectors.attempt_review(done) is None
    with at(3600):
        review = selectors.attempt_review(done)
    assert sum(item.right for item in review) == 2
    assert all(item.explanation for item in review)
    assert timezone.is_aware(done.finished_at)


def test_answers_saved_in_another_time_zone_count(timed):
    """Raw upserts store datetimes as the ORM does (an answer saved at 15:00:30+07:00 is before
    a deadline of 08:01:00 UTC), and an answer saved exactly at the deadline counts."""
    import zoneinfo

    hcm = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    with at(0):
        s = attempt_start(participant=timed.alice, round=timed.timed)
    right = correct_answers(s)
    answers_save(attempt=s.attempt, answers=right[:2],
                 now=(T0 + datetime.timedelta(seconds=30)).astimezone(hcm))  # fmt: skip
    answers_save(attempt=s.attempt, answers=right[2:3], now=s.attempt.deadline)
    done = attempt_submit(attempt=s.attempt, now=(T0 + datetime.timedelta(seconds=61)))
    assert done.score == 3


def test_a_drawn_question_cannot_be_deleted_but_its_contest_can(world):
    from django.db.models import RestrictedError

    from dxday.contest.models import Contest

    s = attempt_start(participant=world.alice, round=world.round)
    with pytest.raises(RestrictedError):
        Question.objects.get(pk=s.questions[0]["id"]).delete()
    Contest.objects.filter(pk=world.contest.pk).delete()
    assert not Attempt.objects.exists() and not Question.objects.exists()
