"""The demo command finds each capability's demo through the app registry (core names none)."""

from dxday.core.management.commands.demo import demo_modules


def test_demo_modules_are_found_bottom_up_through_the_app_registry():
    names = [m.__name__ for m in demo_modules()]
    assert names == [
        "dxday.orgs.demo",
        "dxday.plans.demo",
        "dxday.activities.demo",
        "dxday.outreach.demo",
        "dxday.materials.demo",
        "dxday.learning.demo",
        "dxday.contest.demo",
        "dxday.awards.demo",
        "dxday.reports.demo",
    ]
    assert all(callable(m.seed) for m in demo_modules())
