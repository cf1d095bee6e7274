"""Demo reports (runs last): the Thanh Hóa results report as a draft, with its narrative taken
from the province's dispatch (seed 002) and the Tuyên Quang press release (seed 003), and some
commune reports submitted or accepted so that the reporting-rate table shows something.

Idempotent: once the Thanh Hóa report exists, a second run only reads.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dxday.orgs.models import Membership, Organisation
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from . import services
from .models import Report, ReportDeadline

YEAR = 2025
DUE_ON = dt.date(2025, 10, 25)
PROVINCE = "tinh-38"
COORDINATOR = "thanhhoa.dieuphoi"

NARRATIVE = {
    "general_situation": (
        "Thực hiện Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày "
        "Chuyển đổi số quốc gia; Quyết định số 2873/QĐ-BKHCN ngày 24/9/2025 của Bộ Khoa học và "
        "Công nghệ phê duyệt Kế hoạch triển khai Ngày Chuyển đổi số quốc gia năm 2025; Công văn "
        "số 16650/UBND-CNXDKH ngày 29/9/2025 của UBND tỉnh về việc giao tổ chức triển khai các "
        "hoạt động tuyên truyền, hưởng ứng Ngày Chuyển đổi số quốc gia năm 2025 trên địa bàn "
        "tỉnh, UBND tỉnh Thanh Hóa đã chỉ đạo các sở, ban, ngành cấp tỉnh, UBND các xã, phường "
        "và các cơ quan báo chí trong tỉnh tổ chức các hoạt động hưởng ứng với chủ đề “Chuyển "
        "đổi số toàn dân, toàn diện, toàn trình để tăng tốc, bứt phá phát triển kinh tế số” và "
        "thông điệp “Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn”.\n"
        "Các hoạt động diễn ra cao điểm từ ngày 01/10/2025 đến hết tháng 10/2025: chiến dịch "
        "truyền thông trên Trang/Cổng thông tin điện tử và các nền tảng mạng xã hội của các đơn "
        "vị; “Ngày hội toàn dân học tập số” ngày 10/10; chiến dịch “Đi từng ngõ, gõ từng nhà, "
        "hướng dẫn từng người dân kỹ năng số, sử dụng các dịch vụ số” thông qua Tổ công nghệ số "
        "cộng đồng; tăng thời lượng tuyên truyền trên đài truyền thanh cơ sở. Mỗi cơ quan, đơn "
        "vị lựa chọn tối thiểu 03 lĩnh vực quản lý nhà nước để thực hiện chuyển đổi số toàn "
        "diện, toàn trình, ứng dụng trí tuệ nhân tạo trong quản lý và phục vụ người dân, doanh "
        "nghiệp."
    ),
    "outstanding_examples": (
        "Nhiều xã, phường kết hợp “Ngày hội toàn dân học tập số” với các hoạt động trải "
        "nghiệm, hướng dẫn người dân sử dụng các nền tảng, dịch vụ số và lớp học số cho cộng "
        "đồng. Các cơ quan báo chí trong tỉnh mở chuyên trang, chuyên mục, phóng sự phản ánh "
        "hoạt động của Tổ công nghệ số cộng đồng, lan tỏa những mô hình, cách làm hay trong "
        "chuyển đổi số gắn với phân cấp, phân quyền và triển khai mô hình chính quyền 02 cấp."
    ),
    "difficulties": (
        "Thời gian triển khai ngắn, trùng với thời điểm các địa phương khắc phục hậu quả mưa "
        "bão. Hạ tầng viễn thông ở một số xã miền núi còn hạn chế; thành viên Tổ công nghệ số "
        "cộng đồng ở một số thôn chưa được tập huấn đầy đủ; việc tổng hợp số liệu của một số "
        "xã còn chậm so với yêu cầu."
    ),
    "proposals": (
        "Đề nghị Bộ Khoa học và Công nghệ tiếp tục cung cấp tài liệu truyền thông, học liệu số "
        "dùng chung cho các địa phương; hỗ trợ tập huấn kỹ năng số cho thành viên Tổ công nghệ "
        "số cộng đồng; sớm ban hành bộ chỉ tiêu thống nhất về kết quả hưởng ứng Ngày Chuyển đổi "
        "số quốc gia để các địa phương báo cáo trên cùng một hệ thống."
    ),
}

HEADER = {
    "number": "05/BC-UBND",
    "issued_on": dt.date(2025, 10, 24),
    "signer_name": "Lê Văn Thành",
    "recipients": [
        "Bộ Khoa học và Công nghệ (để b/c)",
        "Thường trực Tỉnh ủy (để b/c)",
        "Thường trực HĐND tỉnh (để b/c)",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
        "Sở Khoa học và Công nghệ",
    ],
    "archive_unit": "KGVX",
}

EXPLANATIONS = {
    "plans.assignments.overdue": (
        "Một số xã miền núi bị ảnh hưởng của mưa bão nên chậm báo cáo; đã đôn đốc."
    ),
}


def seed(stdout=None) -> None:
    campaign = Campaign.objects.filter(year=YEAR).first()
    province = Organisation.objects.filter(code=PROVINCE).first()
    membership = (
        Membership.objects.filter(user__username=COORDINATOR, organisation=province)
        .select_related("user", "organisation")
        .first()
    )
    if campaign is None or province is None or membership is None:
        if stdout is not None:
            stdout.write("reports: thiếu chiến dịch 2025, tỉnh Thanh Hóa hoặc tài khoản, bỏ qua.")
        return
    ReportDeadline.objects.get_or_create(campaign=campaign, defaults={"due_on": DUE_ON})
    if Report.objects.filter(organisation=province, campaign=campaign).exists():
        return
    _seed(campaign, province, Actor(user=membership.user, membership=membership))
    if stdout is not None:
        stdout.write(
            f"Báo cáo: {Report.objects.filter(campaign=campaign).count()} "
            "(Thanh Hóa dự thảo, một số xã đã gửi hoặc đã được tiếp nhận)."
        )


@transaction.atomic
def _seed(campaign: Campaign, province: Organisation, actor: Actor) -> None:
    report = services.report_draft(organisation=province, campaign=campaign, by=actor)
    services.report_update_narrative(
        report=report, by=actor, narrative=NARRATIVE, explanations=EXPLANATIONS, header=HEADER
    )
    communes = list(
        Organisation.objects.filter(
            path__startswith=province.path,
            depth=province.depth + 1,
            kind=Organisation.Kind.COMMUNE,
        ).order_by("path")[:18]
    )
    departments = Organisation.objects.filter(
        path__startswith=province.path, depth=province.depth + 1, kind=Organisation.Kind.DEPARTMENT
    ).order_by("path")[:3]
    tz = timezone.get_current_timezone()
    for i, unit in enumerate([*communes, *departments]):
        child = services.report_draft(organisation=unit, campaign=campaign, by=actor)
        services.report_update_narrative(
            report=child,
            by=actor,
            narrative={
                "general_situation": (
                    "Đơn vị đã tổ chức tuyên truyền trên đài truyền thanh cơ sở và triển khai "
                    "chiến dịch “Đi từng ngõ, gõ từng nhà” thông qua Tổ công nghệ số cộng đồng."
                )
            },
            header={"number": f"{i + 1:02d}/BC-UBND", "issued_on": dt.date(2025, 10, 18)},
        )
        services.report_submit(report=child, by=actor)
        # Spread the submission dates over October so that timeliness shows both cases.
        day = dt.date(2025, 10, 15 + (i % 15))
        Report.objects.filter(pk=child.pk).update(
            submitted_on=day, submitted_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=tz)
        )
        if i % 3 == 0:
            services.report_accept(report=child, by=actor)
        elif i % 7 == 5:
            services.report_return(
                report=child,
                by=actor,
                reason="Đề nghị bổ sung số liệu lượt người được hướng dẫn của các tổ.",
            )
