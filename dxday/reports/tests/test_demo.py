from dxday.orgs.demo import demo_account
from dxday.orgs.models import Role
from dxday.plans import demo as plans_demo
from dxday.reports import demo
from dxday.reports.models import Report, ReportDeadline
from dxday.reports.selectors import reporting_rates


def test_demo_seed_is_idempotent_on_a_small_tree(tree, people):
    plans_demo.seed()
    demo.seed()  # no coordinator account yet: skipped cleanly
    assert not Report.objects.exists()
    demo_account(username="thanhhoa.dieuphoi", role=Role.COORDINATOR, org_code="tinh-38")
    demo.seed()
    demo.seed()
    th = Report.objects.get(organisation=tree.th)
    assert th.status == Report.Status.DRAFT
    assert th.number == "05/BC-UBND" and "505/QĐ-TTg" in th.general_situation
    assert Report.objects.filter(status__in=["submitted", "accepted", "returned"]).count() == 3
    assert Report.objects.filter(status="accepted").exists()
    campaign = th.campaign
    assert ReportDeadline.objects.get(campaign=campaign)
    rows = {r["kind"]: r for r in reporting_rates(tree.th, campaign)}
    assert rows["commune"]["received"] == 2
