"""The audit trail reads as Vietnamese sentences (issue 10): no action codes, raw choice values,
tree paths, UTC ISO times, Python lists or database ids."""

from __future__ import annotations

from django.urls import reverse

from dxday.core.audit import audit
from dxday.orgs.models import Role
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, actor_of, make_member


def test_audit_trail_reads_as_sentences_with_labels_names_and_local_times(client, tree, people):
    dost = actor_of(make_member(tree.th_dost, Role.REPORTER, "sokhcn"))
    commune = tree.th_c1
    audit(commune, "activities.activity.accepted", by=dost)
    audit(commune, "orgs.organisation.updated", by=people.actor(people.th_coordinator), changes={
        "kind": ["commune", "province"],
        "province_id": [None, tree.th_province.pk],
        "path": ["0001000G", "0001000H"],
        "revoked_at": [None, "2025-10-10T03:05:00+00:00"],
        "short_name": [["a", "b"], "Hạc Thành"],
        "id": [None, commune.pk],
    })  # fmt: skip
    audit(commune, "orgs.somebody.frobnicated", by=None, changes={"is_active": [True, False]})
    assert client.login(username=people.th_coordinator.username, password=DEFAULT_PASSWORD)
    response = client.get(reverse("orgs:audit_trail", args=["orgs.organisation", commune.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    body = page[page.index('data-testid="audit-entries"') : page.index("</ol>")]
    assert "Sở Khoa học và Công nghệ Thanh Hóa đã duyệt báo cáo" in body
    assert "UBND tỉnh Thanh Hóa đã sửa thông tin đơn vị" in body
    assert "Hệ thống đã thay đổi đơn vị" in body  # an undeclared action still a sentence
    assert "UBND xã, phường" in body and "UBND tỉnh, thành phố" in body  # choice labels
    assert "Thanh Hóa" in body  # the province by name
    assert "10/10/2025 10:05" in body  # Asia/Ho_Chi_Minh
    assert "a, b" in body and "Có" in body and "Không" in body
    for raw in (
        "activities.activity",
        "orgs.organisation",
        ">commune<",
        ">province<",
        "0001000",
        "2025-10-10T",
        "['a'",
        "province_id",
        f">{commune.pk}<",
        "frobnicated",
    ):
        assert raw not in body, raw
