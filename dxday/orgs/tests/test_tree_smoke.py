from dxday.orgs.permissions import can, ensure_can, visible_organisations


def test_subtree_visibility(tree, people):
    th = people.actor(people.th_coordinator)
    visible = set(visible_organisations(th).values_list("code", flat=True))
    assert visible == {"tinh-38", "th-so-khcn", "bao-thanh-hoa", "xa-16000", "xa-16001"}
    assert can(th, "orgs.view", tree.th_c1)
    assert not can(th, "orgs.view", tree.tq_c1)
    assert not can(people.actor(people.th_c1_reporter), "orgs.view", tree.th_c2)
    ensure_can(th, "orgs.view", tree.th_c2)
