import pytest

from dxday.activities import demo
from dxday.activities.models import Activity, Offer, Sector

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_defensive(loop):
    demo.seed()
    counts = (Activity.objects.count(), Offer.objects.count(), Sector.objects.count())
    assert counts[0] >= 5  # Tuyên Quang's five activities
    assert Activity.objects.filter(is_published=True).exists()
    assert Activity.objects.filter(status="submitted").exists()
    assert Sector.objects.filter(organisation__code="bo-tai-chinh").count() == 3
    demo.seed()
    assert (Activity.objects.count(), Offer.objects.count(), Sector.objects.count()) == counts
