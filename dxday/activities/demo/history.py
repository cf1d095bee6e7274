"""Earlier campaigns (2022, 2024) in the demo: a few accepted reports per year from the same
units, with smaller figures than 2025, so year-over-year pages show a trend."""

from __future__ import annotations

from dxday.orgs.models import Role
from dxday.orgs.permissions import Actor
from dxday.plans.models import Campaign

from ._common import D, _actor, _report

# (year, province coordinator, unit, title, type, values) — the figures grow year by year.
HISTORY = [
    (2022, "tinh-38", "Tuyên truyền Ngày Chuyển đổi số quốc gia lần đầu tiên tại Thanh Hóa",
     "communication", {"articles": 64, "videos": 6, "social-posts": 120, "people-reached": 90000}),
    (2022, "tinh-08", "Tuyên truyền Ngày Chuyển đổi số quốc gia năm 2022 tại Tuyên Quang",
     "communication", {"articles": 58, "videos": 5, "social-posts": 95, "people-reached": 70000}),
    (2022, "tinh-08", "Hội thi tìm hiểu chuyển đổi số năm 2022", "contest",
     {"contest-participants": 6200, "contest-attempts": 9100}),
    (2024, "tinh-38", "Chiến dịch truyền thông 15/9–31/10/2024 tại Thanh Hóa", "communication",
     {"articles": 118, "videos": 14, "social-posts": 260, "people-reached": 160000}),
    (2024, "tinh-08", "Chiến dịch truyền thông năm 2024 tại Tuyên Quang", "communication",
     {"articles": 132, "videos": 15, "social-posts": 300, "people-reached": 220000}),
    (2024, "tinh-08", "Cuộc thi trực tuyến tìm hiểu chuyển đổi số năm 2024", "contest",
     {"contest-participants": 14800, "contest-attempts": 30200}),
    (2024, "tinh-08", "Lớp học số cho người dân năm 2024", "learning",
     {"classes": 48, "learners": 3100}),
]  # fmt: skip
COORDINATORS = {
    "tinh-38": ("thanhhoa.dieuphoi", "Lê Văn Thành"),
    "tinh-08": ("tuyenquang.dieuphoi", "Nông Thị Lan"),
}


def _history(campaigns: dict[int, Campaign], national: Actor) -> int:
    created = 0
    for year, org_code, title, kind, values in HISTORY:
        campaign = campaigns.get(year)
        username, name = COORDINATORS[org_code]
        reporter = _actor(username, Role.COORDINATOR, org_code, name)
        if campaign is None or reporter is None:
            continue
        spec = {
            "title": title,
            "type": kind,
            "starts_on": D(year, 10, 1),
            "ends_on": D(year, 10, 10),
            "description": title,
            "values": dict(values),
        }
        activity = _report(
            reporter=reporter,
            campaign=campaign,
            organisation=reporter.organisation,
            assignment=None,
            spec=spec,
            reviewer=national,
            outcome="accepted",
        )
        created += activity is not None
    return created
