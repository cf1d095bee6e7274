"""Demo: the Vietnam Digital Awards 2024 (seed 004: five categories, entries until 30/6/2024,
ceremony in early October) with entries in every category, two panels, a declared conflict,
scores and published results; and the 2024 honours of digital apps and typical public services
with nominations from ministries and provinces and a public vote under way."""

from __future__ import annotations

import datetime
import decimal
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from dxday.identity.models import Identity
from dxday.identity.services import contact_hash
from dxday.orgs.demo import demo_account
from dxday.orgs.models import Membership, Organisation, Role, User
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from . import services
from .models import Assignment, Category, Criterion, Entry, Juror, Panel, Programme

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VDA_NAME = "Giải thưởng Chuyển đổi số Việt Nam 2024 (VDA 2024)"
HONOURS_NAME = "Tôn vinh ứng dụng số và dịch vụ công tiêu biểu năm 2024"
APPLICANT_EMAIL = "ung.vien@demo.dxday.vn"
VOTER_EMAIL = "cu.tri@demo.dxday.vn"
JUROR_USERNAME = "giamkhao.vda"

CRITERIA = [("Hiệu quả, tác động thực tế", 4), ("Tính sáng tạo, đổi mới", 3),
            ("Khả năng nhân rộng", 2), ("Mức độ hoàn thiện hồ sơ", 1)]  # fmt: skip
# Seed 004's wording, category by category, with the eligibility the entry form enforces.
CATEGORIES = [
    ("1", "Cơ quan nhà nước chuyển đổi số xuất sắc",
     "Trao cho cơ quan Đảng, Nhà nước, các tổ chức chính trị – xã hội các cấp có quá trình "
     "chuyển đổi số mạnh mẽ từ mô hình truyền thống sang môi trường quản lý, làm việc dựa trên "
     "nền tảng công nghệ số.",
     {"applicant_kinds": ["organisation"], "org_types": ["state_agency"], "foreign": "no"}),
    ("2", "Doanh nghiệp, đơn vị sự nghiệp chuyển đổi số xuất sắc",
     "Trao cho những doanh nghiệp, đơn vị sự nghiệp thuộc nhiều lĩnh vực đã có quá trình ứng "
     "dụng công nghệ số để thay đổi mô hình quản lý, sản xuất, kinh doanh, chuyển đổi số thành "
     "công.",
     {"applicant_kinds": ["organisation"], "org_types": ["enterprise", "public_service_unit"],
      "foreign": "no"}),
    ("3", "Sản phẩm, dịch vụ, giải pháp công nghệ số xuất sắc",
     "Trao cho tổ chức, cá nhân hoạt động trong lĩnh vực công nghệ thông tin và truyền thông sở "
     "hữu các sản phẩm, dịch vụ, giải pháp công nghệ số xuất sắc, hướng đến giải quyết các vấn "
     "đề, nhu cầu thực tiễn của cuộc sống.",
     {"foreign": "no"}),
    ("4", "Sản phẩm, giải pháp chuyển đổi số vì cộng đồng",
     "Trao cho tổ chức được thành lập tại Việt Nam; có đại diện pháp nhân tại Việt Nam hoặc cá "
     "nhân là người Việt; người nước ngoài có thẻ thường trú tại Việt Nam sở hữu giải pháp công "
     "nghệ số mang tới hiệu quả cao cho người thiệt thòi về năng lực, người có sức mua thấp, cho "
     "những hoạt động, sự kiện, phong trào có ý nghĩa xã hội cao, có tính nhân văn sâu sắc.",
     {"presence_in_vietnam": True}),
    ("5", "Sản phẩm, dịch vụ, giải pháp công nghệ nước ngoài",
     "Trao cho tổ chức nước ngoài có đại diện pháp nhân tại Việt Nam hoặc cá nhân nước ngoài có "
     "thẻ thường trú tại Việt Nam hoạt động trong lĩnh vực công nghệ thông tin và truyền thông, "
     "sở hữu các sản phẩm, dịch vụ, giải pháp công nghệ số tiêu biểu, góp phần xây dựng chính "
     "phủ số, phát triển kinh tế số, xã hội số, giải quyết những vấn đề thực tiễn cấp bách tại "
     "Việt Nam.",
     {"foreign": "only", "presence_in_vietnam": True}),
]  # fmt: skip
QUESTIONS = [
    {"key": "tom_tat", "label": "Tóm tắt sản phẩm, giải pháp hoặc quá trình chuyển đổi số",
     "required": True},
    {"key": "ket_qua", "label": "Kết quả, số liệu đo được", "required": True},
    {"key": "nguoi_dung", "label": "Người dùng, phạm vi triển khai", "required": False},
]  # fmt: skip
# Applicants that are nodes of the tree: their entries count in their unit's report.
LINKED = {"Sở Khoa học và Công nghệ Thanh Hóa": "th-so-khcn", "UBND phường Hạc Thành": "xa-14797"}
# (category, applicant name, kind, org type, foreign, entry title)
ENTRIES = [
    ("1", "Sở Khoa học và Công nghệ Thanh Hóa", "organisation", "state_agency", False,
     "Hệ thống điều hành tác nghiệp không giấy tờ"),
    ("1", "UBND phường Hạc Thành", "organisation", "state_agency", False,
     "Chính quyền phường số: một cửa trên điện thoại"),
    ("2", "Bệnh viện Đa khoa tỉnh Tuyên Quang", "organisation", "public_service_unit", False,
     "Bệnh án điện tử và thanh toán không dùng tiền mặt"),
    ("2", "Công ty Cổ phần Chè Mỹ Lâm", "organisation", "enterprise", False,
     "Truy xuất nguồn gốc chè đặc sản bằng mã QR"),
    ("3", "Công ty Cổ phần Giải pháp số Sao Mai", "organisation", "enterprise", False,
     "Nền tảng họp trực tuyến bảo mật cho cơ quan nhà nước"),
    ("3", "Công ty TNHH Phần mềm Nam Việt", "organisation", "ict_organisation", False,
     "Trợ lý ảo trả lời thủ tục hành chính"),
    ("4", "Hợp tác xã Nông nghiệp số Quảng Phú", "organisation", "other", False,
     "Chợ nông sản trực tuyến cho hộ nghèo"),
    ("4", "Nhóm tình nguyện Bình dân học vụ số", "organisation", "other", False,
     "Lớp kỹ năng số miễn phí cho người cao tuổi"),
    ("5", "Công ty TNHH Công nghệ Sakura Việt Nam", "organisation", "enterprise", True,
     "Nền tảng nhận dạng chữ viết tay tiếng Việt cho lưu trữ số"),
    ("5", "Công ty TNHH Dữ liệu Aurora Việt Nam", "organisation", "enterprise", True,
     "Hệ thống cảnh báo sạt lở đất từ dữ liệu vệ tinh"),
]  # fmt: skip
JURORS = [
    (JUROR_USERNAME, "PGS.TS. Nguyễn Thị Thu Hằng", "Đại học Bách khoa Hà Nội", "A"),
    ("giamkhao.vda.2", "TS. Trần Quốc Bảo", "Hội Tin học Việt Nam", "A"),
    ("giamkhao.vda.3", "ThS. Lê Minh Châu", "Phòng Thương mại và Công nghiệp Việt Nam", "A"),
    ("giamkhao.vda.4", "TS. Phạm Đức Long", "Đại học Quốc gia Hà Nội", "B"),
    ("giamkhao.vda.5", "Bà Vũ Thị Ngọc Anh", "Hiệp hội Phần mềm và Dịch vụ CNTT", "B"),
    ("giamkhao.vda.6", "Ông Hoàng Văn Sơn", "Viện Chiến lược Thông tin và Truyền thông", "B"),
]  # fmt: skip
CANDIDATES = [
    ("bo-cong-an", "app", "Ứng dụng định danh điện tử VNeID",
     "Tài khoản định danh điện tử mức 2 dùng để làm thủ tục, khám chữa bệnh, đi máy bay.",
     "https://vneid.gov.vn"),
    ("bo-tai-chinh", "public_service", "Nộp thuế điện tử cho hộ kinh doanh",
     "Hộ kinh doanh khai và nộp thuế trên điện thoại, không phải đến cơ quan thuế.", ""),
    ("bo-y-te", "app", "Sổ sức khỏe điện tử",
     "Lịch sử khám chữa bệnh và tiêm chủng của người dân trên VNeID.", ""),
    ("tinh-38", "public_service", "Cấp phiếu lý lịch tư pháp trực tuyến tại Thanh Hóa",
     "Nhận hồ sơ và trả kết quả trực tuyến, thanh toán phí không dùng tiền mặt.", ""),
    ("tinh-08", "app", "Du lịch thông minh Tuyên Quang",
     "Bản đồ điểm đến, vé điện tử và thuyết minh tự động cho du khách.", ""),
    ("tinh-08", "public_service", "Đăng ký khai sinh liên thông trực tuyến",
     "Một hồ sơ cho khai sinh, thường trú và thẻ bảo hiểm y tế trẻ em dưới 6 tuổi.", ""),
    ("vnpt", "app", "Nền tảng điều hành thông minh cấp xã",
     "Bảng điều khiển số liệu kinh tế – xã hội cho chính quyền cấp xã sau sắp xếp.", ""),
]  # fmt: skip


def _dt(y, m, d, hh=0, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


def _system(org: Organisation) -> Actor:
    """The demo loader acting for `org` (an operator: it writes through the services)."""
    user = User(username="demo", is_superuser=True, is_active=True)
    return Actor(user=user, membership=Membership(organisation=org, role=Role.COORDINATOR))


def _identity(email: str) -> Identity:
    identity, _ = Identity.objects.get_or_create(
        kind="email",
        contact_hash=contact_hash("email", email),
        defaults={
            "contact_masked": f"{email[:2]}***@{email.partition('@')[2]}",
            "verified_at": timezone.now(),
        },
    )
    return identity


def seed(stdout=None) -> None:
    vda = _vda()
    honours = _honours()
    if stdout is not None:
        stdout.write(
            f"Giải thưởng: {vda.entries.count()} hồ sơ VDA 2024, "
            f"{honours.candidates.count()} đề cử tôn vinh."
        )


@transaction.atomic
def _vda() -> Programme:
    found = Programme.objects.filter(name=VDA_NAME).first()
    if found is not None:
        return found
    organiser = Organisation.objects.get(code="hoi-truyen-thong-so")
    by = _system(organiser)
    programme = Programme.objects.create(
        kind=Programme.Kind.AWARD, campaign=Campaign.objects.filter(year=2024).first(),
        year=2024, name=VDA_NAME, organiser=organiser,
        organiser_label="Hội Truyền thông số Việt Nam (VDCA) chủ trì, Bộ Thông tin và Truyền "
        "thông bảo trợ, VietTimes tổ chức thực hiện",
        rules="Giải thưởng vinh danh các cơ quan, tổ chức, cá nhân có thành tích chuyển đổi số "
        "xuất sắc trên 5 hạng mục. Ban Tổ chức nhận hồ sơ trực tuyến đến ngày 30/6/2024. Lễ tôn "
        "vinh được tổ chức trang trọng, tường thuật trực tiếp trên truyền hình vào đầu tháng "
        "10/2024.",
        entries_open=_dt(2024, 3, 1), entries_close=_dt(2024, 6, 30, 23, 59),
        ceremony_on=datetime.date(2024, 10, 5), jurors_per_entry=3, max_load=6,
    )  # fmt: skip
    for order, (code, name, description, rules) in enumerate(CATEGORIES, start=1):
        cat = Category.objects.create(
            programme=programme, code=code, name=name, description=description,
            eligibility=rules, questions=QUESTIONS, order=order,
        )  # fmt: skip
        for i, (cname, weight) in enumerate(CRITERIA):
            Criterion.objects.create(category=cat, name=cname, weight=weight, order=i)
    panel_a = Panel.objects.create(programme=programme, name="Tiểu ban Khu vực công")
    panel_a.categories.set(programme.categories.filter(code__in=["1", "2"]))
    panel_b = Panel.objects.create(programme=programme, name="Tiểu ban Sản phẩm, giải pháp")
    panel_b.categories.set(programme.categories.filter(code__in=["3", "4", "5"]))
    panels = {"A": panel_a, "B": panel_b}
    jurors = []
    for username, name, affiliation, panel in JURORS:
        if username == JUROR_USERNAME:
            user = demo_account(
                username=username, role=Role.JUROR, org_code=organiser.code, full_name=name
            )
        else:
            user, _ = User.objects.get_or_create(username=username, defaults={"full_name": name})
            Membership.objects.get_or_create(user=user, organisation=organiser, role=Role.JUROR)
        juror = Juror.objects.create(
            programme=programme, user=user, name=name, affiliation=affiliation
        )
        juror.panels.add(panels[panel])
        jurors.append(juror)
    # Entries: drafted and submitted inside the entry window.
    with _at(_dt(2024, 6, 20, 9)):
        entries = []
        for i, (code, applicant_name, kind, org_type, foreign, title) in enumerate(ENTRIES):
            identity = _identity(APPLICANT_EMAIL if i == 4 else f"ho.so{i}@demo.dxday.vn")
            applicant = services.applicant_register(
                identity=identity, kind=kind, name=applicant_name, org_type=org_type,
                is_foreign=foreign, has_vn_representative=foreign,
            )  # fmt: skip
            node = Organisation.objects.filter(code=LINKED.get(applicant_name, "")).first()
            if node is not None:
                services.applicant_link(
                    by=by, programme=programme, applicant=applicant, organisation=node
                )
            entry = services.entry_save(
                applicant=applicant, programme=programme,
                category=programme.categories.get(code=code), title=title,
                answers={"tom_tat": f"{title}: triển khai từ năm 2022, phục vụ người dân và "
                         "doanh nghiệp trên địa bàn.",
                         "ket_qua": "Giảm 60% thời gian xử lý hồ sơ; hơn 120.000 lượt sử dụng."},
                video_link="",
            )  # fmt: skip
            entries.append(services.entry_submit(applicant=applicant, entry=entry))
    # A conflict: a juror of panel B advises one of the applicants.
    services.conflict_add(
        by=_system(organiser), juror=jurors[3],
        organisation_name="Công ty TNHH Phần mềm Nam Việt", relation="advisory",
        starts_on=datetime.date(2023, 1, 1),
    )  # fmt: skip
    services.phase_set(by=by, programme=programme, phase="screening")
    for entry in entries:
        services.entry_screen(by=by, entry=entry, verdict="eligible")
    outcome = services.assignments_auto(by=by, programme=programme)
    # Panel B has three jurors and one is conflicted with an applicant: the organiser lends a
    # juror of panel A to that entry by hand.
    for entry in Entry.objects.filter(pk__in=outcome["short_entries"]):
        services.assignment_add(by=by, entry=entry, juror=jurors[2])
    services.phase_set(by=by, programme=programme, phase="scoring")
    rng = random.Random(2024)
    strictness = {j.pk: rng.uniform(-1.2, 0.8) for j in jurors}
    quality = {e.pk: rng.uniform(5.5, 9.2) for e in entries}
    for assignment in Assignment.objects.filter(entry__programme=programme).select_related(
        "juror__user", "entry"
    ):
        actor = Actor(
            user=assignment.juror.user,
            membership=Membership(organisation=organiser, role=Role.JUROR),
        )
        scores = {}
        for c in Criterion.objects.filter(category=assignment.entry.category_id):
            raw = quality[assignment.entry_id] + strictness[assignment.juror_id]
            raw += rng.uniform(-0.6, 0.6)
            scores[c.pk] = decimal.Decimal(str(round(max(0, min(c.scale_max, raw)), 1)))
        services.review_save(by=actor, assignment=assignment, scores=scores, submit=True)
    services.phase_set(by=by, programme=programme, phase="deliberation")
    from .selectors import ranking

    for code in "12345":
        rows = [r for r in ranking(programme) if r.entry.category.code == code]
        for place, row in enumerate(rows):
            services.result_set(
                by=by, entry=row.entry, award="winner" if place == 0 else "mention",
                citation=(
                    "Được Hội đồng giám khảo đánh giá cao nhất hạng mục về hiệu quả và tác động "
                    "thực tế." if place == 0 else "Được ghi nhận về tính sáng tạo và khả năng "
                    "nhân rộng."
                ),
            )  # fmt: skip
    services.results_publish(by=by, programme=programme)
    return programme


class _at:
    """Freeze "now" for the services while the demo replays the past (the 2024 entry window)."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        from . import services as pkg

        self._originals = (pkg.entries.now, pkg.jury.now)
        pkg.entries.now = lambda: self.moment
        pkg.jury.now = lambda: self.moment
        return self

    def __exit__(self, *exc):
        from . import services as pkg

        pkg.entries.now, pkg.jury.now = self._originals
        return False


@transaction.atomic
def _honours() -> Programme:
    found = Programme.objects.filter(name=HONOURS_NAME).first()
    if found is not None:
        return found
    national = Organisation.objects.get(code="bo-khcn")
    now = timezone.now()
    programme = Programme.objects.create(
        kind=Programme.Kind.HONOURS, campaign=Campaign.objects.filter(year=2024).first(),
        year=2024, name=HONOURS_NAME, organiser=national,
        organiser_label="Bộ Khoa học và Công nghệ (Cục Chuyển đổi số quốc gia)",
        rules="Các Bộ, ngành, địa phương, hội, hiệp hội và doanh nghiệp đề xuất ứng dụng số và "
        "dịch vụ công tiêu biểu; Ban Tổ chức chọn danh sách bình chọn; kết quả kết hợp đánh giá "
        "của Ban Tổ chức (60%) và bình chọn của người dân (40%).",
        entries_open=now - datetime.timedelta(days=30),
        entries_close=now + datetime.timedelta(days=5),
        votes_open=now - datetime.timedelta(days=2),
        votes_close=now + datetime.timedelta(days=30),
        ceremony_on=datetime.date(2024, 10, 10), votes_per_person=3, vote_weight="0.40",
    )  # fmt: skip
    by = _system(national)
    rng = random.Random(10)
    candidates = []
    for code, kind, name, description, link in CANDIDATES:
        unit = Organisation.objects.get(code=code)
        c = services.candidate_nominate(
            by=_system(unit), programme=programme, kind=kind, name=name,
            description=description, link=link,
        )  # fmt: skip
        services.candidate_shortlist(
            by=by, candidate=c, shortlisted=True, assessment=rng.randint(70, 95)
        )
        candidates.append(c)
    for i in range(60):
        voter = _identity(f"binh.chon{i}@demo.dxday.vn")
        for c in rng.sample(candidates, k=rng.randint(1, 3)):
            services.vote_cast(identity=voter, candidate=c)
    _identity(VOTER_EMAIL)
    return programme


def demo_account_lines() -> list[str]:
    return [
        f"{APPLICANT_EMAIL} — đơn vị dự thi VDA (xác minh tại /xac-minh/, mã in trên màn hình "
        "máy chủ)",
        f"{VOTER_EMAIL} — người bình chọn tôn vinh (xác minh tại /xac-minh/)",
    ]
