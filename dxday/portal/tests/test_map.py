import re

import pytest

from dxday.portal import map as country_map

pytestmark = pytest.mark.django_db


def tile(html: str, code: str) -> str:
    return re.search(rf'<g data-province="{code}">(.*?)</g>', html).group(1)


def test_every_province_has_a_tile_once():
    assert len(country_map.TILES) == 34
    places = [(c, r) for c, r, _ in country_map.TILES.values()]
    assert len(set(places)) == 34


def test_map_shows_the_numbers_on_tiles_and_in_the_table(client, world):
    r = client.get("/ban-do/?nam=2025")
    html = r.content.decode()
    assert r.status_code == 200 and "public" in r["Cache-Control"]
    # People guided: Thanh Hóa 7 + 5 + 9, Tuyên Quang 2 + 11; a province without data shows "—".
    assert ">21<" in tile(html, "38") and ">13<" in tile(html, "08")
    assert ">—<" in tile(html, "01") and 'fill="#ffffff"' in tile(html, "01")
    table = html[html.index('data-testid="map-table"') :]
    assert table.index("Thanh Hóa") < table.index("Tuyên Quang")  # biggest first
    assert "/ban-do/38/?nam=2025&amp;so_lieu=nguoi-dan" in html
    r = client.get("/ban-do/?nam=2025&so_lieu=luot")
    assert ">3<" in tile(r.content.decode(), "38")  # three sessions in Thanh Hóa


def test_drill_down_into_communes(client, world):
    r = client.get("/ban-do/38/?nam=2025&so_lieu=nguoi-dan")
    html = r.content.decode()
    assert r.status_code == 200
    rows = re.findall(r'<td class="num">(\d+)</td>', html)
    assert rows == ["12", "9"]  # the two Thanh Hóa communes, biggest first
    assert client.get("/ban-do/8/?nam=2025").status_code == 200  # without the leading zero
    assert client.get("/ban-do/99/").status_code == 404
    assert client.get("/ban-do/?so_lieu=<script>").status_code == 200  # unknown: the default


def test_map_query_count_is_pinned(client, world, django_assert_num_queries):
    # campaign; the province roll-up, its names and its targets; the provinces; the years
    with django_assert_num_queries(6):
        client.get("/ban-do/?nam=2025")


def test_shades_scale_to_the_largest_value():
    step = country_map.shade_steps([0, 50, 100])
    assert [step(v) for v in (None, 0, 19, 20, 99, 100)] == [None, 0, 0, 1, 4, 4]
