"""Demo data of the learning capability, from the seed documents:

- Thanh Hóa's "Ngày hội toàn dân học tập số" on 10/10/2025: classes at the commune cultural
  houses of several communes, registrations and check-ins (tickets and walk-ins) sent through
  the real services, so the dashboards and the report show something;
- Tuyên Quang's training of officials on AI and Big Data (units' lists enrolled, attendance);
- the ministry's seminar on fast, effective DX with the two-level government;
- the Prime Minister's dialogue on 10/10/2024, by invitation;
- one class today at Hạc Thành, to try the check-in app;
- a demo organiser and a demo check-in account (printed by `make run` with the other logins).

Idempotent: offerings are looked up by organiser and title; registrations and check-ins are
added only to offerings that have none.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from dxday.orgs.demo import demo_account
from dxday.orgs.models import Organisation, Role, User
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from . import services
from .checkin import checkins_ingest
from .models import Offering, Registration
from .tickets import ticket_payload

SYSTEM = Actor(user=User(username="demo", is_superuser=True, is_active=True), membership=None)
VN = dt.timezone(dt.timedelta(hours=7))
NAMESPACE = uuid.UUID("b7d0c3f4-6a8e-4f3b-9c11-5d2e7a9f0c42")
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Lò", "Hà"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Oanh", "Phúc",
         "Quỳnh", "Sơn", "Tâm", "Uyên", "Việt", "Xuân", "Yến"]  # fmt: skip
CLASSES = [
    ("Lớp học số: cài đặt và dùng VNeID mức 2", ["vneid", "ky-nang-co-ban"], 8),
    ("Lớp học số: nộp hồ sơ dịch vụ công trực tuyến", ["dich-vu-cong"], 14),
    ("Lớp học số: thanh toán không dùng tiền mặt, phòng lừa đảo", ["thanh-toan", "an-toan-so"], 8),
    ("Lớp học số: bán hàng trên sàn thương mại điện tử", ["thuong-mai-dien-tu"], 14),
]
ORGANISER, CHECKIN = "hoctap.tochuc", "hoctap.diemdanh"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _offering(organiser: Organisation, campaign: Campaign, title: str, **fields) -> Offering:
    found = Offering.objects.filter(organiser=organiser, title=title).first()
    if found is not None:
        return found
    return services.offering_create(
        actor=SYSTEM, campaign=campaign, organiser=organiser, title=title, **fields
    )


def _fill(offering: Offering, rng: random.Random, *, n: int, show: float, walk_ins: int,
          now: dt.datetime, communes=None) -> int:  # fmt: skip
    """Registrations, then check-ins of `show` of them and some walk-ins (as of `now`)."""
    if offering.registrations.exists():
        return 0
    regs = []
    for _ in range(n):
        commune = rng.choice(communes) if communes else offering.commune
        regs.append(services.registration_create(
            offering=offering, name=_name(rng), commune=commune, now=now,
            invitation_code=offering.invitation_code,
        ))  # fmt: skip
    seated = [r for r in regs if r.status == Registration.Status.CONFIRMED]
    scans = []
    for i, r in enumerate(rng.sample(seated, int(len(seated) * show))):
        scans.append({
            "nonce": str(uuid.uuid5(NAMESPACE, f"{offering.pk}:{r.pk}")), "offering": offering.pk,
            "ticket": ticket_payload(offering.pk, r.pk), "device": f"máy-{1 + i % 2}",
            "scanned_at": (offering.starts_at + dt.timedelta(minutes=rng.randint(-20, 15)))
            .isoformat(),
        })  # fmt: skip
    for k in range(walk_ins):
        scans.append({
            "nonce": str(uuid.uuid5(NAMESPACE, f"{offering.pk}:walk:{k}")), "offering": offering.pk,
            "walk_ins": 1, "age_group": rng.choice(["", "u18", "18-59", "60+", "60+"]),
            "scanned_at": (offering.starts_at + dt.timedelta(minutes=rng.randint(0, 40)))
            .isoformat(), "device": "máy-1",
        })  # fmt: skip
    after = offering.ends_at
    return checkins_ingest(actor=SYSTEM, checkins=scans, now=after).accepted


def _festival(rng: random.Random, stdout) -> None:
    campaign = Campaign.objects.filter(year=2025).first()
    committees = list(
        Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, province_id="38",
                                    commune__isnull=False)
        .select_related("commune").order_by("commune_id")[:5]
    )  # fmt: skip
    preferred = Organisation.objects.filter(code="xa-14797").select_related("commune").first()
    if preferred is not None:
        committees = [preferred, *[c for c in committees if c.pk != preferred.pk]][:5]
    if campaign is None or not committees:
        _say(stdout, "Học tập số: chưa có chiến dịch 2025 hoặc xã của Thanh Hóa; bỏ qua.")
        return
    before = dt.datetime(2025, 10, 1, 9, 0, tzinfo=VN)
    attended = 0
    for committee in committees:
        place = "Nhà văn hóa trung tâm"
        rng = random.Random(committee.code)  # the same classes on every run
        for title, topics, hour in rng.sample(CLASSES, 2):
            offering = _offering(
                committee, campaign, title, kind=Offering.Kind.CLASS,
                format=Offering.Format.IN_PERSON, commune=committee.commune,
                address=place,
                starts_at=dt.datetime(2025, 10, 10, hour, 0, tzinfo=VN),
                ends_at=dt.datetime(2025, 10, 10, hour + 2, 30, tzinfo=VN),
                capacity=rng.choice([30, 40, 50]), audience=Offering.Audience.CITIZENS,
                topics=topics,
            )  # fmt: skip
            attended += _fill(offering, rng, n=rng.randint(20, 55), show=0.8,
                              walk_ins=rng.randint(5, 25), now=before)  # fmt: skip
    _say(stdout, f"Ngày hội học tập số Thanh Hóa: {len(committees)} xã, {attended} lượt điểm danh.")


def _officials_training(rng: random.Random, stdout) -> None:
    campaign = Campaign.objects.filter(year=2025).first()
    organiser = Organisation.objects.filter(code="tq-so-khcn").first()
    if campaign is None or organiser is None:
        return
    training = _offering(
        organiser, campaign, "Bồi dưỡng ứng dụng trí tuệ nhân tạo (AI) và dữ liệu lớn (Big Data) "
        "cho cán bộ, công chức, viên chức", kind=Offering.Kind.TRAINING,
        format=Offering.Format.HYBRID, address="Hội trường Sở Khoa học và Công nghệ Tuyên Quang",
        online_link="https://hoc.tuyenquang.gov.vn/lop-ai", commune=None,
        starts_at=dt.datetime(2025, 10, 14, 8, 0, tzinfo=VN),
        ends_at=dt.datetime(2025, 10, 15, 17, 0, tzinfo=VN), capacity=None,
        audience=Offering.Audience.OFFICIALS, topics=["ai", "big-data", "lam-viec-so"],
        speakers="Cục Chuyển đổi số quốc gia\nTrường Đại học Tân Trào",
        agenda="Ngày 1: AI tạo sinh trong công việc hành chính\n"
        "Ngày 2: Dữ liệu lớn và ra quyết định",
    )  # fmt: skip
    if training.registrations.exists():
        return
    codes = ["tq-so-khcn", "tq-so-noi-vu", "tq-bao-ptth"]
    units = list(Organisation.objects.filter(code__in=codes).order_by("code"))
    units += list(Organisation.objects.filter(kind=Organisation.Kind.COMMUNE, province_id="08")
                  .order_by("commune_id")[:3])  # fmt: skip
    before = dt.datetime(2025, 10, 5, 9, 0, tzinfo=VN)
    scans = []
    for unit in units:
        size = rng.randint(12, 25)
        for reg in [
            services.registration_create(offering=training, name=_name(rng), organisation=unit,
                                         now=before)
            for _ in range(rng.randint(6, 10))
        ]:  # fmt: skip
            if rng.random() < 0.9:
                scans.append({
                    "nonce": str(uuid.uuid5(NAMESPACE, f"tq:{reg.pk}")), "offering": training.pk,
                    "ticket": ticket_payload(training.pk, reg.pk), "device": "máy-hội-trường",
                    "scanned_at": training.starts_at.isoformat(),
                })  # fmt: skip
        services.headcount_set(actor=SYSTEM, campaign=campaign, organisation=unit, officials=size)
    n = checkins_ingest(actor=SYSTEM, checkins=scans, now=training.ends_at).accepted
    issued = services.certificates_issue_for(actor=SYSTEM, offering=training) if n else []
    _say(stdout, f"Bồi dưỡng AI, Big Data Tuyên Quang: {n} cán bộ tham gia, "
                 f"{len(issued)} giấy chứng nhận.")  # fmt: skip


def _seminar_and_dialogue(rng: random.Random) -> None:
    national = Organisation.objects.filter(code="bo-khcn").first()
    c2025 = Campaign.objects.filter(year=2025).first()
    c2024 = Campaign.objects.filter(year=2024).first()
    if national is None:
        return
    if c2025 is not None:
        _offering(
            national, c2025, "Tọa đàm: Chuyển đổi số nhanh, hiệu quả gắn với phân cấp, phân "
            "quyền và chính quyền địa phương hai cấp", kind=Offering.Kind.SEMINAR,
            format=Offering.Format.HYBRID, address="Bộ Khoa học và Công nghệ, 113 Trần Duy Hưng, "
            "Hà Nội", livestream_url="https://truyenhinh.example.vn/toa-dam-cds",
            starts_at=dt.datetime(2025, 10, 8, 8, 30, tzinfo=VN),
            ends_at=dt.datetime(2025, 10, 8, 11, 30, tzinfo=VN), capacity=200,
            audience=Offering.Audience.ALL, topics=["dich-vu-cong", "lam-viec-so"],
            speakers="Lãnh đạo Bộ Khoa học và Công nghệ\nĐại diện UBND các tỉnh, thành phố",
            agenda="Phát biểu khai mạc\nTham luận của các địa phương\nThảo luận, giải đáp",
        )  # fmt: skip
    if c2024 is not None:
        dialogue = _offering(
            national, c2024, "Thủ tướng Chính phủ đối thoại với cá nhân, doanh nghiệp và thành "
            "viên Tổ công nghệ số cộng đồng tiêu biểu", kind=Offering.Kind.DIALOGUE,
            format=Offering.Format.HYBRID, address="Trung tâm Hội nghị Quốc gia, Hà Nội",
            livestream_url="https://truyenhinh.example.vn/doi-thoai-10-10",
            starts_at=dt.datetime(2024, 10, 10, 14, 0, tzinfo=VN),
            ends_at=dt.datetime(2024, 10, 10, 17, 0, tzinfo=VN), capacity=300,
            audience=Offering.Audience.ALL, topics=["nen-tang-so"], invitation_only=True,
            invitation_code="DOITHOAI-1010", speakers="Thủ tướng Chính phủ",
            agenda="Báo cáo kết quả chuyển đổi số\nĐối thoại\nPhát biểu chỉ đạo",
        )  # fmt: skip
        _fill(dialogue, rng, n=40, show=0.95, walk_ins=0,
              now=dt.datetime(2024, 10, 1, 9, 0, tzinfo=VN))  # fmt: skip


def _today_class(stdout) -> None:
    """A class running today at Hạc Thành, so the check-in app has something to scan."""
    committee = Organisation.objects.filter(code="xa-14797").select_related("commune").first()
    campaign = Campaign.objects.order_by("-year").first()
    if committee is None or campaign is None:
        return
    today = timezone.localdate()
    title = f"Lớp học số dùng thử điểm danh ({today:%d/%m/%Y})"
    offering = _offering(
        committee, campaign, title, kind=Offering.Kind.CLASS, format=Offering.Format.IN_PERSON,
        commune=committee.commune, address="Nhà văn hóa phường Hạc Thành",
        starts_at=timezone.make_aware(dt.datetime.combine(today, dt.time(7, 0))),
        ends_at=timezone.make_aware(dt.datetime.combine(today, dt.time(21, 0))), capacity=30,
        topics=["ky-nang-co-ban"],
    )  # fmt: skip
    if offering.ends_at > timezone.now() and not offering.registrations.exists():
        rng = random.Random(10)
        for _ in range(6):
            services.registration_create(offering=offering, name=_name(rng))


def seed(stdout=None) -> None:
    rng = random.Random(1010)
    if Organisation.objects.filter(code="xa-14797").exists():
        demo_account(username=ORGANISER, role=Role.REPORTER, org_code="xa-14797",
                     full_name="Trịnh Thị Học")  # fmt: skip
        demo_account(username=CHECKIN, role=Role.CHECKIN_STAFF, org_code="xa-14797",
                     full_name="Lê Văn Điểm Danh")  # fmt: skip
    _festival(rng, stdout)
    _officials_training(rng, stdout)
    _seminar_and_dialogue(rng)
    _today_class(stdout)
