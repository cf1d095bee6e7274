"""The approved bank of a contest, held per process for a few seconds, and the random draw.

A synchronised start spike must not read the bank once per participant: each app process keeps
the approved questions of a contest (ids, texts, option ids and the correct sets) for
`BANK_TTL` seconds. Editing is refused while a round that draws a question is open
(services.bank), so a stale copy can only miss a question approved in the last seconds.
Correct answers stay on the server: `question_payload` never includes them.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dxday.core.errors import DomainError

from ..models import Option, Question, Round, RoundQuota

BANK_TTL = 30.0
_rng = random.SystemRandom()
_lock = threading.Lock()
_banks: dict[int, tuple[float, Bank]] = {}


@dataclass(frozen=True)
class BankQuestion:
    id: int
    text: str
    topic: str
    options: tuple[tuple[int, str], ...]  # (id, text) in bank order
    correct: frozenset[int]


@dataclass(frozen=True)
class Bank:
    questions: dict[int, BankQuestion]
    by_topic: dict[str, tuple[int, ...]]


def bank_forget(contest_id: int) -> None:
    with _lock:
        _banks.pop(contest_id, None)


def bank_load(contest_id: int) -> Bank:
    questions: dict[int, BankQuestion] = {}
    rows = Question.objects.filter(contest_id=contest_id, status=Question.Status.APPROVED)
    texts = dict(rows.values_list("id", "text"))
    topics = dict(rows.values_list("id", "topic"))
    opts: dict[int, list] = {qid: [] for qid in texts}
    for qid, oid, otext, correct in (
        Option.objects.filter(question_id__in=rows.values("id"))
        .order_by("question_id", "position")
        .values_list("question_id", "id", "text", "is_correct")
    ):
        opts.setdefault(qid, []).append((oid, otext, correct))
    by_topic: dict[str, list[int]] = {}
    for qid, text in texts.items():
        o = opts.get(qid, [])
        questions[qid] = BankQuestion(
            id=qid, text=text, topic=topics[qid],
            options=tuple((oid, t) for oid, t, _c in o),
            correct=frozenset(oid for oid, _t, c in o if c),
        )  # fmt: skip
        by_topic.setdefault(topics[qid], []).append(qid)
    return Bank(questions=questions, by_topic={k: tuple(sorted(v)) for k, v in by_topic.items()})


def bank_for(contest_id: int) -> Bank:
    now = time.monotonic()
    with _lock:
        hit = _banks.get(contest_id)
    if hit is not None and now - hit[0] < BANK_TTL:
        return hit[1]
    bank = bank_load(contest_id)
    with _lock:
        _banks[contest_id] = (now, bank)
    return bank


_quotas: dict[int, tuple[float, dict[str, int]]] = {}


def round_quotas(round_id: int) -> dict[str, int]:
    """A round's topic quotas (set when the round is created, never changed), per process."""
    now = time.monotonic()
    with _lock:
        hit = _quotas.get(round_id)
    if hit is not None and now - hit[0] < BANK_TTL:
        return hit[1]
    quotas = dict(RoundQuota.objects.filter(round_id=round_id).values_list("topic", "count"))
    with _lock:
        _quotas[round_id] = (now, quotas)
    return quotas


def bank_question(contest_id: int, question_id: int) -> BankQuestion | None:
    """A question of the bank, reloading once if this process has not seen it yet."""
    q = bank_for(contest_id).questions.get(question_id)
    if q is None:
        bank_forget(contest_id)
        q = bank_for(contest_id).questions.get(question_id)
    return q


def draw(rnd: Round, quotas: dict[str, int]) -> list[tuple[int, list[int]]]:
    """[(question id, [option ids in display order])] for one attempt: by topic quotas (or
    from the whole approved bank), question order and option order shuffled."""
    bank = bank_for(rnd.contest_id)
    chosen: list[int] = []
    if quotas:
        for topic, count in sorted(quotas.items()):
            pool = bank.by_topic.get(topic, ())
            if len(pool) < count:
                raise DomainError(
                    _("Ngân hàng chưa đủ câu hỏi đã duyệt cho đợt thi này."),
                    code="bank_too_small",
                    status=409,
                )
            chosen.extend(_rng.sample(pool, count))
    else:
        pool = tuple(bank.questions)
        if len(pool) < rnd.questions_per_attempt:
            raise DomainError(
                _("Ngân hàng chưa đủ câu hỏi đã duyệt cho đợt thi này."),
                code="bank_too_small",
                status=409,
            )
        chosen = _rng.sample(pool, rnd.questions_per_attempt)
    _rng.shuffle(chosen)
    out = []
    for qid in chosen:
        oids = [oid for oid, _t in bank.questions[qid].options]
        if rnd.shuffle_options:
            _rng.shuffle(oids)
        out.append((qid, oids))
    return out


def question_payload(contest_id: int, question_id: int, option_order: list[int]) -> dict:
    """What the client sees of one drawn question: no correct answers, no explanation."""
    q = bank_question(contest_id, question_id)
    if q is None:  # withdrawn after the draw (only possible once the round closed)
        q_obj = Question.objects.get(pk=question_id)
        texts = dict(q_obj.options.values_list("id", "text"))
        text = q_obj.text
    else:
        texts = dict(q.options)
        text = q.text
    return {
        "id": question_id,
        "text": text,
        "options": [{"id": oid, "text": texts[oid]} for oid in option_order if oid in texts],
    }
