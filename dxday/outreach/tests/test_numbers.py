"""Years and ids are never grouped ("2.025" broke the open-data link with a 422)."""

from __future__ import annotations

from django.urls import reverse


def test_open_data_link_and_titles_carry_the_year_ungrouped(client, tree, people, campaign):
    body = client.get(reverse("outreach:dashboard")).content.decode()
    assert "/api/v1/outreach/totals?campaign=2025&amp;by=province" in body
    assert "2.025" not in body
    # The link it prints answers (it was 422 for everyone).
    assert client.get("/api/v1/outreach/totals?campaign=2025&by=province").status_code == 200

    client.force_login(people.th_coordinator)
    body = client.get(reverse("outreach:progress")).content.decode()
    assert "Chỉ tiêu và tiến độ — 2025" in body
    assert "2.025" not in body
