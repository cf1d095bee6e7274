"""Fixtures for activities: a campaign, a national task cascaded to Thanh Hóa, assignments."""

from __future__ import annotations

import datetime

import pytest

from dxday.plans.models import (
    Assignment,
    Campaign,
    Indicator,
    KeyDate,
    Plan,
    Task,
    TaskCategory,
    UnitRole,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _indicator(code, name, unit, order, part_of=None):
    """Our own definition of the indicator, whatever a catalogue seed may hold."""
    indicator, _ = Indicator.objects.update_or_create(
        code=code, defaults={"name": name, "unit": unit, "order": order, "part_of": part_of}
    )
    return indicator


@pytest.fixture
def loop(tree, people):
    """Campaign 2025, indicators, the national task and its Thanh Hóa copy, assignments."""
    campaign = Campaign.objects.create(
        year=2025,
        theme="Chuyển đổi số toàn dân, toàn diện, toàn trình",
        message="Chuyển đổi số: Nhanh hơn, hiệu quả hơn, gần dân hơn",
    )
    KeyDate.objects.create(
        campaign=campaign, kind="ceremony", name="Lễ hưởng ứng", date=datetime.date(2025, 10, 21)
    )
    articles = _indicator("articles", "Tin, bài", "bài", 1)
    reached = _indicator("people_reached", "Lượt tiếp cận", "lượt", 2)
    guided = _indicator("people_guided", "Người dân được hướng dẫn", "người", 3)
    vneid = _indicator("vneid_guided", "Người được hướng dẫn VNeID", "người", 4, part_of=guided)
    national_plan = Plan.objects.create(
        campaign=campaign, organisation=tree.national, title="Kế hoạch quốc gia 2025"
    )
    national_task = Task.objects.create(
        plan=national_plan,
        title="Chiến dịch truyền thông Ngày Chuyển đổi số",
        category=TaskCategory.COMMUNICATION,
        deadline=datetime.date(2025, 10, 31),
    )
    national_task.indicators.set([articles, reached, guided, vneid])
    th_plan = Plan.objects.create(
        campaign=campaign, organisation=tree.th, parent=national_plan, title="Kế hoạch Thanh Hóa"
    )
    th_task = Task.objects.create(
        plan=th_plan,
        parent_task=national_task,
        title="Truyền thông Ngày Chuyển đổi số tại Thanh Hóa",
        category=TaskCategory.COMMUNICATION,
        deadline=datetime.date(2025, 10, 20),
    )
    th_task.indicators.set([articles, reached, guided, vneid])
    a_c1 = Assignment.objects.create(task=th_task, organisation=tree.th_c1, role=UnitRole.LEAD)
    a_c2 = Assignment.objects.create(task=th_task, organisation=tree.th_c2, role=UnitRole.LEAD)
    a_press = Assignment.objects.create(
        task=th_task, organisation=tree.th_press, role=UnitRole.COOPERATE
    )
    a_tq = Assignment.objects.create(task=national_task, organisation=tree.tq, role=UnitRole.LEAD)

    class Loop:
        pass

    loop = Loop()
    loop.__dict__.update(
        campaign=campaign, articles=articles, reached=reached, guided=guided, vneid=vneid,
        national_task=national_task, th_task=th_task, a_c1=a_c1, a_c2=a_c2, a_press=a_press,
        a_tq=a_tq, tree=tree, people=people,
    )  # fmt: skip
    return loop
