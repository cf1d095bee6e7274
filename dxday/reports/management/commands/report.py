"""`dxday report --org tinh-38 --campaign 2025 --format docx -o bao-cao.docx`

Produces the same documents as the pages (same selector, same builders). Uses the
organisation's report for the campaign when there is one (its narrative, or its frozen
snapshot once accepted); otherwise the live figures with the default header.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxday.orgs.models import Organisation
from dxday.plans.models import Campaign
from dxday.reports.documents import DocumentUnavailable
from dxday.reports.models import Report
from dxday.reports.services import document_build


class Command(BaseCommand):
    help = "Tạo báo cáo (DOCX theo Nghị định 30, phụ lục XLSX hoặc PDF) cho một đơn vị."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Mã đơn vị, ví dụ tinh-38")
        parser.add_argument("--campaign", required=True, type=int, help="Năm chiến dịch")
        parser.add_argument("--format", choices=["docx", "xlsx", "pdf"], default="docx")
        parser.add_argument("-o", "--output", help="Tệp kết quả (mặc định: tên chuẩn)")

    def handle(self, *args, **opts):
        org = Organisation.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"Không tìm thấy đơn vị có mã “{opts['org']}”.")
        campaign = Campaign.objects.filter(year=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(f"Không tìm thấy chiến dịch năm {opts['campaign']}.")
        report = Report.objects.filter(
            organisation=org, campaign=campaign, period_start__isnull=True
        ).first()
        try:
            data, filename = document_build(
                opts["format"], organisation=org, campaign=campaign, report=report
            )
        except DocumentUnavailable as exc:
            raise CommandError(str(exc)) from exc
        out = Path(opts["output"] or filename)
        out.write_bytes(data)
        self.stdout.write(f"{out} ({len(data):,} bytes)")
