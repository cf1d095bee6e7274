"""A contest world for tests: Tuyên Quang's contest, an open round and an approved bank.

`make_participant` creates a participant row directly (the registration service needs a
verified identity; see test_participants.py for that path)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from dxday.contest.models import Participant, Question, Topic
from dxday.contest.services import contest_create, question_create, round_create
from dxday.plans.tests.factories import make_campaign

_seq = itertools.count(1)


def make_contest(organiser, *, year: int = 2025, **kw):
    return contest_create(
        actor=None, campaign=make_campaign(year), organiser=organiser,
        title=kw.pop("title", "Cuộc thi tìm hiểu chuyển đổi số"), **kw,
    )  # fmt: skip


def make_bank(contest, *, per_topic: int = 4, topics=(Topic.DX, Topic.SAFETY), status="approved"):
    out = []
    for topic in topics:
        for _i in range(per_topic):
            n = next(_seq)
            out.append(
                question_create(
                    actor=None,
                    contest=contest,
                    topic=topic,
                    status=status,
                    text=f"Câu hỏi {n} về {topic}?",
                    explanation=f"Giải thích {n}.",
                    options=[(f"Đúng {n}", True), (f"Sai {n}a", False), (f"Sai {n}b", False)],
                    audit_it=False,
                )  # fmt: skip
            )
    return out


def make_round(contest, *, number: int = 1, opens_at=None, closes_at=None, **kw):
    now = timezone.now()
    return round_create(
        actor=None, contest=contest, number=number,
        opens_at=opens_at or now - datetime.timedelta(hours=1),
        closes_at=closes_at or now + datetime.timedelta(days=1),
        questions_per_attempt=kw.pop("questions_per_attempt", 4),
        time_limit_s=kw.pop("time_limit_s", 600),
        attempts_allowed=kw.pop("attempts_allowed", 2),
        quotas=kw.pop("quotas", {Topic.DX: 2, Topic.SAFETY: 2}), **kw,
    )  # fmt: skip


def make_identity(email: str | None = None):
    """A verified e-mail identity, as the identity app leaves it after a proof."""
    from dxday.identity.models import Identity
    from dxday.identity.services import contact_hash

    email = email or f"nguoi{next(_seq)}@example.vn"
    identity, _created = Identity.objects.get_or_create(
        kind="email", contact_hash=contact_hash("email", email),
        defaults={"contact_masked": email[0] + "***@example.vn", "verified_at": timezone.now()},
    )  # fmt: skip
    return identity


def make_participant(contest, commune, *, name: str | None = None, organisation=None, **kw):
    n = next(_seq)
    fields = {
        "contest": contest, "identity": kw.pop("identity", None) or make_identity(),
        "full_name": name or f"Nguyễn Văn Thử {n}", "birth_year": 1990,
        "province_id": commune.province_id, "commune": commune, "organisation": organisation,
        "kind": Participant.Kind.OFFICIAL if organisation else Participant.Kind.CITIZEN,
    }  # fmt: skip
    fields.update(kw)
    return Participant.objects.create(**fields)


def correct_answers(started) -> list[tuple[int, list[int]]]:
    out = []
    for q in started.questions:
        right = Question.objects.get(pk=q["id"]).options.filter(is_correct=True)
        out.append((q["id"], list(right.values_list("id", flat=True))))
    return out


def participant_token_for(participant) -> str:
    """The bearer token a participant's phone holds: an identity token."""
    from dxday.identity.services import identity_token_issue

    return identity_token_issue(identity=participant.identity, purpose="contest")
