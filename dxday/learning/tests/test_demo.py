"""The learning demo: every offering of the seed documents, figures, logins; idempotent."""

import pytest

from dxday.orgs.models import Membership, Role
from dxday.orgs.tests.factories import make_org
from dxday.plans.models import Campaign

from .. import demo
from ..models import CheckIn, Offering, UnitTrainingStat
from ..rollups import rollups_rebuild, rollups_snapshot

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(tree, campaign, django_assert_max_num_queries):
    from dxday.orgs.models import Organisation

    K = Organisation.Kind
    Campaign.objects.create(year=2024, theme="Chuyển đổi số")
    tree.th_c1.code = "xa-14797"
    tree.th_c1.save(update_fields=["code"])
    make_org(tree.tq, kind=K.DEPARTMENT, code="tq-so-khcn", name="Sở KH&CN Tuyên Quang",
             province=tree.tq_province)  # fmt: skip
    demo.seed()
    kinds = set(Offering.objects.values_list("kind", flat=True))
    assert kinds == {"class", "training", "seminar", "dialogue"}
    dialogue = Offering.objects.get(kind="dialogue")
    assert dialogue.invitation_only and dialogue.campaign.year == 2024
    assert dialogue.starts_at.date().isoformat() == "2024-10-10"
    assert Offering.objects.filter(kind="class", campaign__year=2025).count() >= 4
    assert CheckIn.objects.filter(registration__isnull=True).exists()
    assert UnitTrainingStat.objects.exists()
    from dxday.certificates.models import Certificate

    assert Certificate.objects.filter(kind="learning", source__startswith="learning.").exists()
    for username, role in (("hoctap.tochuc", Role.REPORTER), ("hoctap.diemdanh",
                                                              Role.CHECKIN_STAFF)):  # fmt: skip
        assert Membership.objects.filter(user__username=username, role=role).exists()
    counts = (Offering.objects.count(), CheckIn.objects.count())
    incremental = rollups_snapshot()
    rollups_rebuild()
    assert rollups_snapshot() == incremental
    with django_assert_max_num_queries(60):
        demo.seed()
    assert (Offering.objects.count(), CheckIn.objects.count()) == counts


def test_openapi_documents_the_learning_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/learning/offerings",
        "/api/v1/learning/checkins/batch",
        "/api/v1/learning/totals",
        "/api/v1/learning/offerings/{offering_id}/registrations",
    ):
        assert path in paths
