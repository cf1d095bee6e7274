"""Demo data of the online contest: Tuyên Quang's 2025 contest (seed 003) with a bank of 65
approved questions, a first round that closed with results and a second round open while the
demo runs (its dates are relative to the time the demo is loaded), and participants spread
over the province's communes and units, whose attempts go through the real services (so the
roll-ups, the ranking and the flags are built the real way).

Idempotent: a second run that finds the contest returns after one query.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dxday.identity.channels import channel_for
from dxday.identity.models import Identity
from dxday.identity.services import contact_hash
from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign

from . import services
from .demo_questions import QUESTIONS
from .models import Contest, Participant, UnitOfficials

TITLE = (
    "Cuộc thi trực tuyến tìm hiểu về chuyển đổi số và Nghị quyết 57-NQ/TW về đột phá phát "
    "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"
)
RULES = (
    "Đối tượng: cán bộ, công chức, viên chức, đoàn viên, hội viên và nhân dân các dân tộc đang "
    "sinh sống, học tập và lao động trên địa bàn tỉnh Tuyên Quang.\n"
    "Mỗi đợt thi, người dự thi được thi tối đa 2 lượt, lượt có kết quả cao nhất được tính. Mỗi "
    "lượt gồm 20 câu hỏi trắc nghiệm rút ngẫu nhiên (5 câu mỗi chủ đề) và 1 câu dự đoán số "
    "người tham gia; thời gian làm bài 15 phút, tính từ lúc bắt đầu.\n"
    "Xếp hạng theo điểm, sau đó theo độ chính xác của câu dự đoán, thời gian làm bài và thời "
    "điểm nộp bài."
)
PRIZES = (
    "Mỗi đợt: 1 giải Nhất, 2 giải Nhì, 3 giải Ba, 10 giải Khuyến khích cho cá nhân; giải tập "
    "thể cho đơn vị có số người tham gia và tỷ lệ cán bộ tham gia cao nhất."
)
QUOTAS = {"dx": 5, "government": 5, "skills": 5, "safety": 5}
FAMILY = ["Nguyễn", "Hoàng", "Ma", "Nông", "Lý", "Triệu", "Hà", "Lương", "Đặng", "Phạm", "Vàng"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Thanh", "Hữu"]
GIVEN = ["An", "Bình", "Chung", "Dung", "Giang", "Hải", "Hằng", "Khánh", "Lan", "Mai", "Nam",
         "Páo", "Quân", "Sinh", "Thảo", "Tùng", "Vân", "Xuân", "Yến"]  # fmt: skip
TZ = dt.timezone(dt.timedelta(hours=7))
DEMO_EMAIL = "thisinh@demo.dxday.vn"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _name(rng: random.Random) -> str:
    parts = [rng.choice(FAMILY), rng.choice(MIDDLE)]
    if rng.random() < 0.4:
        parts.append(rng.choice(MIDDLE))
    return " ".join([*parts, rng.choice(GIVEN)])


def _identity(email: str) -> Identity:
    """The verified e-mail behind a demo participant, as a proof through /xac-minh/ leaves it
    (the same hash, so signing in with that address finds this identity)."""
    value = channel_for("email").normalise(email)
    identity, _created = Identity.objects.get_or_create(
        kind="email", contact_hash=contact_hash("email", value),
        defaults={"contact_masked": channel_for("email").mask(value),
                  "verified_at": timezone.now()},
    )  # fmt: skip
    return identity


def _participants(contest: Contest, rng: random.Random) -> list[Participant]:
    committees = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNE, province_id="08", commune__isnull=False
        ).order_by("commune_id")[:12]
    )
    departments = list(
        Organisation.objects.filter(
            province_id="08",
            kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.PRESS],
        ).order_by("code")
    )
    if not committees:
        return []
    for unit in committees[:6] + departments:
        UnitOfficials.objects.get_or_create(
            contest=contest, organisation=unit, defaults={"officials": rng.randint(25, 80)}
        )
    out = []
    for i in range(140):
        home = committees[i % len(committees)]
        roll = rng.random()
        if roll < 0.35 and departments:
            kind, unit = Participant.Kind.OFFICIAL, rng.choice(departments)
        elif roll < 0.6:
            kind, unit = Participant.Kind.OFFICIAL, rng.choice(committees[:6])
        elif roll < 0.7:
            kind, unit = Participant.Kind.UNION_MEMBER, home
        else:
            kind, unit = Participant.Kind.CITIZEN, None
        out.append(
            services.participant_register(
                contest=contest,
                identity=_identity(DEMO_EMAIL if i == 0 else f"nguoi-thi-{i}@demo.dxday.vn"),
                full_name=_name(rng),
                birth_year=rng.randint(1965, 2006),
                commune=home.commune,
                kind=kind,
                organisation=unit,
            )  # fmt: skip
        )
    return out


def _play(rnd, participant, when: dt.datetime, rng: random.Random, *, finish: bool = True):
    started = services.attempt_start(participant=participant, round=rnd, now=when)
    bank = services.bank_for(rnd.contest_id)
    answers = []
    skill = rng.uniform(0.45, 0.97)
    for q in started.questions:
        right = sorted(bank.questions[q["id"]].correct)
        if rng.random() < skill:
            answers.append((q["id"], right))
        else:
            answers.append((q["id"], [rng.choice(q["options"])["id"]]))
    taken = dt.timedelta(seconds=rng.randint(150, rnd.time_limit_s - 30))
    services.answers_save(
        attempt=started.attempt, answers=answers, prediction=rng.randint(80, 200),
        now=when + taken / 2,
    )  # fmt: skip
    if finish:
        services.attempt_submit(attempt=started.attempt, now=when + taken)


def seed(stdout=None) -> None:
    campaign = Campaign.objects.filter(year=2025).first()
    organiser = Organisation.objects.filter(code="tinh-08").first()
    if campaign is None or organiser is None:
        _say(stdout, "contest: no 2025 campaign or Tuyên Quang yet, skipped")
        return
    if Contest.objects.filter(campaign=campaign, title=TITLE).exists():
        return
    rng = random.Random(2025)
    contest = services.contest_create(
        actor=None, campaign=campaign, organiser=organiser, title=TITLE, rules=RULES,
        prizes=PRIZES, eligibility="everyone",
    )  # fmt: skip
    for topic, difficulty, text, options, correct, explanation in QUESTIONS:
        services.question_create(
            actor=None, contest=contest, text=text, topic=topic, difficulty=difficulty,
            explanation=explanation, status="approved", audit_it=False,
            options=[(o, i in correct) for i, o in enumerate(options)],
        )  # fmt: skip
    closed = services.round_create(
        actor=None, contest=contest, number=1, title="Tuần 1",
        opens_at=dt.datetime(2025, 10, 1, 8, 0, tzinfo=TZ),
        closes_at=dt.datetime(2025, 10, 8, 8, 0, tzinfo=TZ),
        questions_per_attempt=20, time_limit_s=900, attempts_allowed=2, quotas=QUOTAS,
    )  # fmt: skip
    now = timezone.now().replace(microsecond=0)
    current = services.round_create(
        actor=None, contest=contest, number=2, title="Tuần 2",
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=14),
        questions_per_attempt=20, time_limit_s=900, attempts_allowed=2, quotas=QUOTAS,
    )  # fmt: skip
    people = _participants(contest, rng)
    for i, p in enumerate(people[:110]):
        when = closed.opens_at + dt.timedelta(minutes=7 * i + rng.randint(0, 5))
        _play(closed, p, when, rng)
        if i % 4 == 0:
            _play(closed, p, when + dt.timedelta(hours=2), rng)
    for i, p in enumerate(people[30:90]):
        when = current.opens_at + dt.timedelta(minutes=11 * i)
        _play(current, p, when, rng)
    services.attempts_sweep(now=now)
    _say(stdout, f"contest: {len(QUESTIONS)} questions, {len(people)} participants")


def demo_account_lines() -> list[str]:
    return [
        f"{DEMO_EMAIL} — người dự thi (Cuộc thi trực tuyến, Tuyên Quang): đăng nhập tại "
        "/cuoc-thi/ bằng thư điện tử; mã xác minh in ra màn hình (console)"
    ]
