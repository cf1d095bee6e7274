"""Fair-play flags: recorded for the organiser to review, never a silent penalty.

- `rate_limit`: an account or an address went past the request limits (the API answers 429);
- `too_fast`: full marks in less time than reading the questions takes a person;
- `shared_origin`: many participants starting from one address or device.
One row per (round, kind, subject), its count raised on each repeat (an upsert, no read).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from ..models import Attempt, Flag, Round
from ..sql import upsert

# Reading a question and its options takes a person a few seconds at least.
MIN_MS_PER_QUESTION = 2500
# Participants from one address or device in one round before it is flagged (a school's
# computer room or an office behind one NAT is normal; a farm of accounts is not).
SHARED_ORIGIN_LIMIT = 5


def origin_key(ip: str, device: str = "") -> str:
    """An HMAC of the address (and device id, when the client sends one): comparable, but the
    address itself is never stored."""
    key = hmac.new(
        settings.SECRET_KEY.encode(), f"contest-origin|{ip}|{device}".encode(), hashlib.sha256
    )
    return key.hexdigest()[:32]


def flag_raise(
    *, round_id: int, kind: str, subject: str, participant_id=None, attempt_id=None,
    detail: str = "", now=None,
) -> None:  # fmt: skip
    table = Flag._meta.db_table
    upsert(
        Flag,
        ["round_id", "kind", "subject", "participant_id", "attempt_id", "count", "detail",
         "created_at"],
        ["round_id", "kind", "subject"],
        [f"count = {table}.count + 1", "detail = excluded.detail"],
        [(round_id, kind, subject[:40], participant_id, attempt_id, 1, detail[:300],
          now or timezone.now())],
    )  # fmt: skip


def check_too_fast(*, attempt: Attempt, now=None) -> None:
    if not attempt.max_score or attempt.score != attempt.max_score:
        return
    if attempt.time_taken_ms is None or attempt.time_taken_ms >= (
        attempt.max_score * MIN_MS_PER_QUESTION
    ):
        return
    flag_raise(
        round_id=attempt.round_id, kind=Flag.Kind.TOO_FAST, subject=f"a{attempt.pk}",
        participant_id=attempt.participant_id, attempt_id=attempt.pk,
        detail=f"{attempt.score}/{attempt.max_score} in {attempt.time_taken_ms} ms", now=now,
    )  # fmt: skip


def check_shared_origin(*, rnd: Round, origin_key: str, now=None) -> None:
    n = (
        Attempt.objects.filter(round=rnd, origin_key=origin_key, number=1)
        .values("participant_id")
        .count()
    )
    if n >= SHARED_ORIGIN_LIMIT:
        flag_raise(
            round_id=rnd.pk, kind=Flag.Kind.SHARED_ORIGIN, subject=f"o{origin_key}",
            detail=f"{n} participants", now=now,
        )  # fmt: skip


def rate_limited(*, round_id: int, subject: str, participant_id=None, now=None) -> None:
    flag_raise(
        round_id=round_id, kind=Flag.Kind.RATE_LIMIT, subject=subject,
        participant_id=participant_id, now=now,
    )  # fmt: skip
