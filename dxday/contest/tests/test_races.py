"""Races on real connections: a double-clicked start, the same answers sent 10 times at once,
a submit racing the sweeper at the deadline.

Threads each take their own database connection. On SQLite that needs a database file (the
in-memory test database answers "table is locked" instead of waiting), so there the module
re-runs itself on a file, as orgs/tests/test_concurrent_children.py does.
"""

import datetime
import threading

import pytest
import time_machine
from django.db import connections

from dxday.contest.models import Answer, Attempt, RoundStat
from dxday.contest.services import answers_save, attempt_start, attempt_submit, attempts_sweep
from dxday.core.tests.servers import in_memory_sqlite, rerun_on_sqlite_file

from .factories import correct_answers, make_round

pytestmark = pytest.mark.django_db(transaction=True)
N_TESTS = 3


@pytest.fixture
def on_a_file(tmp_path):
    if not in_memory_sqlite():
        yield False
        return
    if not hasattr(on_a_file, "result"):
        on_a_file.result = rerun_on_sqlite_file(__file__, tmp_path / "races.sqlite3")
    yield True
    result = on_a_file.result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"{N_TESTS} passed" in result.stdout


def _at_once(*jobs):
    barrier = threading.Barrier(len(jobs), timeout=10)
    results, errors = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # noqa: BLE001 — asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_double_clicked_start_gives_one_attempt(on_a_file, world):
    if on_a_file:
        return
    results, errors = _at_once(
        *[lambda: attempt_start(participant=world.alice, round=world.round) for _ in range(4)]
    )
    assert not errors, errors
    assert len({r.attempt.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Attempt.objects.filter(participant=world.alice).count() == 1
    assert RoundStat.objects.get(round=world.round).attempts == 1


def test_same_answers_sent_ten_times_at_once(on_a_file, world):
    if on_a_file:
        return
    s = attempt_start(participant=world.alice, round=world.round)
    right = correct_answers(s)
    results, errors = _at_once(
        *[lambda: answers_save(attempt=s.attempt, answers=right, prediction=7) for _ in range(10)]
    )
    assert not errors, errors
    assert Answer.objects.filter(attempt=s.attempt).count() == len(right)
    done = attempt_submit(attempt=s.attempt)
    assert done.score == len(right) and done.prediction == 7


def test_submit_racing_the_sweeper_at_the_deadline(on_a_file, world):
    if on_a_file:
        return
    rnd = make_round(world.contest, number=2, time_limit_s=60)
    s = attempt_start(participant=world.alice, round=rnd)
    right = correct_answers(s)
    answers_save(attempt=s.attempt, answers=right[:2])
    after = s.attempt.deadline + datetime.timedelta(seconds=5)
    with time_machine.travel(after, tick=False):
        results, errors = _at_once(
            lambda: attempt_submit(attempt=s.attempt), lambda: attempts_sweep()
        )
    assert not errors, errors
    s.attempt.refresh_from_db()
    assert s.attempt.state == "finished" and s.attempt.score == 2
    assert s.attempt.finished_at == s.attempt.deadline
