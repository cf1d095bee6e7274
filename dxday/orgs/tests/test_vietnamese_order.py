"""Lists of names in Vietnamese alphabetical order, from the database, through real pages and
the API (issue 8: they sorted by code point, so Đ came after "Vĩnh Long" and "Cao Bằng" came
before "Cà Mau")."""

import pytest
from django.urls import reverse

from dxday.core.text import sort_key, sort_text
from dxday.orgs.areas import areas_load, local_orgs_create
from dxday.orgs.models import Commune, Organisation, Province
from dxday.orgs.tests.factories import DEFAULT_PASSWORD, make_commune, make_org, make_province

pytestmark = pytest.mark.django_db

# The expected order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, each letter
# with its tones after it (ngang, huyền, hỏi, ngã, sắc, nặng), names letter by letter.
VIETNAMESE_ORDER = [
    "An Khê", "Ăn Khế", "Ân Thi", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Dương Minh Châu",
    "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Eo Gió", "Ê Đê", "Ha", "Hà", "Hả", "Hã", "Há", "Hạ",
    "Hai", "Ô Môn", "Ông Ích Khiêm", "Ơn Điền", "Uông Bí", "Ưng Hòa", "Vĩnh Long", "Yên Bái",
]  # fmt: skip


def test_stored_key_orders_like_the_python_key():
    assert sorted(VIETNAMESE_ORDER[::-1], key=sort_key) == VIETNAMESE_ORDER
    assert sorted(VIETNAMESE_ORDER[::-1], key=sort_text) == VIETNAMESE_ORDER
    # Precomposed and decomposed spellings get the same key; digits come before letters.
    assert sort_text("Hòa") == sort_text("Ho\u0300a")
    assert sorted(["Tổ An", "Tổ 2", "Tổ 1"], key=sort_text) == ["Tổ 1", "Tổ 2", "Tổ An"]
    assert set("".join(sort_text(n) for n in VIETNAMESE_ORDER)) <= set(
        "0123456789abcdefghijklmnopqrstuvwxyz"
    )  # only characters every database collation orders like bytes


def test_every_real_commune_name_sorts_the_same_in_python_and_the_database():
    areas_load()
    names = list(Commune.objects.order_by("name_sort", "code").values_list("name", flat=True))
    assert len(names) == 3321
    assert [sort_key(n)[:2] for n in names] == sorted(sort_key(n)[:2] for n in names)
    provinces = list(Province.objects.order_by("name_sort").values_list("name", flat=True))
    assert [sort_key(n)[:2] for n in provinces] == sorted(sort_key(n)[:2] for n in provinces)


def test_province_api_lists_the_34_in_vietnamese_order(client):
    areas_load()
    names = [p["name"] for p in client.get("/api/v1/areas/provinces").json()]
    assert len(names) == 34
    assert names.index("Cà Mau") < names.index("Cao Bằng")
    d_stroke = [n for n in names if n.startswith("Đ")]
    assert d_stroke and all(names.index("Vĩnh Long") > names.index(n) for n in d_stroke)
    assert names.index("Điện Biên") < names.index("Gia Lai")


def test_commune_api_and_unit_page_list_names_in_vietnamese_order(client, tree, people):
    province = make_province("99", "Tỉnh Thử")
    shuffled = VIETNAMESE_ORDER[::2] + VIETNAMESE_ORDER[1::2]
    for i, name in enumerate(shuffled):
        make_commune(province, f"{99000 + i:05d}", name)
    names = [c["name"] for c in client.get("/api/v1/areas/provinces/99/communes").json()]
    assert names == VIETNAMESE_ORDER

    # The units under a node, on its page, in the same order (they were added shuffled).
    parent = make_org(tree.th, code="khoi-thu", name="Khối thử")
    for i, name in enumerate(shuffled):
        make_org(parent, code=f"thu-{i}", name=f"Sở {name}")
    assert client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    page = client.get(reverse("orgs:organisation_detail", args=["khoi-thu"]), {"page": 2})
    body = client.get(reverse("orgs:organisation_detail", args=["khoi-thu"])).content.decode()
    expected = [f"Sở {n}" for n in VIETNAMESE_ORDER]
    positions = [body.find(f">{n}<") for n in expected[:25]]
    assert -1 not in positions and positions == sorted(positions)
    assert f">{expected[25]}<" in page.content.decode()


def test_bulk_loaded_units_carry_the_key():
    """`local_orgs_create` inserts with bulk_create, which does not call save()."""
    areas_load()
    local_orgs_create()
    rows = Organisation.objects.values_list("name", "name_sort")
    assert len(rows) == 1 + 34 + 3321
    assert all(key == sort_text(name) for name, key in rows)
    assert all(p.name_sort == sort_text(p.name) for p in Province.objects.all())


def test_data_migration_fills_existing_rows(tree):
    from importlib import import_module

    from django.apps import apps

    Organisation.objects.update(name_sort="")
    Province.objects.update(name_sort="")
    import_module("dxday.orgs.migrations.0003_name_sort").fill_name_sort(apps, None)
    assert Organisation.objects.get(pk=tree.th.pk).name_sort == sort_text("UBND tỉnh Thanh Hóa")
    assert not Organisation.objects.filter(name_sort="").exists()
    assert Province.objects.get(code="08").name_sort == sort_text("Tuyên Quang")
