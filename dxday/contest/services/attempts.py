"""Timed attempts: the server owns time.

- `attempt_start` stamps the deadline (the time limit, never past the round's close). It is
  idempotent while an attempt is in progress: a second start returns the same attempt; two
  starts racing are settled by the unique constraints (one number per (round, participant),
  one attempt in progress per (round, participant)), never by a check-then-write.
- `answers_save` writes each answer with one INSERT … ON CONFLICT DO UPDATE per batch (insert
  or replace per (attempt, question)). A save after the deadline saves nothing: 409 time_over.
- `attempt_submit` and `attempts_sweep` finish an attempt under a row lock; whichever comes
  second finds it finished and changes nothing. After the deadline the finish time is the
  deadline (not when the sweeper ran), and only the answers saved before it count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError

from ..models import Answer, Attempt, AttemptQuestion, Option, Participant, Round
from ..rollups import rollups_attempt_started
from ..sql import upsert_replace
from . import fairplay
from .draw import draw, question_payload, round_quotas

MAX_ANSWERS_PER_SAVE = 200


@dataclass
class Started:
    attempt: Attempt
    created: bool
    questions: list[dict]


def _time_over() -> DomainError:
    return DomainError(
        _("Đã hết giờ làm bài. Các câu trả lời gửi sau thời điểm kết thúc không được tính."),
        code="time_over",
        status=409,
    )


def _ensure_open(rnd: Round, now: datetime.datetime) -> None:
    if now < rnd.opens_at:
        raise DomainError(
            _("Đợt thi chưa mở. Đợt thi mở lúc %(t)s.")
            % {"t": timezone.localtime(rnd.opens_at).strftime("%H:%M %d/%m/%Y")},
            code="round_not_open",
            status=409,
        )
    if now >= rnd.closes_at:
        raise DomainError(_("Đợt thi đã đóng."), code="round_closed", status=409)


def attempt_questions(attempt: Attempt) -> list[dict]:
    contest_id = attempt.round.contest_id
    return [
        question_payload(contest_id, qid, [int(x) for x in order.split(",") if x])
        for qid, order in AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("question_id", "option_order")
    ]


def attempt_start(
    *, participant: Participant, round: Round, origin_key: str = "", now=None
) -> Started:
    """Start (or resume) the participant's attempt at `round`."""
    rnd = round
    now = now or timezone.now()
    if participant.contest_id != rnd.contest_id:
        raise DomainError(
            _("Bạn chưa đăng ký dự thi cuộc thi này."), code="not_registered", status=403
        )
    _ensure_open(rnd, now)
    for _try in range(3):
        try:
            with transaction.atomic():
                return _start(participant, rnd, origin_key, now)
        except IntegrityError:
            continue  # a concurrent start won the constraint: read what it wrote
    raise DomainError(_("Hệ thống đang bận, hãy thử lại."), code="conflict", status=409)


def _start(participant: Participant, rnd: Round, origin_key: str, now) -> Started:
    # The participant's attempts at this round (a handful), locked: the one in progress and
    # the count in one statement.
    mine = list(Attempt.objects.select_for_update().filter(round=rnd, participant=participant))
    current = next((a for a in mine if a.state == Attempt.State.IN_PROGRESS), None)
    if current is not None:
        current.round = rnd
        if current.deadline > now:
            return Started(current, False, attempt_questions(current))
        _finish(current, now)
    used = len(mine)
    if used >= rnd.attempts_allowed:
        raise DomainError(
            _("Bạn đã dùng hết %(n)s lượt thi của đợt này.") % {"n": rnd.attempts_allowed},
            code="attempts_exhausted",
            status=409,
        )
    drawn = draw(rnd, round_quotas(rnd.pk))
    attempt = Attempt(
        round=rnd, participant=participant, number=used + 1, started_at=now,
        deadline=min(now + datetime.timedelta(seconds=rnd.time_limit_s), rnd.closes_at),
        max_score=len(drawn), origin_key=origin_key[:32],
    )  # fmt: skip
    attempt.save(force_insert=True)
    AttemptQuestion.objects.bulk_create(
        [
            AttemptQuestion(
                attempt=attempt,
                question_id=qid,
                position=i,
                option_order=",".join(map(str, oids)),
            )  # fmt: skip
            for i, (qid, oids) in enumerate(drawn, start=1)
        ]
    )
    attempt.participant = participant
    rollups_attempt_started(attempt=attempt)
    if origin_key:
        fairplay.check_shared_origin(rnd=rnd, origin_key=origin_key, now=now)
    questions = [question_payload(rnd.contest_id, qid, oids) for qid, oids in drawn]
    return Started(attempt, True, questions)


def _clean_answers(attempt: Attempt, answers: list[tuple[int, list[int]]]) -> list[tuple]:
    if len(answers) > MAX_ANSWERS_PER_SAVE:
        raise DomainError(_("Quá nhiều câu trả lời trong một lần gửi."), code="invalid")
    orders = dict(
        AttemptQuestion.objects.filter(attempt=attempt).values_list("question_id", "option_order")
    )
    rows: dict[int, str] = {}
    for qid, options in answers:
        order = orders.get(qid)
        if order is None:
            raise DomainError(
                _("Câu hỏi %(q)s không thuộc lượt thi này.") % {"q": qid},
                code="invalid", field="answers",
            )  # fmt: skip
        allowed = {int(x) for x in order.split(",") if x}
        chosen = sorted(set(options))
        if not set(chosen) <= allowed:
            raise DomainError(
                _("Đáp án không thuộc câu hỏi %(q)s.") % {"q": qid},
                code="invalid", field="answers",
            )  # fmt: skip
        rows[qid] = ",".join(map(str, chosen))
    return sorted(rows.items())


def _lock(attempt_id: int) -> Attempt:
    return Attempt.objects.select_for_update().select_related("round").get(pk=attempt_id)


def _write_answers(attempt: Attempt, rows: list[tuple], prediction: int | None, now) -> None:
    upsert_replace(
        Answer,
        ["attempt_id", "question_id", "options", "saved_at"],
        ["attempt_id", "question_id"],
        ["options", "saved_at"],
        [(attempt.pk, qid, opts, now) for qid, opts in rows],
    )
    if prediction is not None and prediction != attempt.prediction:
        attempt.prediction = prediction
        attempt.save(update_fields=["prediction"])


@transaction.atomic
def answers_save(
    *,
    attempt: Attempt,
    answers: list[tuple[int, list[int]]],
    prediction: int | None = None,
    now=None,
) -> Attempt:
    """Insert or replace the given answers (and the prediction) of an attempt in progress."""
    now = now or timezone.now()
    attempt = _lock(attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        if attempt.state == Attempt.State.OVERDUE:
            raise _time_over()
        raise DomainError(_("Lượt thi này đã nộp bài."), code="attempt_finished", status=409)
    if now > attempt.deadline:
        raise _time_over()
    _write_answers(attempt, _clean_answers(attempt, answers), prediction, now)
    return attempt


def attempt_submit(
    *,
    attempt: Attempt,
    answers: list[tuple[int, list[int]]] | None = None,
    prediction: int | None = None,
    now=None,
) -> Attempt:
    """Finish the attempt and score it. Submitting twice returns the first result. After the
    deadline the attempt still finishes (at the deadline, with the answers saved before it);
    answers carried by the late submit are refused with 409 time_over."""
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        attempt = _lock(attempt.pk)
        if attempt.state in (Attempt.State.IN_PROGRESS, Attempt.State.OVERDUE):
            if now > attempt.deadline or attempt.state == Attempt.State.OVERDUE:
                late = bool(answers)
            elif answers or prediction is not None:
                _write_answers(attempt, _clean_answers(attempt, answers or []), prediction, now)
            _finish(attempt, now, submitted=True)
    if late:
        raise _time_over()
    return attempt


def _finish(attempt: Attempt, now, *, submitted: bool = False) -> None:
    """Score and close an attempt (inside the caller's transaction, row locked)."""
    at = min(now, attempt.deadline)
    saved = list(
        Answer.objects.filter(attempt=attempt, saved_at__lte=attempt.deadline).values_list(
            "question_id", "options"
        )
    )
    correct: dict[int, set[int]] = {}
    for qid, oid in Option.objects.filter(
        question_id__in=[q for q, _o in saved], is_correct=True
    ).values_list("question_id", "id"):
        correct.setdefault(qid, set()).add(oid)
    score = sum(
        1 for qid, opts in saved if {int(x) for x in opts.split(",") if x} == correct.get(qid)
    )
    attempt.finished_at = at
    attempt.time_taken_ms = max(0, int((at - attempt.started_at).total_seconds() * 1000))
    attempt.score = score
    attempt.state = Attempt.State.FINISHED if (submitted or saved) else Attempt.State.ABANDONED
    attempt.save(update_fields=["finished_at", "time_taken_ms", "score", "state"])
    if attempt.state == Attempt.State.FINISHED:
        fairplay.check_too_fast(attempt=attempt, now=now)


def attempts_sweep(*, now=None, batch: int = 500, round_id: int | None = None) -> int:
    """Close every attempt past its deadline (finish time = its deadline). Returns how many.

    First marks them overdue in one UPDATE (so pages show the state at once), then finishes
    each under its row lock, a batch per transaction; a submit racing it finds the row locked
    or already finished and changes nothing."""
    now = now or timezone.now()
    scope = Attempt.objects.filter(round_id=round_id) if round_id else Attempt.objects.all()
    late = Q(state=Attempt.State.IN_PROGRESS, deadline__lt=now) | Q(state=Attempt.State.OVERDUE)
    if not scope.filter(late).exists():  # a read first: pages call this, and SQLite locks writes
        return 0
    scope.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now).update(
        state=Attempt.State.OVERDUE
    )
    closed = 0
    while True:
        with transaction.atomic():
            ids = list(
                scope.filter(state=Attempt.State.OVERDUE)
                .order_by("deadline", "id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return closed
            for attempt in (
                Attempt.objects.select_for_update().filter(pk__in=ids).select_related("round")
            ):
                if attempt.state == Attempt.State.OVERDUE:
                    _finish(attempt, now)
                    closed += 1
