"""A3: a vote storm. On the in-memory SQLite test database threads cannot share a database, so
the module runs again in a subprocess on a database file (as test_concurrent_children does)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from dxday.awards import services
from dxday.awards.models import Candidate, Vote, VoterAllowance
from dxday.core.errors import DomainError
from dxday.core.tests.servers import in_memory_sqlite, rerun_on_sqlite_file

from .conftest import make_identity, nominate


@pytest.fixture
def on_a_file(tmp_path):
    if not in_memory_sqlite():
        yield False
        return
    result = rerun_on_sqlite_file(__file__, tmp_path / "storm.sqlite3")
    yield True
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_vote_storm_counts_each_pair_once_within_limits(people, honours, on_a_file):
    """A3: 500 concurrent requests from 100 voters across 10 candidates, with repeats."""
    if on_a_file:
        return  # the subprocess on a database file ran it
    candidates = nominate(people, honours, n=10)
    voters = [make_identity() for _ in range(100)]
    plan = [(voters[i % 100], candidates[(i * 7) % 10]) for i in range(500)]
    errors: list[Exception] = []
    codes: list[str] = []
    lock = threading.Lock()
    chunks = [plan[i::16] for i in range(16)]

    def worker(chunk):
        try:
            for voter, candidate in chunk:
                try:
                    services.vote_cast(identity=voter, candidate=candidate)
                except DomainError as exc:
                    with lock:
                        codes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - any crash fails the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    assert errors == []
    assert set(codes) <= {"already_voted", "vote_limit"}
    pairs = {(v.pk, c.pk) for v, c in plan}
    per_voter: dict[int, set[int]] = {}
    for v, c in pairs:
        per_voter.setdefault(v, set()).add(c)
    # Each voter may have at most 3 distinct candidates: the expected total is the distinct
    # pairs capped per voter at the limit.
    expected = sum(min(3, len(cs)) for cs in per_voter.values())
    assert Vote.objects.count() == expected
    assert sum(Candidate.objects.filter(programme=honours).values_list("votes", flat=True)) == (
        expected
    )
    for allowance in VoterAllowance.objects.all():
        assert allowance.used == Vote.objects.filter(identity=allowance.identity).count() <= 3
