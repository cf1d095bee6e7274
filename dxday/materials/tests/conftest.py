import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxday.materials import services
from dxday.materials.demo import poster_png, tiny_pdf
from dxday.materials.models import Material
from dxday.plans.tests.factories import make_campaign


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(title="Áp phích", colour="#1f4e79") -> SimpleUploadedFile:
    return SimpleUploadedFile("anh.png", poster_png(title, colour), content_type="image/png")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("van-ban.pdf", tiny_pdf(["Ke hoach"]), content_type="application/pdf")


def jpeg_with_gps() -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (40, 40), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def library(tree, people):
    """2025: a national public poster, a national subtree-only dispatch, a Thanh Hóa public
    infographic and a Thanh Hóa subtree-only plan."""
    campaign = make_campaign(2025)
    national = people.actor(people.national_coordinator)
    th = people.actor(people.th_coordinator)
    K, V = Material.Kind, Material.Visibility

    def make(actor, kind, title, visibility, upload):
        return services.material_create(
            by=actor,
            campaign=campaign,
            kind=kind,
            title=title,
            visibility=visibility,
            upload=upload,
        )

    class Library:
        pass

    lib = Library()
    lib.campaign = campaign
    lib.poster = make(national, K.POSTER, "Áp phích Ngày Chuyển đổi số", V.PUBLIC, png())
    lib.internal = make(national, K.DISPATCH, "Hướng dẫn nội bộ", V.SUBTREE, pdf())
    lib.th_info = make(th, K.INFOGRAPHIC, "Infographic Tổ công nghệ số Thanh Hóa", V.PUBLIC, png())
    lib.th_plan = make(th, K.PLAN, "Kế hoạch nội bộ Thanh Hóa", V.SUBTREE, pdf())
    return lib
