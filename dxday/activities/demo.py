"""Demo activities, state-management areas and offers. Runs after the orgs and plans seeds;
idempotent (an activity is looked up by unit, campaign and title; an offer by provider and title).

- Tuyên Quang's 2025 activities from seed 003 (multimedia communication, the learning festival at
  grassroots, AI / Big Data training for officials, location-independent procedures, an online
  contest), reported by the province against the national plan's tasks.
- Thanh Hóa commune and press reports against the cascaded plan (seed 002): some accepted and
  published, one awaiting review, one returned with its reason.
- Offers of seed 001 (2022): e-commerce promotion on Postmart and Vỏ sò 1–10/10, the digital
  signature offer of the National Electronic Authentication Centre; VietNamNet's community
  initiative as an activity; one 2025 offer waiting for moderation.
- Bộ Tài chính with three areas, Bộ Y tế with one (flagged).

Figures are illustrative demo values, not official statistics.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dxday.orgs.models import Membership, Organisation, Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Assignment, Campaign

from . import services
from .models import Activity, Offer, Sector

D = datetime.date
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _log(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _actor(username: str, role: str, org_code: str, full_name: str) -> Actor | None:
    from dxday.orgs.demo import demo_account

    if not Organisation.objects.filter(code=org_code).exists():
        return None
    user = demo_account(username=username, role=role, org_code=org_code, full_name=full_name)
    membership = Membership.objects.select_related("organisation").get(
        user=user, organisation__code=org_code, role=role
    )
    return Actor(user=user, membership=membership)


def _photo(seed: int) -> SimpleUploadedFile:
    """A small generated picture (a banner in the campaign colours) as demo evidence."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (11, 58, 110))
    draw = ImageDraw.Draw(image)
    for i in range(0, 640, 40):
        shade = (20 + (i + seed * 37) % 120, 84, 156)
        draw.rectangle([i, 240, i + 38, 360], fill=shade)
    draw.ellipse([40 + seed * 30 % 400, 60, 200 + seed * 30 % 400, 220], fill=(179, 20, 27))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"anh-{seed}.png", buffer.getvalue(), content_type="image/png")


def _assignment(org_code: str, campaign: Campaign, category: str) -> Assignment | None:
    return (
        Assignment.objects.filter(
            organisation__code=org_code,
            task__plan__campaign=campaign,
            task__category=category,
        )
        .select_related("task")
        .order_by("task__plan__organisation__depth", "task__order", "pk")
        .last()
    )


def _report(
    *,
    reporter: Actor,
    campaign: Campaign,
    organisation: Organisation,
    assignment: Assignment | None,
    spec: dict,
    reviewer: Actor | None,
    outcome: str,
    photo: int | None = None,
) -> Activity | None:
    """Create, submit and review one activity unless it exists. outcome: draft, submitted,
    accepted or returned:<reason>."""
    if Activity.objects.filter(
        organisation=organisation, campaign=campaign, title=spec["title"]
    ).exists():
        return None
    values = spec.pop("values", {})
    allowed = {i.code for i in assignment.task.indicators.all()} if assignment is not None else None
    if allowed is not None:
        values = {k: v for k, v in values.items() if k in allowed}
    with transaction.atomic():
        activity = services.activity_create(
            by=reporter,
            assignment=assignment,
            organisation=organisation,
            campaign=campaign,
            data=spec,
            values=values,
        )
        if photo is not None:
            services.evidence_add(activity=activity, by=reporter, upload=_photo(photo))
        if outcome == "draft":
            return activity
        services.activity_submit(activity=activity, by=reporter)
        if outcome == "accepted" and reviewer is not None:
            services.activity_accept(activity=activity, by=reviewer)
        elif outcome.startswith("returned:") and reviewer is not None:
            services.activity_return(activity=activity, by=reviewer, reason=outcome[9:])
        # Backdate the workflow into the campaign, as if it happened then.
        when = datetime.datetime.combine(spec["ends_on"], datetime.time(16, 0), tzinfo=VN)
        Activity.objects.filter(pk=activity.pk).update(
            submitted_at=when,
            reviewed_at=when + datetime.timedelta(days=2) if outcome != "submitted" else None,
            published_at=when + datetime.timedelta(days=2) if outcome == "accepted" else None,
        )
    return activity


def seed(stdout=None) -> None:
    campaigns = {c.year: c for c in Campaign.objects.filter(year__in=[2022, 2024, 2025])}
    if 2025 not in campaigns:
        _log(stdout, "activities: chưa có chiến dịch 2025, bỏ qua dữ liệu mẫu.")
        return
    national = _actor("qg.dieuphoi", Role.COORDINATOR, "bo-khcn", "Nguyễn Minh Quân")
    if national is None:
        _log(stdout, "activities: chưa có đơn vị bo-khcn, bỏ qua dữ liệu mẫu.")
        return
    created = _tuyen_quang(campaigns[2025], national) + _thanh_hoa(campaigns[2025])
    _sectors(campaigns[2025], national)
    created += _offers(campaigns, national)
    _log(
        stdout,
        f"Hoạt động: thêm {created}, tổng {Activity.objects.count()}, "
        f"công khai {Activity.objects.filter(is_published=True).count()}; "
        f"ưu đãi {Offer.objects.count()}; lĩnh vực {Sector.objects.count()}.",
    )


def _tuyen_quang(campaign: Campaign, national: Actor) -> int:
    tq = _actor("tuyenquang.dieuphoi", Role.COORDINATOR, "tinh-08", "Nông Thị Lan")
    if tq is None:
        return 0
    org = tq.organisation
    specs = [
        (
            "communication",
            {
                "title": "Chiến dịch truyền thông đa phương tiện hưởng ứng Ngày Chuyển đổi số "
                "quốc gia năm 2025 tại Tuyên Quang",
                "type": "communication",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Truyền thông trên báo chí, phát thanh - truyền hình, Cổng thông "
                "tin điện tử tỉnh, mạng xã hội, pano, áp phích, truyền thông lưu động, tin nhắn "
                "viễn thông về lợi ích và vai trò của chuyển đổi số; thông điệp “Chuyển đổi số: "
                "Nhanh hơn - Hiệu quả hơn - Gần dân hơn”.",
                "values": {
                    "articles": 186,
                    "videos": 24,
                    "social-posts": 410,
                    "people-reached": 350000,
                },
            },
            "accepted",
            1,
        ),
        (
            "learning",
            {
                "title": "“Ngày hội toàn dân học tập số” tại cơ sở",
                "type": "learning",
                "starts_on": D(2025, 10, 10),
                "ends_on": D(2025, 10, 10),
                "description": "Hướng dẫn người dân kỹ năng số cơ bản, truy cập và sử dụng dịch "
                "vụ công trực tuyến, ứng dụng thanh toán không dùng tiền mặt và các nền tảng số "
                "phục vụ đời sống, sản xuất.",
                "values": {"classes": 95, "learners": 6200, "bhvs-enrolments": None},
            },
            "accepted",
            2,
        ),
        (
            "learning",
            {
                "title": "Tập huấn kỹ năng số cho cán bộ, công chức, viên chức: trí tuệ nhân tạo "
                "(AI), dữ liệu lớn (Big Data)",
                "type": "learning",
                "starts_on": D(2025, 10, 14),
                "ends_on": D(2025, 10, 16),
                "is_online": True,
                "description": "Trang bị kiến thức về trí tuệ nhân tạo, dữ liệu lớn, ứng dụng "
                "công nghệ thông tin, chuyển đổi số và kỹ năng làm việc trên môi trường số.",
                "values": {"classes": 4, "learners": 480},
            },
            "accepted",
            None,
        ),
        (
            "sector",
            {
                "title": "Triển khai mô hình “Giải quyết thủ tục hành chính phi địa giới”",
                "type": "initiative",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Người dân, doanh nghiệp nộp và nhận kết quả thủ tục hành chính "
                "tại bất kỳ điểm tiếp nhận nào trong tỉnh, không phụ thuộc nơi cư trú.",
                "values": {"procedures-location-independent": 1200, "procedures-end-to-end": None},
            },
            "accepted",
            3,
        ),
        (
            None,
            {
                "title": "Cuộc thi trực tuyến tìm hiểu về chuyển đổi số và Nghị quyết về đột "
                "phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                "type": "contest",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 25),
                "is_online": True,
                "description": "Dành cho cán bộ, công chức, viên chức, đoàn viên, hội viên và "
                "nhân dân các dân tộc sinh sống, học tập và lao động trên địa bàn tỉnh.",
                "values": {"contest-participants": 21500, "contest-attempts": 48700},
            },
            "submitted",
            None,
        ),
    ]
    created = 0
    for category, spec, outcome, photo in specs:
        assignment = _assignment("tinh-08", campaign, category) if category else None
        done = _report(
            reporter=tq,
            campaign=campaign,
            organisation=org,
            assignment=assignment,
            spec=spec,
            reviewer=national,
            outcome=outcome,
            photo=photo,
        )
        created += done is not None
    return created


def _thanh_hoa(campaign: Campaign) -> int:
    th = _actor("thanhhoa.dieuphoi", Role.COORDINATOR, "tinh-38", "Lê Văn Thành")
    if th is None:
        return 0
    province = th.organisation
    hac_thanh = _actor("thanhhoa.hacthanh.baocao", Role.REPORTER, "xa-14797", "Hoàng Văn Đức")
    communes = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNE,
            path__startswith=province.path,
            assignments__task__plan__campaign=campaign,
        )
        .exclude(code="xa-14797")
        .distinct()
        .order_by("path")[:3]
    )
    press = (
        Organisation.objects.filter(kind=Organisation.Kind.PRESS, path__startswith=province.path)
        .order_by("path")
        .first()
    )
    created = 0
    if hac_thanh is not None:
        org = hac_thanh.organisation
        for category, spec, outcome, photo in [
            (
                "radio",
                {
                    "title": "Tăng thời lượng phát thanh về Ngày Chuyển đổi số quốc gia trên đài "
                    "truyền thanh phường Hạc Thành",
                    "type": "radio",
                    "starts_on": D(2025, 10, 1),
                    "ends_on": D(2025, 10, 10),
                    "description": "Phát các bản tin về chính quyền số, kinh tế số, xã hội số và "
                    "thông điệp Ngày Chuyển đổi số quốc gia năm 2025, sáng và chiều mỗi ngày.",
                    "values": {"radio-broadcasts": 20},
                },
                "accepted",
                4,
            ),
            (
                "door_to_door",
                {
                    "title": "Ra quân “Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân” tại "
                    "phường Hạc Thành",
                    "type": "door_to_door",
                    "starts_on": D(2025, 10, 1),
                    "ends_on": D(2025, 10, 10),
                    "description": "Tổ công nghệ số cộng đồng hướng dẫn người dân kích hoạt định "
                    "danh điện tử mức 2, sử dụng dịch vụ công trực tuyến và thanh toán không dùng "
                    "tiền mặt.",
                    "values": {
                        "teams": 18,
                        "households-visited": 1450,
                        "people-guided": 2300,
                        "vneid-level2": 640,
                        "people-guided-public-services": 910,
                        "cashless-accounts": None,
                    },
                },
                "accepted",
                5,
            ),
        ]:
            done = _report(
                reporter=hac_thanh,
                campaign=campaign,
                organisation=org,
                assignment=_assignment(org.code, campaign, category),
                spec=spec,
                reviewer=th,
                outcome=outcome,
                photo=photo,
            )
            created += done is not None
    outcomes = [
        ("accepted", "Lan tỏa thông điệp Ngày Chuyển đổi số trên trang thông tin điện tử của xã"),
        ("submitted", "Tuyên truyền Ngày Chuyển đổi số quốc gia trên mạng xã hội của xã"),
        (
            "returned:Thiếu ảnh minh chứng và số lượt tiếp cận; đề nghị bổ sung rồi gửi lại.",
            "Hưởng ứng Ngày hội toàn dân học tập số tại nhà văn hóa",
        ),
    ]
    for commune, (outcome, title) in zip(communes, outcomes, strict=False):
        spec = {
            "title": f"{title} ({commune.name})",
            "type": "communication",
            "starts_on": D(2025, 10, 2),
            "ends_on": D(2025, 10, 10),
            "description": "Đăng tin, bài về vai trò, ý nghĩa, lợi ích của chuyển đổi số và các "
            "mô hình, cách làm hay gắn với chính quyền 02 cấp.",
            "values": {"articles": 6, "social-posts": 15, "people-reached": None},
        }
        done = _report(
            reporter=th,
            campaign=campaign,
            organisation=commune,
            assignment=_assignment(commune.code, campaign, "communication"),
            spec=spec,
            reviewer=th,
            outcome=outcome,
            photo=None,
        )
        created += done is not None
    if press is not None:
        done = _report(
            reporter=th,
            campaign=campaign,
            organisation=press,
            assignment=_assignment(press.code, campaign, "communication"),
            spec={
                "title": "Chuyên mục “Chuyển đổi số” và tọa đàm về Tổ công nghệ số cộng đồng",
                "type": "communication",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "description": "Chuyên đề, chuyên mục, phóng sự, tọa đàm về Ngày Chuyển đổi số "
                "quốc gia năm 2025; phản ánh hoạt động của các Tổ công nghệ số cộng đồng.",
                "links": "https://baothanhhoa.vn",
                "values": {"articles": 42, "videos": 12, "people-reached": 185000},
            },
            reviewer=th,
            outcome="accepted",
            photo=6,
        )
        created += done is not None
    return created


SECTORS = {
    "bo-tai-chinh": [
        (
            "Thuế",
            "Toàn bộ thủ tục kê khai, nộp thuế thực hiện trực tuyến toàn trình.",
            80,
            "Trợ lý ảo trả lời người nộp thuế; phân tích rủi ro hồ sơ bằng AI.",
            [(D(2025, 10, 1), "Kết nối dữ liệu hóa đơn điện tử với cơ sở dữ liệu dân cư")],
        ),
        (
            "Hải quan",
            "Thông quan điện tử toàn trình cho hàng hóa xuất nhập khẩu.",
            70,
            "Nhận dạng hình ảnh soi chiếu container bằng AI.",
            [(D(2025, 12, 31), "Hoàn thành cơ chế một cửa quốc gia thế hệ mới")],
        ),
        (
            "Đăng ký doanh nghiệp",
            "Đăng ký thành lập doanh nghiệp trực tuyến, không giấy tờ.",
            60,
            "Kiểm tra tự động hồ sơ đăng ký bằng AI.",
            [],
        ),
    ],
    "bo-y-te": [
        (
            "Khám bệnh, chữa bệnh",
            "Bệnh án điện tử tại tất cả bệnh viện tuyến trung ương.",
            45,
            "Hỗ trợ chẩn đoán hình ảnh bằng AI.",
            [(D(2025, 12, 31), "100% bệnh viện tuyến trung ương triển khai bệnh án điện tử")],
        ),
    ],
}


@transaction.atomic
def _sectors(campaign: Campaign, national: Actor) -> int:
    created = 0
    for code, specs in SECTORS.items():
        ministry = Organisation.objects.filter(code=code).first()
        if ministry is None:
            continue
        for name, target, progress, ai, milestones in specs:
            if Sector.objects.filter(organisation=ministry, name=name).exists():
                continue
            sector = services.sector_create(
                by=national,
                organisation=ministry,
                name=name,
                target=target,
                progress=progress,
                ai_usage=ai,
                campaign=campaign,
            )
            for day, text in milestones:
                services.sector_milestone_add(sector=sector, by=national, date=day, text=text)
            created += 1
    return created


def _offers(campaigns: dict[int, Campaign], national: Actor) -> int:
    moderator = _actor("qg.kiemduyet", Role.MODERATOR, "bo-khcn", "Trần Thu Hà")
    created = 0
    c2022 = campaigns.get(2022)
    specs = []
    if c2022 is not None:
        specs += [
            (
                "vnpost",
                c2022,
                {
                    "provider": "Sàn thương mại điện tử Postmart",
                    "title": "Sáng kiến thúc đẩy mua sắm trực tuyến trên sàn Postmart",
                    "discount": "Chương trình khuyến mại hưởng ứng Ngày Chuyển đổi số quốc gia",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 10),
                    "how_to_claim": "Mua sắm trên postmart.vn trong thời gian chương trình.",
                    "link": "https://postmart.vn",
                },
                True,
            ),
            (
                "vnpt",
                c2022,
                {
                    "provider": "Sàn thương mại điện tử Vỏ sò (Voso)",
                    "title": "Sáng kiến thúc đẩy mua sắm trực tuyến trên sàn Vỏ sò",
                    "discount": "Chương trình khuyến mại hưởng ứng Ngày Chuyển đổi số quốc gia",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 10),
                    "how_to_claim": "Mua sắm trên voso.vn trong thời gian chương trình.",
                    "link": "https://voso.vn",
                },
                True,
            ),
            (
                "ncsc-chung-thuc",
                c2022,
                {
                    "provider": "Trung tâm Chứng thực điện tử quốc gia",
                    "title": "Dịch vụ chứng thực chữ ký số",
                    "discount": "Chính sách thúc đẩy khách hàng đăng ký dịch vụ chứng thực chữ "
                    "ký số",
                    "starts_on": D(2022, 10, 1),
                    "ends_on": D(2022, 10, 31),
                    "how_to_claim": "Đăng ký dịch vụ chứng thực chữ ký số trong tháng 10.",
                    "link": "https://neac.gov.vn",
                },
                True,
            ),
        ]
    specs.append(
        (
            "vnpost",
            campaigns[2025],
            {
                "provider": "Tổng công ty Bưu điện Việt Nam",
                "title": "Thúc đẩy mua sắm trực tuyến trên sàn Postmart tháng 10/2025",
                "discount": "Ưu đãi phí vận chuyển theo thể lệ chương trình",
                "starts_on": D(2025, 10, 1),
                "ends_on": D(2025, 10, 31),
                "link": "https://postmart.vn",
            },
            False,
        )
    )
    for code, campaign, data, approve in specs:
        org = Organisation.objects.filter(code=code).first()
        if org is None or Offer.objects.filter(provider=data["provider"], title=data["title"]):
            continue
        offer = services.offer_register(by=national, organisation=org, campaign=campaign, data=data)
        if approve and moderator is not None:
            services.offer_approve(offer=offer, by=moderator)
    vnn = Organisation.objects.filter(code="bao-vietnamnet").first()
    if vnn is not None and c2022 is not None:
        done = _report(
            reporter=national,
            campaign=c2022,
            organisation=vnn,
            assignment=None,
            spec={
                "title": "Sáng kiến hoạt động cộng đồng hưởng ứng Ngày Chuyển đổi số quốc gia "
                "của Báo điện tử VietNamNet",
                "type": "initiative",
                "starts_on": D(2022, 10, 1),
                "ends_on": D(2022, 10, 10),
                "description": "Tối thiểu một sáng kiến hoạt động cộng đồng phù hợp với tinh thần "
                "Ngày Chuyển đổi số quốc gia năm 2022.",
                "links": "https://vietnamnet.vn",
            },
            reviewer=_actor("qg.dieuphoi", Role.COORDINATOR, "bo-khcn", "Nguyễn Minh Quân"),
            outcome="accepted",
        )
        created += done is not None
    return created
