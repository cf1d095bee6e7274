import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dxday.core.audit import audit_trail
from dxday.core.errors import DomainError
from dxday.materials import selectors, services
from dxday.materials.models import Material

from .conftest import jpeg_with_gps, pdf, png

pytestmark = pytest.mark.django_db


def test_create_stores_a_verified_first_version_and_audits(library):
    poster = library.poster
    assert poster.current.number == 1
    assert poster.current.content_type == "image/png"
    assert (
        poster.current.file.name.startswith("materials/") and "anh" not in poster.current.file.name
    )
    assert len(poster.short_code) == 7 and poster.short_code.isalpha()
    assert [e.action for e in audit_trail(poster)][-1] == "materials.material.created"


def test_a_new_version_keeps_the_short_code(library, people):
    code = library.poster.short_code
    v2 = services.material_version_add(
        material=library.poster,
        by=people.actor(people.national_coordinator),
        upload=png("v2"),
        note="Sửa lỗi chính tả",
    )
    library.poster.refresh_from_db()
    assert (v2.number, library.poster.short_code, library.poster.current_id) == (2, code, v2.pk)
    assert library.poster.versions.count() == 2


def test_file_types_are_checked_by_content(library, people):
    actor = people.actor(people.national_coordinator)
    fake = SimpleUploadedFile("poster.png", b"<html><script>x</script></html>", "image/png")
    with pytest.raises(DomainError) as err:
        services.material_create(
            by=actor, campaign=library.campaign, kind="poster", title="Giả", upload=fake
        )
    assert err.value.code == "unsupported_file_type"
    assert not Material.objects.filter(title="Giả").exists()  # nothing half-written


def test_photos_lose_their_metadata(library, people):
    m = services.material_create(
        by=people.actor(people.th_coordinator),
        campaign=library.campaign,
        kind="poster",
        title="Ảnh",
        upload=jpeg_with_gps(),
    )
    with m.current.file.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()


def test_video_link_must_be_https_and_some_content_is_needed(library, people):
    actor = people.actor(people.national_coordinator)
    with pytest.raises(DomainError) as err:
        services.material_create(
            by=actor,
            campaign=library.campaign,
            kind="video",
            title="Video",
            link="http://x.example/v",
        )
    assert err.value.code == "bad_link"
    with pytest.raises(DomainError) as err:
        services.material_create(by=actor, campaign=library.campaign, kind="poster", title="Rỗng")
    assert err.value.code == "no_content"


def test_only_coordinators_of_the_issuer_or_above_manage(library, people):
    with pytest.raises(DomainError):
        services.material_version_add(
            material=library.poster, by=people.actor(people.th_coordinator), upload=pdf()
        )
    with pytest.raises(DomainError):
        services.material_create(
            by=people.actor(people.th_viewer),
            campaign=library.campaign,
            kind="poster",
            title="x",
            upload=png(),
        )
    # The national coordinator may add a version to Thanh Hóa's item (it is in their subtree).
    services.material_version_add(
        material=library.th_info, by=people.actor(people.national_coordinator), upload=png()
    )


def test_downloads_are_counted_in_the_database(library):
    for _ in range(3):
        services.material_download_count(material=library.poster)
    library.poster.refresh_from_db()
    assert library.poster.downloads == 3


def test_visibility_of_subtree_items(library, people):
    def titles(user):
        actor = people.actor(user) if user else None
        return {m.title for m in selectors.material_library(actor, campaign=library.campaign)}

    public = {library.poster.title, library.th_info.title}
    assert titles(None) == public
    # Tuyên Quang sees the national internal item (it is below the issuer), not Thanh Hóa's.
    assert titles(people.tq_coordinator) == public | {library.internal.title}
    # A Thanh Hóa commune sees both internal items above it.
    assert titles(people.th_c1_reporter) == public | {library.internal.title, library.th_plan.title}
    # The nation sees Thanh Hóa's internal plan (Thanh Hóa is in its subtree).
    assert library.th_plan.title in titles(people.national_coordinator)


def test_search_ignores_diacritics_and_filters_by_kind_and_issuer(library, tree):
    def titles(**kw):
        return {m.title for m in selectors.material_library(None, campaign=library.campaign, **kw)}

    assert titles(q="ap phich") == {library.poster.title}
    assert titles(q="THANH HOA") == {library.th_info.title}  # the issuer's name is searched too
    assert titles(kind="infographic") == {library.th_info.title}
    assert titles(issuer=tree.th) == {library.th_info.title}
