import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from dxday.conftest import close_file
from dxday.materials.models import Material

from .conftest import png

pytestmark = pytest.mark.django_db


def decode_png(body: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(body)))]


def decode_svg(body: bytes) -> list[str]:
    """Rasterise segno's SVG again through segno's own matrix check: draw the path in Pillow."""
    import re

    from PIL import ImageDraw

    scale = 10
    path = re.search(rb' d="([^"]+)"', body).group(1).decode()
    width = int(float(re.search(rb' width="([0-9.]+)"', body).group(1)))
    image = Image.new("L", (width, width), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmhv])(-?[0-9.]+)(?: (-?[0-9.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        elif op == "h":
            draw.rectangle(
                ((x * scale), (y - 0.5) * scale, (x + float(a)) * scale - 1, (y + 0.5) * scale - 1),
                fill=0,
            )
            x += float(a)
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_library_page_lists_public_items_for_anyone_and_searches(client, library):
    r = client.get(reverse("materials:library") + "?q=ap+phich")
    html = r.content.decode()
    assert r.status_code == 200 and library.poster.title in html
    assert library.th_info.title not in html
    r = client.get(reverse("materials:library_short", args=[2025]))
    html = r.content.decode()
    assert library.th_info.title in html and library.internal.title not in html
    assert "public" in r["Cache-Control"]


def test_issuer_library_short_url(client, library, tree):
    r = client.get(reverse("materials:library_short_issuer", args=[2025, "tinh-38"]))
    html = r.content.decode()
    assert library.th_info.title in html and library.poster.title not in html
    assert client.get("/m/2025/khong-co").status_code == 404


def test_subtree_only_item_is_invisible_to_others(client, library, people):
    code = library.th_plan.short_code
    urls = [f"/m/{code}", f"/m/{code}/tep", f"/m/{code}/qr.svg", f"/m/{code}/qr-khoi.png"]
    for url in urls:  # anonymous
        assert client.get(url).status_code == 404, url
    client.force_login(people.tq_coordinator)  # another province
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert library.th_plan.title not in client.get("/m/2025").content.decode()
    client.force_login(people.th_c1_reporter)  # inside Thanh Hóa
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        close_file(r)
    r = client.get("/m/2025")
    assert library.th_plan.title in r.content.decode() and "private" in r["Cache-Control"]


def test_file_is_served_safely_and_counted(client, library):
    r = client.get(f"/m/{library.poster.short_code}/tep")
    body = b"".join(r.streaming_content)
    close_file(r)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and body[:4] == b"\x89PNG"
    assert r["X-Content-Type-Options"] == "nosniff" and "sandbox" in r["Content-Security-Policy"]
    assert "attachment" in r["Content-Disposition"]
    close_file(client.get(f"/m/{library.poster.short_code}/tep/1"))
    library.poster.refresh_from_db()
    assert library.poster.downloads == 2
    assert client.get(f"/m/{library.poster.short_code}/tep/9").status_code == 404


def test_item_qr_decodes_to_its_short_url_and_survives_a_new_version(client, library, people):
    code = library.poster.short_code
    expected = f"http://testserver/m/{code}"
    assert decode_png(client.get(f"/m/{code}/qr.png").content) == [expected]
    assert decode_png(client.get(f"/m/{code}/qr-khoi.png").content) == [expected]
    assert decode_svg(client.get(f"/m/{code}/qr.svg").content) == [expected]
    block = client.get(f"/m/{code}/qr-khoi.svg").content.decode()
    assert expected in block and library.poster.title in block
    from dxday.materials import services

    services.material_version_add(
        material=library.poster, by=people.actor(people.national_coordinator), upload=png("v2")
    )
    assert decode_png(client.get(f"/m/{code}/qr.png").content) == [expected]
    page = client.get(expected.removeprefix("http://testserver")).content.decode()
    assert "Phiên bản" in page and "/tep/2" in page


def test_library_qr_decodes_to_the_library(client, library, settings):
    settings.PUBLIC_URL = "https://ngaychuyendoiso.example"
    assert decode_png(client.get("/m/2025/qr.png").content) == [
        "https://ngaychuyendoiso.example/m/2025"
    ]
    assert decode_png(client.get("/m/2025/tinh-38/qr-khoi.png").content) == [
        "https://ngaychuyendoiso.example/m/2025/tinh-38"
    ]
    assert client.get("/m/2025/qr.gif").status_code == 404


def test_anonymous_public_pages_set_no_cookie(client, library):
    for url in ("/tai-lieu/", "/m/2025", f"/m/{library.poster.short_code}"):
        r = client.get(url)
        assert r.status_code == 200 and not r.cookies, url


def test_coordinator_publishes_and_adds_a_version(client, library, people):
    client.force_login(people.th_coordinator)
    r = client.post(
        reverse("materials:manage"),
        {
            "title": "Băng rôn xã",
            "kind": "banner",
            "visibility": "public",
            "campaign": "2025",
            "file": png(),
        },
    )
    m = Material.objects.get(title="Băng rôn xã")
    assert r.status_code == 302 and m.organisation.code == "tinh-38"
    r = client.post(
        reverse("materials:manage_detail", args=[m.pk]),
        {"action": "version", "file": png("v2"), "note": "v2"},
    )
    assert r.status_code == 302 and m.versions.count() == 2
    r = client.post(
        reverse("materials:manage"),
        {
            "title": "Sai",
            "kind": "banner",
            "visibility": "public",
            "campaign": "2025",
            "file": io.BytesIO(b"not an image"),
        },
    )
    assert r.status_code == 200 and "Chỉ nhận ảnh" in r.content.decode()
    # Another province's item is not found; a viewer may not open the page.
    other = library.poster
    assert client.get(reverse("materials:manage_detail", args=[other.pk])).status_code == 404
    client.force_login(people.th_viewer)
    assert client.get(reverse("materials:manage")).status_code == 403


def test_library_query_count_is_pinned(client, library, django_assert_num_queries):
    # campaign, page count, page rows, issuers, years (anonymous: no session or user lookups)
    with django_assert_num_queries(5):
        client.get("/m/2025")


def test_bad_values_never_give_a_server_error(client, library, people):
    huge = "9" * 25
    code = library.poster.short_code
    urls = [f"/m/{code}/tep/{huge}", f"/m/{huge}", f"/m/{huge}/qr.png", "/m/1999"]
    urls += [f"/tai-lieu/?nam={huge}&trang={huge}&loai=x&q={'x' * 500}", "/m/2025/x/qr.svg"]
    for url in urls:
        assert client.get(url).status_code in (200, 404), url
    client.force_login(people.th_coordinator)
    assert client.get(f"/tai-lieu/quan-ly/{huge}/").status_code == 404
