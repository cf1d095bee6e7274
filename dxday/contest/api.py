"""Contest API, mounted at /api/v1/contest (paths fixed by DESIGN.md).

    GET  /contests?campaign={year}                 contests with their rounds and state (public)
    POST /rounds/{id}/attempts      (participant)  → {"attempt", "deadline", "questions"}
    PUT  /attempts/{id}/answers     (participant)  {"answers": [{"question", "options"}],
                                                    "prediction"}
    POST /attempts/{id}/submit      (participant)  → {"score", "time_taken_s"}
    GET  /rounds/{id}/leaderboard?by=person|province|organisation

Starting is idempotent while an attempt is in progress (200 with the same attempt; 201 for a
new one); 409 `attempts_exhausted` past the allowed attempts; 409 `time_over` for answers after
the deadline. Correct answers are never part of an answer before the round closes.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError as PydanticError

from dxday.core.api import ErrorOut, Id, Offset, Year
from dxday.core.errors import DomainError
from dxday.core.http import client_ip
from dxday.core.ratelimit import rate_hit
from dxday.identity.models import Identity

from . import conf, selectors, services
from .auth import participant_auth, participant_for
from .services.fairplay import rate_limited

router = Router(tags=["contest"])

# Requests a participant (or an address) may send per minute to the attempt endpoints
# (contest/conf.py, DXDAY_CONTEST_RATE): tests may set these two directly.
RATE_PER_PARTICIPANT, RATE_PER_ADDRESS = conf.rate_limits()


class RoundOut(Schema):
    id: int
    number: int
    title: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    state: str
    questions_per_attempt: int
    time_limit_s: int
    attempts_allowed: int
    prediction_question: str


class ContestOut(Schema):
    id: int
    campaign: int
    title: str
    organiser: str
    nationwide: bool
    eligibility: str
    rules: str
    prizes: str
    rounds: list[RoundOut]


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    text: str
    options: list[OptionOut]


class StartOut(Schema):
    attempt: int
    deadline: datetime.datetime
    questions: list[QuestionOut]


class AnswerIn(Schema):
    question: Id
    options: Annotated[list[Id], Field(max_length=6)]


class AnswersIn(Schema):
    answers: Annotated[list[AnswerIn], Field(max_length=200)] = []
    prediction: Annotated[int, Field(ge=0, le=100_000_000)] | None = None


class SavedOut(Schema):
    saved: int
    deadline: datetime.datetime


class SubmitOut(Schema):
    score: int
    time_taken_s: float


class BoardRow(Schema):
    rank: int
    name: str
    commune: str | None = None
    code: str | None = None
    score: int | None = None
    time_taken_s: float | None = None
    prediction_distance: int | None = None
    participants: int | None = None
    attempts: int | None = None
    rate: float | None = None


class BoardOut(Schema):
    by: str
    round: int
    closed: bool
    participants: int
    rows: list[BoardRow]


def _round_out(r) -> dict:
    return {
        "id": r.pk, "number": r.number, "title": str(r), "opens_at": r.opens_at,
        "closes_at": r.closes_at, "state": r.state,
        "questions_per_attempt": r.questions_per_attempt, "time_limit_s": r.time_limit_s,
        "attempts_allowed": r.attempts_allowed, "prediction_question": r.prediction_question,
    }  # fmt: skip


@router.get("/contests", response={200: list[ContestOut]}, summary="Các cuộc thi và đợt thi")
def contests(request, campaign: Year | None = None):
    return [
        {
            "id": c.pk,
            "campaign": c.campaign.year,
            "title": c.title,
            "organiser": c.organiser.name,
            "nationwide": c.nationwide,
            "eligibility": c.eligibility,
            "rules": c.rules,
            "prizes": c.prizes,
            "rounds": [_round_out(r) for r in c.rounds.all()],
        }  # fmt: skip
        for c in selectors.contest_list(year=campaign)
    ]


def _rate(request: HttpRequest, response: HttpResponse, round_id: int, ids: list[int]):
    """Per participant and per address (core.ratelimit, shared by every process); going past
    either is answered 429 and flagged for the organiser."""
    ip = client_ip(request)
    for subject, limit in (
        *((f"p{pid}", RATE_PER_PARTICIPANT) for pid in ids),
        (f"o{services.origin_key(ip)}", RATE_PER_ADDRESS),
    ):
        retry = rate_hit(f"contest:{subject}", limit=limit, window=60)
        if retry:
            rate_limited(round_id=round_id, subject=subject, participant_id=ids[0] if ids else None)
            response["Retry-After"] = str(retry)
            return Status(
                429,
                {
                    "code": "rate_limited",
                    "message": _(
                        "Gửi quá nhiều lần trong thời gian ngắn. Hãy thử lại sau %(s)s giây."
                    )
                    % {"s": retry},
                },
            )
    return None


class PickerUnitOut(Schema):
    id: int
    name: str


@router.get(
    "/contests/{id:contest_id}/organisations",
    response={200: list[PickerUnitOut]},
    summary="Tìm cơ quan, đơn vị (không cần dấu) để đăng ký dự thi",
)
def organisations(request, contest_id: int, q: Annotated[str, Field(max_length=100)] = ""):
    return selectors.organisation_search(selectors.contest_get(contest_id), q)


@router.post(
    "/rounds/{id:round_id}/attempts",
    auth=participant_auth,
    response={200: StartOut, 201: StartOut, 401: ErrorOut, 429: ErrorOut},
    summary="Bắt đầu (hoặc tiếp tục) một lượt thi",
)
def attempt_start(request, round_id: int, response: HttpResponse):
    rnd = selectors.round_get(round_id)
    participant = participant_for(request, rnd.contest)
    limited = _rate(request, response, rnd.pk, [participant.pk])
    if limited:
        return limited
    device = request.headers.get("X-Device-Id", "")[:64]
    started = services.attempt_start(
        participant=participant, round=rnd,
        origin_key=services.origin_key(client_ip(request), device),
    )  # fmt: skip
    body = {
        "attempt": started.attempt.pk,
        "deadline": started.attempt.deadline,
        "questions": started.questions,
    }
    return Status(201 if started.created else 200, body)


def _identity(request: HttpRequest):
    identity = getattr(request, "auth", None)
    return identity if isinstance(identity, Identity) else None


def _optional_body(request: HttpRequest) -> AnswersIn | None:
    """The submit's body is optional: read it only when it is JSON."""
    if request.content_type != "application/json":
        return None
    raw = request.body
    if not raw.strip():
        return None
    try:
        return AnswersIn.model_validate_json(raw)
    except PydanticError as exc:
        raise DomainError(
            _("Dữ liệu gửi lên không hợp lệ."), code="validation_error", status=422,
            errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()],
        ) from exc  # fmt: skip


def _answers(payload: AnswersIn) -> list[tuple[int, list[int]]]:
    return [(a.question, list(a.options)) for a in payload.answers]


@router.put(
    "/attempts/{id:attempt_id}/answers",
    auth=participant_auth,
    response={200: SavedOut, 401: ErrorOut, 429: ErrorOut},
    summary="Lưu câu trả lời (ghi đè theo từng câu)",
)
def answers_put(request, attempt_id: int, payload: AnswersIn, response: HttpResponse):
    attempt = selectors.attempt_for_identity(_identity(request), attempt_id)
    limited = _rate(request, response, attempt.round_id, [attempt.participant_id])
    if limited:
        return limited
    attempt = services.answers_save(
        attempt=attempt, answers=_answers(payload), prediction=payload.prediction
    )
    return {"saved": len(payload.answers), "deadline": attempt.deadline}


@router.post(
    "/attempts/{id:attempt_id}/submit",
    auth=participant_auth,
    response={200: SubmitOut, 401: ErrorOut, 429: ErrorOut},
    summary="Nộp bài",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AnswersIn"}}},
        }
    },
)
def attempt_submit(request, attempt_id: int, response: HttpResponse):
    """Scores the attempt. An optional JSON body (the shape of the answers PUT) saves the last
    answers first. After the deadline: finished at the deadline with the answers saved before
    it; answers carried by a late submit give 409 `time_over`."""
    payload = _optional_body(request)
    attempt = selectors.attempt_for_identity(_identity(request), attempt_id)
    limited = _rate(request, response, attempt.round_id, [attempt.participant_id])
    if limited:
        return limited
    attempt = services.attempt_submit(
        attempt=attempt,
        answers=_answers(payload) if payload else None,
        prediction=payload.prediction if payload else None,
    )
    return {"score": attempt.score or 0, "time_taken_s": attempt.time_taken_s or 0.0}


@router.get(
    "/rounds/{id:round_id}/leaderboard",
    response={200: BoardOut},
    summary="Bảng xếp hạng cá nhân hoặc đơn vị",
)
def leaderboard(
    request,
    round_id: int,
    by: Literal["person", "province", "organisation"] = "person",
    offset: Offset = 0,
):
    """`person`: after the round closes (409 `round_open` before); `province` and
    `organisation`: live, from the roll-up tables."""
    rnd = selectors.round_get(round_id)
    n = selectors.participants_in_round(rnd.pk)
    if by == "person":
        if rnd.is_closed:
            # Attempts still open at the close are finished (at their deadline) before the
            # ranking is read, whether or not the scheduled sweeper has run yet.
            services.attempts_sweep(round_id=rnd.pk)
        else:
            raise DomainError(
                _("Bảng xếp hạng cá nhân được công bố sau khi đợt thi đóng."),
                code="round_open",
                status=409,
            )
        rows = [
            {"rank": r.rank, "name": r.name, "commune": r.commune, "score": r.score,
             "time_taken_s": r.time_taken_s, "prediction_distance": r.distance}
            for r in selectors.round_ranking(rnd, limit=100, offset=offset)
        ]  # fmt: skip
    else:
        board = (
            selectors.province_board(rnd) if by == "province" else selectors.organisation_board(rnd)
        )
        rows = [{"rank": i, **r} for i, r in enumerate(board, start=1)]
    return {"by": by, "round": rnd.pk, "closed": rnd.is_closed, "participants": n, "rows": rows}
