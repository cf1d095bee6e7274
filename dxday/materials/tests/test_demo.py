import pytest
from django.utils.html import escape

from dxday.materials import demo
from dxday.materials.models import Material
from dxday.plans.tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_national_and_thanh_hoa_sets_once(client, tree, people):
    make_campaign(2025)
    demo.seed()
    demo.seed()  # idempotent
    assert Material.objects.filter(organisation=tree.national).count() == len(demo.NATIONAL)
    assert Material.objects.filter(organisation=tree.th).count() == len(demo.THANH_HOA)
    dispatch = Material.objects.get(organisation=tree.th, kind="dispatch", visibility="public")
    assert dispatch.current.content_type == "application/pdf"
    video = Material.objects.get(kind="video")
    assert video.current.link.startswith("https://") and not video.current.file
    r = client.get("/m/2025/tinh-38")
    assert r.status_code == 200 and escape(dispatch.title) in r.content.decode()
