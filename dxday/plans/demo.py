"""Demo campaigns (2022, 2024, 2025), the 2025 national plan (seed 000) and Thanh Hóa's cascaded
plan (seed 002, three recipient groups). Runs after the orgs seed; idempotent.

Some assignments are reported (backdated into October 2025, on time or late), most are left
unreported and therefore late, so that My tasks, progress and chase pages show real things.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from dxday.orgs.models import Organisation, Role

from . import services
from .catalogue import catalogue_load
from .models import Assignment, Campaign, CampaignWindow, Indicator, Plan, TaskTarget

G = TaskTarget.Group
D = datetime.date
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

CAMPAIGNS = [
    {
        "year": 2022,
        "theme": "Chuyển đổi số giải quyết các vấn đề của xã hội vì một cuộc sống tốt đẹp hơn "
        "cho người dân",
        "message": "",
        "legal_basis_number": "",
        "legal_basis_date": D(2022, 6, 16),
        "legal_basis_issuer": "Bộ Thông tin và Truyền thông",
        "legal_basis_title": "Kế hoạch triển khai Quyết định số 505/QĐ-TTg ngày 22/4/2022 của "
        "Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia",
        "summary": "Năm đầu tiên tổ chức Ngày Chuyển đổi số quốc gia (10/10). Các hoạt động tập "
        "trung phát động sáng kiến mang lại lợi ích thiết thực cho người dân, thúc đẩy sử dụng "
        "sản phẩm, dịch vụ số và phổ cập kỹ năng số.",
        "windows": [],
        "key_dates": [("ceremony", "Ngày Chuyển đổi số quốc gia", D(2022, 10, 10), "")],
    },
    {
        "year": 2024,
        "theme": "Phổ cập hạ tầng số và sáng tạo ứng dụng số, phát triển kinh tế số",
        "message": "",
        "legal_basis_number": "",
        "legal_basis_date": None,
        "legal_basis_issuer": "Bộ Thông tin và Truyền thông",
        "legal_basis_title": "Kế hoạch triển khai Quyết định số 505/QĐ-TTg về Ngày Chuyển đổi "
        "số quốc gia năm 2024",
        "summary": "Chiến dịch truyền thông 15/9–31/10/2024; tôn vinh ứng dụng số và dịch vụ "
        "công tiêu biểu trước 10/10; 10 ngày ra quân “đi từng ngõ, gõ từng nhà” 1–10/10/2024.",
        "windows": [
            ("communication", "Chiến dịch truyền thông", D(2024, 9, 15), D(2024, 10, 31)),
            ("door_to_door", "Đi từng ngõ, gõ từng nhà", D(2024, 10, 1), D(2024, 10, 10)),
            ("peak", "Sự kiện hưởng ứng trong tháng 10", D(2024, 10, 1), D(2024, 10, 31)),
        ],
        "key_dates": [
            (
                "ceremony",
                "Tọa đàm của Thủ tướng Chính phủ với Tổ công nghệ số cộng đồng tiêu biểu",
                D(2024, 10, 10),
                "",
            ),
            ("deadline", "Hạn nộp hồ sơ Giải thưởng Chuyển đổi số Việt Nam", D(2024, 6, 30), ""),
        ],
    },
    {
        "year": 2025,
        "theme": "Chuyển đổi số toàn dân, toàn diện, toàn trình để tăng tốc, bứt phá phát triển "
        "kinh tế số",
        "message": "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn",
        "legal_basis_number": "2873/QĐ-BKHCN",
        "legal_basis_date": D(2025, 9, 24),
        "legal_basis_issuer": "Bộ Khoa học và Công nghệ",
        "legal_basis_title": "Phê duyệt Kế hoạch triển khai Quyết định số 505/QĐ-TTg ngày "
        "22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia năm 2025",
        "summary": "Năm thứ tư tổ chức Ngày Chuyển đổi số quốc gia: đổi mới, sáng tạo để lan tỏa "
        "chuyển đổi số đến toàn dân.",
        "windows": [
            ("communication", "Chiến dịch truyền thông", D(2025, 10, 1), D(2025, 10, 10)),
            ("peak", "Tháng cao điểm", D(2025, 10, 1), D(2025, 10, 31)),
            ("door_to_door", "Đi từng ngõ, gõ từng nhà", D(2025, 10, 1), D(2025, 10, 10)),
        ],
        "key_dates": [
            ("event", "Ngày hội toàn dân học tập số", D(2025, 10, 10), ""),
            (
                "ceremony",
                "Lễ hưởng ứng Ngày Chuyển đổi số quốc gia",
                D(2025, 10, 21),
                "Lùi từ ngày 10/10 do ảnh hưởng của bão",
            ),
        ],
    },
]


def seed(stdout=None) -> None:
    catalogue_load()
    campaigns = {spec["year"]: _campaign(spec) for spec in CAMPAIGNS}
    national = Organisation.objects.filter(code="bo-khcn").first()
    if national is None:
        if stdout is not None:
            stdout.write("plans: chưa có đơn vị bo-khcn, bỏ qua kế hoạch mẫu.")
        return
    plan = _national_plan(campaigns[2025], national)
    province = Organisation.objects.filter(code="tinh-38").first()
    th_plan = _thanh_hoa_plan(plan, province) if province else None
    _demo_logins(province)
    if stdout is not None:
        stdout.write(
            f"Kế hoạch: {Plan.objects.count()}, phân công: {Assignment.objects.count()}"
            + (f", Thanh Hóa: {th_plan.tasks.count()} nhiệm vụ." if th_plan else ".")
        )


@transaction.atomic
def _campaign(spec: dict) -> Campaign:
    campaign = Campaign.objects.filter(year=spec["year"]).first()
    if campaign is not None:
        return campaign
    fields = {k: v for k, v in spec.items() if k not in {"year", "theme", "windows", "key_dates"}}
    campaign = services.campaign_create(by=None, year=spec["year"], theme=spec["theme"], **fields)
    for kind, name, starts_on, ends_on in spec["windows"]:
        services.campaign_window_save(
            campaign=campaign, by=None, kind=kind, name=name, starts_on=starts_on, ends_on=ends_on
        )
    for kind, name, date, note in spec["key_dates"]:
        services.key_date_save(
            campaign=campaign, by=None, kind=kind, name=name, date=date, note=note
        )
    return services.campaign_publish(campaign=campaign, by=None)


def _ind(*codes: str) -> list[Indicator]:
    return list(Indicator.objects.filter(code__in=codes))


def _window(campaign: Campaign, kind: str) -> CampaignWindow | None:
    return campaign.windows.filter(kind=kind).first()


NATIONAL_TITLE = "Kế hoạch triển khai Ngày Chuyển đổi số quốc gia năm 2025"


@transaction.atomic
def _national_plan(campaign: Campaign, national: Organisation) -> Plan:
    plan = Plan.objects.filter(campaign=campaign, organisation=national, parent=None).first()
    if plan is not None:
        return plan
    plan = services.plan_create(
        campaign=campaign,
        organisation=national,
        by=None,
        title=NATIONAL_TITLE,
        number="2873/QĐ-BKHCN",
        issued_on=D(2025, 9, 24),
        summary="Các hoạt động hưởng ứng mang tinh thần chung là đổi mới, sáng tạo để lan tỏa "
        "chuyển đổi số đến toàn dân; tổ chức từ 1/10 đến hết 10/10 hoặc trong toàn bộ tháng 10.",
    )
    codes = set(Organisation.objects.values_list("code", flat=True))
    tasks = [
        {
            "title": "Chiến dịch truyền thông “Chuyển đổi số: Nhanh hơn, hiệu quả hơn, "
            "gần dân hơn”",
            "description": "Thực hiện các hoạt động truyền thông về Ngày Chuyển đổi số quốc gia "
            "năm 2025 trên phương tiện thông tin đại chúng và mạng xã hội trong 10 ngày đầu "
            "tháng 10.",
            "category": "communication",
            "window": "communication",
            "deadline": D(2025, 10, 15),
            "indicators": ("articles", "videos", "social-posts", "people-reached"),
            "targets": [(G.MINISTRIES, None, "lead"), (G.PROVINCES, None, "lead"),
                        (G.UNIT, "bao-vietnamnet", "cooperate"),
                        (G.UNIT, "hoi-truyen-thong-so", "cooperate")],
        },
        {
            "title": "Tọa đàm về giải pháp thúc đẩy chuyển đổi số nhanh, hiệu quả, gần dân hơn "
            "gắn với phân cấp, phân quyền và mô hình chính quyền 2 cấp",
            "category": "event",
            "window": "peak",
            "deadline": D(2025, 10, 31),
            "indicators": ("events", "event-participants", "event-participants-online"),
            "targets": [(G.UNIT, "cuc-cds", "lead"), (G.UNIT, "bao-vietnamnet", "cooperate")],
        },
        {
            "title": "Chọn tối thiểu 03 lĩnh vực quản lý nhà nước để chuyển đổi số toàn diện, "
            "toàn trình; ứng dụng mạnh mẽ trí tuệ nhân tạo",
            "category": "sector",
            "window": "peak",
            "deadline": D(2025, 10, 31),
            "indicators": ("sectors-chosen", "procedures-end-to-end",
                           "procedures-location-independent"),
            "targets": [(G.MINISTRIES, None, "lead"), (G.PROVINCES, None, "lead")],
        },
        {
            "title": "Chiến dịch “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân kỹ năng số, "
            "sử dụng các dịch vụ số”",
            "description": "Các địa phương chủ trì triển khai thông qua hoạt động của Tổ công nghệ "
            "số cộng đồng.",
            "category": "door_to_door",
            "window": "door_to_door",
            "deadline": D(2025, 10, 15),
            "indicators": ("teams", "team-members", "households-visited", "people-guided",
                           "vneid-level2", "people-guided-public-services", "cashless-accounts",
                           "digital-safety-guided"),
            "targets": [(G.PROVINCES, None, "lead"), (G.UNIT, "doan-tw", "cooperate")],
        },
        {
            "title": "Ngày hội toàn dân học tập số",
            "description": "Kết hợp trực tuyến và trực tiếp: trải nghiệm, hướng dẫn sử dụng nền "
            "tảng, dịch vụ số, lớp học số cho cộng đồng.",
            "category": "learning",
            "window": "peak",
            "deadline": D(2025, 10, 20),
            "indicators": ("classes", "learners", "bhvs-enrolments", "bhvs-completions"),
            "targets": [(G.PROVINCES, None, "lead"), (G.MINISTRIES, None, "cooperate"),
                        (G.UNIT, "doan-tw", "cooperate")],
        },
        {
            "title": "Hoạt động hưởng ứng của hội, hiệp hội và doanh nghiệp công nghệ số; "
            "chính sách ưu đãi sản phẩm, dịch vụ số",
            "category": "offers",
            "window": "peak",
            "deadline": D(2025, 10, 31),
            "indicators": ("offers-published", "events"),
            "targets": [(G.UNIT, "hoi-truyen-thong-so", "lead"), (G.UNIT, "vnpt", "lead"),
                        (G.UNIT, "vnpost", "lead")],
        },
    ]  # fmt: skip
    for order, spec in enumerate(tasks, start=1):
        task = services.task_create(
            plan=plan,
            by=None,
            title=spec["title"],
            description=spec.get("description", ""),
            category=spec["category"],
            window=_window(campaign, spec["window"]),
            deadline=spec["deadline"],
            indicators=_ind(*spec["indicators"]),
            order=order * 10,
        )
        for group, code, role in spec["targets"]:
            if code is not None and code not in codes:
                continue  # be defensive: the orgs seed may not hold every named unit
            org = Organisation.objects.get(code=code) if code else None
            services.task_target_add(task=task, by=None, group=group, role=role, organisation=org)
        services.task_assign(task=task, by=None)
    _national_progress(plan)
    return plan


def _national_progress(plan: Plan) -> None:
    """Two ministries and a few provinces (not the two the other demos tell about) reported."""
    comm = plan.tasks.order_by("order").first()
    rows = comm.assignments.select_related("organisation").order_by("organisation__path")
    ministries = [a for a in rows if a.organisation.kind == Organisation.Kind.MINISTRY]
    provinces = [
        a
        for a in rows
        if a.organisation.kind == Organisation.Kind.PROVINCE
        and a.organisation.code not in {"tinh-38", "tinh-08"}
    ]
    for a in ministries[:2]:
        _backdate(a, Assignment.Status.ACCEPTED, D(2025, 10, 10))
    for a in provinces[:4]:
        _backdate(a, Assignment.Status.REPORTED, D(2025, 10, 14))
    for a in provinces[4:6]:
        _backdate(a, Assignment.Status.REPORTED, D(2025, 10, 20))  # late


TH_TITLE = (
    "Tuyên truyền, hưởng ứng Ngày Chuyển đổi số quốc gia năm 2025 và Ngày hội toàn dân học tập "
    "số trên địa bàn tỉnh Thanh Hóa"
)


@transaction.atomic
def _thanh_hoa_plan(parent: Plan, province: Organisation) -> Plan:
    existing = Plan.objects.filter(parent=parent, organisation=province).first()
    if existing is not None:
        return existing
    by_cat = {t.category: t for t in parent.tasks.all()}
    all_units = [
        {"group": G.DEPARTMENTS_OF, "role": "lead"},
        {"group": G.COMMUNES_OF, "role": "lead"},
        {"group": G.PRESS_OF, "role": "lead"},
    ]
    depts_communes = all_units[:2]
    communes = [{"group": G.COMMUNES_OF, "role": "lead"}]
    press = [{"group": G.PRESS_OF, "role": "lead"}]
    specs = [
        # 1. All agencies and units (departments, communes, press).
        {
            "parent_task": by_cat["communication"],
            "title": "Chiến dịch truyền thông lan tỏa Thông điệp “Chuyển đổi số: nhanh hơn, hiệu "
            "quả hơn, gần dân hơn” trên Trang/Cổng thông tin điện tử và mạng xã hội của đơn vị",
            "description": "Từ 01/10/2025 đến hết 10/10/2025: tin, bài viết, phóng sự, video clip "
            "về vai trò, ý nghĩa, lợi ích của chuyển đổi số; mô hình, cách làm hay gắn với chính "
            "quyền 02 cấp.",
            "deadline": D(2025, 10, 12),
            "targets": all_units,
        },
        {
            "parent_task": by_cat["sector"],
            "title": "Lựa chọn tối thiểu 03 lĩnh vực quản lý nhà nước để chuyển đổi số toàn diện, "
            "toàn trình; ứng dụng trí tuệ nhân tạo",
            "deadline": D(2025, 10, 31),
            "targets": depts_communes,
        },
        {
            "parent_task": by_cat["learning"],
            "title": "Tuyên truyền, hưởng ứng “Ngày hội toàn dân học tập số” ngày 10/10",
            "description": "Kết hợp trải nghiệm, hướng dẫn sử dụng các nền tảng, dịch vụ số, lớp "
            "học số cho cộng đồng.",
            "deadline": D(2025, 10, 15),
            "targets": depts_communes,
        },
        # 2. Commune committees.
        {
            "parent_task": by_cat["door_to_door"],
            "title": "Chủ trì Chiến dịch “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân kỹ "
            "năng số, sử dụng các dịch vụ số” qua Tổ công nghệ số cộng đồng",
            "deadline": D(2025, 10, 15),
            "targets": communes,
        },
        {
            "parent_task": by_cat["communication"],
            "title": "Tăng thời lượng tuyên truyền về Ngày Chuyển đổi số quốc gia trên đài truyền "
            "thanh cơ sở",
            "description": "Chỉ đạo Trung tâm cung ứng dịch vụ công: mục tiêu, nhiệm vụ trọng tâm "
            "phát triển chính quyền số, kinh tế số, xã hội số.",
            "category": "radio",
            "indicators": _ind("radio-broadcasts"),
            "deadline": D(2025, 10, 15),
            "targets": communes,
        },
        # 3. Press agencies of the province.
        {
            "parent_task": by_cat["communication"],
            "title": "Thông tin, tuyên truyền về Ngày Chuyển đổi số quốc gia năm 2025: chuyên đề, "
            "chuyên mục, phóng sự, tọa đàm; phản ánh hoạt động của Tổ công nghệ số cộng đồng",
            "deadline": D(2025, 10, 31),
            "targets": press,
        },
    ]
    plan = services.plan_cascade(
        parent_plan=parent,
        organisation=province,
        by=None,
        title=TH_TITLE,
        number="/SKHCN-CNTT&CĐS",
        issued_on=D(2025, 9, 30),
        summary="Thực hiện Công văn số 16650/UBND-CNXDKH ngày 29/9/2025 của UBND tỉnh. Kính gửi: "
        "các sở, ban, ngành cấp tỉnh; UBND các xã, phường; các cơ quan báo chí trong tỉnh.",
        tasks=specs,
    )
    _demo_progress(plan)
    return plan


def _backdate(assignment: Assignment, status: str, day: D) -> None:
    services.assignment_status_set(assignment=assignment, status=status, by=None)
    when = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=VN)
    fields = {"first_reported_at": when}
    if status == Assignment.Status.ACCEPTED:
        fields["accepted_at"] = when + datetime.timedelta(days=1)
    Assignment.objects.filter(pk=assignment.pk).update(**fields)


def _demo_progress(plan: Plan) -> None:
    """Some reported on time, one late, the rest left late; then remind a few."""
    comm = plan.tasks.order_by("order").first()
    assignments = list(comm.assignments.select_related("organisation").order_by("pk"))
    depts = [a for a in assignments if a.organisation.kind == Organisation.Kind.DEPARTMENT]
    press = [a for a in assignments if a.organisation.kind == Organisation.Kind.PRESS]
    communes = [a for a in assignments if a.organisation.kind == Organisation.Kind.COMMUNE]
    for a in depts[:2] + press[:1]:
        _backdate(a, Assignment.Status.ACCEPTED, D(2025, 10, 9))
    for a in communes[:3]:
        _backdate(a, Assignment.Status.REPORTED, D(2025, 10, 11))
    for a in communes[3:5]:
        _backdate(a, Assignment.Status.REPORTED, D(2025, 10, 14))  # after the 12/10 deadline
    services.assignments_mark_late(today=timezone.localdate())
    late = [a for a in communes[5:10]]
    if late:
        services.reminders_send(
            day=timezone.localdate(), assignment_ids=[a.pk for a in late], by=None
        )


def _demo_logins(province: Organisation | None) -> None:
    from dxday.orgs.demo import demo_account

    if province is None:
        return
    press = Organisation.objects.filter(
        kind=Organisation.Kind.PRESS, path__startswith=province.path
    ).first()
    if press is not None:
        demo_account(
            username="thanhhoa.baochi.baocao",
            role=Role.REPORTER,
            org_code=press.code,
            full_name="Trịnh Văn Báo",
        )
