"""Shared fixtures: a small org tree with two provinces, users per role, and a real browser."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from dxday.orgs.models import Organisation, Role
from dxday.orgs.tests.factories import (
    actor_of,
    make_commune,
    make_member,
    make_org,
    make_province,
)

# whitenoise warns (and warnings are errors here) when STATIC_ROOT does not exist yet, as on a
# fresh clone before the first collectstatic.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# Playwright's sync API keeps an event loop on the test thread; Django's ORM must still run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

K = Organisation.Kind


@pytest.fixture
def tree(db):
    """National coordinator → Thanh Hóa (dept, press, 2 communes) and Tuyên Quang (1 commune)."""
    th_p = make_province("38", "Thanh Hóa")
    tq_p = make_province("08", "Tuyên Quang")
    national = make_org(None, kind=K.NATIONAL, code="bo-khcn", name="Bộ Khoa học và Công nghệ")
    ministry = make_org(national, kind=K.MINISTRY, code="bo-tai-chinh", name="Bộ Tài chính")
    th = make_org(national, kind=K.PROVINCE, code="tinh-38", name="UBND tỉnh Thanh Hóa",
                  province=th_p)  # fmt: skip
    tq = make_org(national, kind=K.PROVINCE, code="tinh-08", name="UBND tỉnh Tuyên Quang",
                  province=tq_p)  # fmt: skip
    th_dost = make_org(th, kind=K.DEPARTMENT, code="th-so-khcn",
                       name="Sở Khoa học và Công nghệ Thanh Hóa", province=th_p)  # fmt: skip
    th_press = make_org(th, kind=K.PRESS, code="bao-thanh-hoa", name="Báo Thanh Hóa",
                        province=th_p)  # fmt: skip
    c1, c2 = (
        make_commune(th_p, "16000", "Phường Hạc Thành"),
        make_commune(th_p, "16001", "Xã Quảng Phú"),
    )
    c3 = make_commune(tq_p, "02200", "Phường Minh Xuân")
    th_c1 = make_org(th, kind=K.COMMUNE, code="xa-16000", name="UBND phường Hạc Thành",
                     province=th_p, commune=c1)  # fmt: skip
    th_c2 = make_org(th, kind=K.COMMUNE, code="xa-16001", name="UBND xã Quảng Phú",
                     province=th_p, commune=c2)  # fmt: skip
    tq_c1 = make_org(tq, kind=K.COMMUNE, code="xa-02200", name="UBND phường Minh Xuân",
                     province=tq_p, commune=c3)  # fmt: skip
    for o in (national, ministry, th, tq, th_dost, th_press, th_c1, th_c2, tq_c1):
        o.refresh_from_db()

    class Tree:
        pass

    t = Tree()
    t.__dict__.update(
        national=national, ministry=ministry, th=th, tq=tq, th_dost=th_dost, th_press=th_press,
        th_c1=th_c1, th_c2=th_c2, tq_c1=tq_c1, th_province=th_p, tq_province=tq_p,
    )  # fmt: skip
    return t


@pytest.fixture
def people(tree):
    """One user per role at the usual places; `.actor(user)` gives their Actor."""

    class People:
        national_coordinator = make_member(tree.national, Role.COORDINATOR, "qg_dieuphoi")
        th_coordinator = make_member(tree.th, Role.COORDINATOR, "th_dieuphoi")
        tq_coordinator = make_member(tree.tq, Role.COORDINATOR, "tq_dieuphoi")
        th_c1_reporter = make_member(tree.th_c1, Role.REPORTER, "th_xa1_baocao")
        th_c2_reporter = make_member(tree.th_c2, Role.REPORTER, "th_xa2_baocao")
        th_viewer = make_member(tree.th, Role.VIEWER, "th_xem")
        moderator = make_member(tree.national, Role.MODERATOR, "kiemduyet")

        @staticmethod
        def actor(user):
            return actor_of(user)

    return People


@pytest.fixture(autouse=True)
def _cold_caches():
    """Pinned query counts must not depend on which test ran before: ContentType lookups are
    cached per process, so start every test with that cache empty."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _reference_catalogues(request):
    """The indicator and topic catalogues are loaded by data migrations; a transactional test's
    flush wipes them, so whichever test runs next would find them empty. Put them back."""
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") is None and not names & {
        "db", "transactional_db", "live_server",
    }:  # fmt: skip
        return
    for name in ("transactional_db", "db"):
        if name in names:
            request.getfixturevalue(name)
            break
    from dxday.outreach.models import Topic
    from dxday.outreach.topics import topics_ensure
    from dxday.plans.catalogue import catalogue_load
    from dxday.plans.models import Indicator

    if not Topic.objects.exists():
        topics_ensure()
    if not Indicator.objects.exists():
        catalogue_load()


# --- Browser ---------------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def _browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser.

    Skips with a clear message where Chromium is missing, except in CI, where it fails.
    """
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(_browser, live_server):
    """A fresh browser context at 360 px wide (a cheap phone), Vietnamese."""
    context = _browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base_url = live_server.url
    # Every browser test also checks the Content-Security-Policy: a page the policy breaks fails.
    violations = []
    pg.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    pg.csp_violations = violations
    yield pg
    context.close()
    if not getattr(pg, "csp_violations_expected", False):
        assert not violations, f"Content-Security-Policy violations: {violations}"


def close_file(response) -> None:
    """Close a streamed file without response.close(), whose request_finished signal would
    close the test's database connection (PostgreSQL)."""
    for closer in response._resource_closers:
        closer()


def browser_login(page, username: str, password: str) -> None:
    page.goto(page.base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_load_state()


# --- CI: nothing may skip ------------------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skipped test (no Chromium, no Redis, no LibreOffice...) is a failure:
    a green CI must mean every real part was exercised."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must not skip: {report.longrepr}"


# --- A small world for the API fuzz test ----------------------------------------------------


@pytest.fixture
def api_world(tree, people):
    """A campaign with its plan, assignments, one draft activity, a door-to-door team, and
    tokens for a provincial coordinator and a team member (`world.tokens`)."""
    from dxday.activities import services as activity_services
    from dxday.orgs.services import api_token_issue
    from dxday.orgs.tests.factories import make_user
    from dxday.outreach import services as outreach_services
    from dxday.outreach.models import TeamMember
    from dxday.plans.models import CampaignWindow
    from dxday.plans.tests.factories import make_national_plan
    from dxday.reports import services as report_services

    plan, task = make_national_plan(tree)
    CampaignWindow.objects.create(
        campaign=plan.campaign, kind=CampaignWindow.Kind.DOOR_TO_DOOR, name="Đi từng ngõ",
        starts_on=datetime.date(2025, 9, 15), ends_on=datetime.date(2025, 10, 31),
    )  # fmt: skip
    reporter = people.actor(people.th_c1_reporter)
    activity = activity_services.activity_create(
        by=reporter, assignment=None,
        data={"title": "Tuyên truyền trên loa truyền thanh", "type": "radio",
              "starts_on": datetime.date(2025, 10, 1), "ends_on": datetime.date(2025, 10, 10),
              "description": "Phát 20 buổi."},
        values={},
    )  # fmt: skip
    submitted = activity_services.activity_create(
        by=reporter, assignment=None,
        data={"title": "Hội nghị chuyển đổi số", "type": "event",
              "starts_on": datetime.date(2025, 10, 2), "ends_on": datetime.date(2025, 10, 2)},
        values={},
    )  # fmt: skip
    activity_services.activity_submit(activity=submitted, by=reporter)
    report = report_services.report_draft(
        organisation=tree.th, campaign=plan.campaign, by=people.actor(people.th_coordinator)
    )
    team = outreach_services.team_create(actor=None, committee=tree.th_c1, village="Thôn Đông")
    leader = make_user("totruong-dong")
    outreach_services.team_member_add(
        actor=None, team=team, full_name="Lê Văn Tổ Trưởng", role=TeamMember.Role.LEADER,
        user=leader,
    )  # fmt: skip
    member = outreach_services.team_member_add(actor=None, team=team, full_name="Nguyễn Văn A")

    class World:
        pass

    world = World()
    world.plan, world.task, world.activity, world.submitted, world.report = (
        plan, task, activity, submitted, report,
    )  # fmt: skip
    world.team, world.member = team, member
    world.assignment = task.assignments.order_by("pk").first()

    def coordinator_token() -> str:
        user = people.th_coordinator
        return api_token_issue(by=people.actor(user), user=user, label="fuzz")[1]

    def member_token() -> str:
        return outreach_services.device_token_issue(actor=actor_of(leader), member=member)[0]

    world.issue = {"coordinator": coordinator_token, "member": member_token}
    world.tokens = {name: issue() for name, issue in world.issue.items()}
    return world
