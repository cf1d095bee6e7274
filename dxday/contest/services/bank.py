"""Contests, rounds and the question bank: every write, checked, validated and audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.core.audit import audit, audit_created, diff, snapshot
from dxday.core.errors import DomainError, clean_or_raise
from dxday.core.pagecache import bump
from dxday.core.text import nfc
from dxday.orgs.models import Organisation
from dxday.orgs.permissions import Actor, ensure_can
from dxday.plans.models import Campaign

from ..models import Contest, Option, Question, Round, RoundQuota, Topic
from .draw import bank_forget

MIN_OPTIONS, MAX_OPTIONS = 2, 6


@transaction.atomic
def contest_create(
    *,
    actor: Actor | None,
    campaign: Campaign,
    organiser: Organisation,
    title: str,
    rules: str = "",
    prizes: str = "",
    eligibility: str = "everyone",
    nationwide: bool = False,
) -> Contest:
    if actor is not None:
        ensure_can(actor, "contest.manage", organiser)
    contest = Contest(
        campaign=campaign, organiser=organiser, title=nfc(title).strip(), rules=nfc(rules),
        prizes=nfc(prizes), eligibility=eligibility, nationwide=nationwide,
    )  # fmt: skip
    clean_or_raise(contest)
    contest.save()
    audit_created(contest, "contest.contest.created", by=actor)
    bump("contest")  # the public contest pages
    return contest


@transaction.atomic
def round_create(
    *,
    actor: Actor | None,
    contest: Contest,
    number: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    questions_per_attempt: int = 20,
    time_limit_s: int = 900,
    attempts_allowed: int = 2,
    quotas: dict[str, int] | None = None,
    title: str = "",
) -> Round:
    if actor is not None:
        ensure_can(actor, "contest.manage", contest.organiser)
    rnd = Round(
        contest=contest, number=number, title=nfc(title), opens_at=opens_at, closes_at=closes_at,
        questions_per_attempt=questions_per_attempt, time_limit_s=time_limit_s,
        attempts_allowed=attempts_allowed,
    )  # fmt: skip
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(
            _("Thời điểm đóng phải sau thời điểm mở."), code="invalid", field="closes_at"
        )
    clean_or_raise(rnd)
    quotas = {k: int(v) for k, v in (quotas or {}).items() if int(v) > 0}
    unknown = set(quotas) - set(Topic.values)
    if unknown:
        raise DomainError(_("Chủ đề không hợp lệ."), code="invalid", field="quotas")
    if quotas and sum(quotas.values()) != questions_per_attempt:
        raise DomainError(
            _("Tổng số câu theo chủ đề (%(sum)s) phải bằng số câu mỗi lượt (%(n)s).")
            % {"sum": sum(quotas.values()), "n": questions_per_attempt},
            code="invalid",
            field="quotas",
        )
    rnd.save()
    RoundQuota.objects.bulk_create(
        [RoundQuota(round=rnd, topic=t, count=c) for t, c in sorted(quotas.items())]
    )
    audit_created(rnd, "contest.round.created", by=actor)
    bump("contest")
    return rnd


# --- Question bank ---------------------------------------------------------------------------


def clean_options(options: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """2–6 non-empty options, at least one correct; raises DomainError saying which rule."""
    cleaned = [(nfc(str(t)).strip(), bool(c)) for t, c in options if str(t or "").strip()]
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise DomainError(
            _("Một câu hỏi cần từ %(a)s đến %(b)s đáp án.") % {"a": MIN_OPTIONS, "b": MAX_OPTIONS},
            code="invalid",
            field="options",
        )
    if not any(c for _t, c in cleaned):
        raise DomainError(_("Cần ít nhất một đáp án đúng."), code="invalid", field="options")
    if len({t for t, _c in cleaned}) != len(cleaned):
        raise DomainError(_("Hai đáp án trùng nhau."), code="invalid", field="options")
    return cleaned


def open_round_using(question: Question) -> Round | None:
    """An open round that draws (or drew) this question: an approved question of a contest
    with a round now open whose quotas include its topic (or that has no quotas)."""
    if question.status != Question.Status.APPROVED:
        return None
    now = timezone.now()
    for rnd in Round.objects.filter(
        contest_id=question.contest_id, opens_at__lte=now, closes_at__gt=now
    ).prefetch_related("quotas"):
        topics = {q.topic for q in rnd.quotas.all()}
        if not topics or question.topic in topics:
            return rnd
    return None


def _ensure_editable(question: Question) -> None:
    rnd = open_round_using(question)
    if rnd is not None:
        raise DomainError(
            _(
                "Không thể sửa câu hỏi này: đợt thi “%(round)s” đang mở (đến %(close)s) và có "
                "thể rút câu hỏi này cho người dự thi. Sửa câu hỏi giữa đợt làm cho các lượt "
                "thi không công bằng; hãy sửa sau khi đợt thi đóng."
            )
            % {
                "round": str(rnd),
                "close": timezone.localtime(rnd.closes_at).strftime("%H:%M %d/%m/%Y"),
            },
            code="question_in_use",
            status=409,
        )


@transaction.atomic
def question_create(
    *,
    actor: Actor | None,
    contest: Contest,
    text: str,
    options: list[tuple[str, bool]],
    topic: str,
    explanation: str = "",
    difficulty: int = 2,
    status: str = Question.Status.DRAFT,
    audit_it: bool = True,
) -> Question:
    if actor is not None:
        ensure_can(actor, "contest.manage", contest.organiser)
    cleaned = clean_options(options)
    question = Question(
        contest=contest, text=nfc(text).strip(), explanation=nfc(explanation).strip(),
        topic=topic, difficulty=difficulty, status=status,
    )  # fmt: skip
    clean_or_raise(question, exclude=["search_key"])
    question.save()
    Option.objects.bulk_create(
        [
            Option(question=question, position=i, text=t, is_correct=c)
            for i, (t, c) in enumerate(cleaned, start=1)
        ]
    )
    if audit_it:
        audit_created(question, "contest.question.created", by=actor)
    bank_forget(contest.pk)
    return question


@transaction.atomic
def question_update(
    *,
    actor: Actor | None,
    question: Question,
    text: str,
    options: list[tuple[str, bool]],
    topic: str,
    explanation: str = "",
    difficulty: int = 2,
) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if actor is not None:
        ensure_can(actor, "contest.manage", question.contest.organiser)
    _ensure_editable(question)
    cleaned = clean_options(options)
    before = snapshot(question)
    question.text = nfc(text).strip()
    question.explanation = nfc(explanation).strip()
    question.topic = topic
    question.difficulty = difficulty
    clean_or_raise(question, exclude=["search_key"])
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(
        [
            Option(question=question, position=i, text=t, is_correct=c)
            for i, (t, c) in enumerate(cleaned, start=1)
        ]
    )
    audit(question, "contest.question.updated", by=actor, changes=diff(before, question))
    bank_forget(question.contest_id)
    return question


@transaction.atomic
def question_set_status(*, actor: Actor | None, question: Question, status: str) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    if actor is not None:
        ensure_can(actor, "contest.manage", question.contest.organiser)
    if status not in Question.Status.values:
        raise DomainError(_("Trạng thái không hợp lệ."), code="invalid", field="status")
    if status == question.status:
        return question
    _ensure_editable(question)  # withdrawing a drawable question mid-round is an edit too
    before = snapshot(question)
    question.status = status
    question.save(update_fields=["status", "updated_at"])
    audit(question, "contest.question.status", by=actor, changes=diff(before, question))
    bank_forget(question.contest_id)
    return question


@transaction.atomic
def unit_officials_set(
    *, actor: Actor | None, contest: Contest, organisation: Organisation, officials: int
) -> None:
    """How many officials a unit has: the denominator of its participation rate."""
    if actor is not None:
        ensure_can(actor, "contest.manage", contest.organiser)
    if not organisation.path.startswith(contest.organiser.path) and not contest.nationwide:
        raise DomainError(
            _("Đơn vị này không thuộc phạm vi của cuộc thi."), code="invalid", field="organisation"
        )
    if officials < 1:
        raise DomainError(_("Số cán bộ phải lớn hơn 0."), code="invalid", field="officials")
    from ..models import UnitOfficials

    row, _created = UnitOfficials.objects.update_or_create(
        contest=contest, organisation=organisation, defaults={"officials": officials}
    )
    audit(row, "contest.unit_officials.set", by=actor, changes={"officials": officials})


@transaction.atomic
def flag_review(*, actor: Actor, flag) -> None:
    """The organiser looked at a fair-play flag (kept, marked reviewed)."""
    ensure_can(actor, "contest.manage", flag.round.contest.organiser)
    if flag.reviewed_at is None:
        flag.reviewed_at = timezone.now()
        flag.reviewed_by = actor.user
        flag.save(update_fields=["reviewed_at", "reviewed_by"])
        audit(flag, "contest.flag.reviewed", by=actor)
