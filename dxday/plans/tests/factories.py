"""Campaigns, plans and tasks for tests."""

from __future__ import annotations

import datetime

from dxday.plans import services
from dxday.plans.models import Campaign, CampaignWindow, KeyDate, TaskTarget


def make_campaign(year: int = 2025) -> Campaign:
    campaign, created = Campaign.objects.get_or_create(
        year=year,
        defaults={
            "theme": "Chuyển đổi số toàn dân, toàn diện, toàn trình",
            "message": "Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn",
            "legal_basis_number": "2873/QĐ-BKHCN",
            "legal_basis_date": datetime.date(year, 9, 24),
            "legal_basis_issuer": "Bộ Khoa học và Công nghệ",
            "legal_basis_title": "Kế hoạch triển khai Quyết định 505/QĐ-TTg",
        },
    )
    if created:
        CampaignWindow.objects.create(
            campaign=campaign,
            kind="communication",
            name="Truyền thông",
            starts_on=datetime.date(year, 10, 1),
            ends_on=datetime.date(year, 10, 10),
        )
        KeyDate.objects.create(
            campaign=campaign,
            kind="ceremony",
            name="Lễ hưởng ứng",
            date=datetime.date(year, 10, 10),
        )
    return campaign


def make_national_plan(tree, *, deadline=datetime.date(2025, 10, 15), year: int = 2025):
    """National plan with one task for all provinces (lead) and the ministry (cooperate)."""
    campaign = make_campaign(year)
    plan = services.plan_create(
        campaign=campaign, organisation=tree.national, by=None, title="Kế hoạch quốc gia"
    )
    task = services.task_create(
        plan=plan, by=None, title="Chiến dịch truyền thông", category="communication",
        deadline=deadline,
    )  # fmt: skip
    services.task_target_add(task=task, by=None, group=TaskTarget.Group.PROVINCES, role="lead")
    services.task_target_add(
        task=task, by=None, group=TaskTarget.Group.UNIT, role="cooperate",
        organisation=tree.ministry,
    )  # fmt: skip
    services.task_assign(task=task, by=None)
    return plan, task
