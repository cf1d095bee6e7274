import datetime

import pytest
import time_machine

from dxday.activities import services

pytestmark = pytest.mark.django_db


def test_summary_and_offers(client, loop, people):
    offer = services.offer_register(
        by=people.actor(people.th_c1_reporter),
        data={
            "provider": "Trung tâm Chứng thực điện tử quốc gia",
            "title": "Chữ ký số",
            "discount": "Ưu đãi đăng ký",
            "starts_on": datetime.date(2025, 10, 1),
            "ends_on": datetime.date(2025, 10, 31),
        },
    )
    assert client.get("/api/v1/portal/offers").json() == []
    services.offer_approve(offer=offer, by=people.actor(people.moderator))
    rows = client.get("/api/v1/portal/offers", {"q": "chu ky so"}).json()
    assert [r["id"] for r in rows] == [offer.pk] and rows[0]["campaign"] == 2025
    with time_machine.travel(datetime.datetime(2025, 10, 1, 3, tzinfo=datetime.UTC)):
        body = client.get("/api/v1/portal/summary").json()
    assert body["year"] == 2025 and body["next_key_date"]["days_left"] == 20
    assert body["figures"] == {"activities": 0, "units": 0, "provinces": 0, "offers": 1}
    assert client.get("/api/v1/portal/summary", {"campaign": 1999}).status_code == 404
