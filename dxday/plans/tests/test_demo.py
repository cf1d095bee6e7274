from dxday.plans import demo
from dxday.plans.models import Assignment, Campaign, Plan, TaskTarget


def test_demo_seed_is_idempotent_on_a_small_tree(tree, people):
    demo.seed()
    demo.seed()
    assert list(Campaign.objects.values_list("year", flat=True)) == [2025, 2024, 2022]
    c2025 = Campaign.objects.get(year=2025)
    assert c2025.key_dates.get(kind="ceremony").date.isoformat() == "2025-10-21"
    national = Plan.objects.get(organisation=tree.national, parent=None)
    th = Plan.objects.get(parent=national, organisation=tree.th)
    groups = set(TaskTarget.objects.filter(task__plan=th).values_list("group", flat=True))
    assert groups == {"departments_of", "communes_of", "press_of"}
    assert all(t.parent_task.plan == national for t in th.tasks.select_related("parent_task"))
    assert Assignment.objects.filter(organisation=tree.th_c1).exists()
    assert Assignment.objects.filter(status="late").exists()
