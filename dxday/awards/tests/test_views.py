from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dxday.awards import services
from dxday.awards.models import Entry, EntryFile, Programme, Vote
from dxday.conftest import close_file
from dxday.identity.selectors import SESSION_KEY

from .conftest import make_applicant, make_identity, nominate, submitted_entry

pytestmark = pytest.mark.django_db


def as_identity(client, identity):
    session = client.session
    session[SESSION_KEY] = identity.pk
    session.save()


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, format="PNG")
    return SimpleUploadedFile("anh.png", buf.getvalue(), content_type="image/png")


def test_public_pages(client, programme, honours, people):
    nominate(people, honours, n=2)
    listing = client.get("/giai-thuong/").content.decode()
    assert programme.name in listing and honours.name in listing
    page = client.get(f"/giai-thuong/{programme.pk}/").content.decode()
    assert "Cách tham dự" in page and "Hạng mục 5" in page and "trọng số" in page
    assert "Đăng ký dự thi" in page
    vote_page = client.get(f"/giai-thuong/{honours.pk}/").content.decode()
    assert "Ứng dụng 0" in vote_page and "Bình chọn" in vote_page
    assert client.get("/giai-thuong/999999/").status_code == 404


def test_applicant_flow_from_verification_to_submission(client, programme):
    assert client.get("/giai-thuong/ho-so/")["Location"].startswith("/xac-minh/?next=")
    identity = make_identity()
    as_identity(client, identity)
    bad = client.post("/giai-thuong/ho-so/", {"kind": "organisation", "name": ""})
    assert bad.status_code == 200
    saved = client.post(
        "/giai-thuong/ho-so/",
        {"kind": "organisation", "name": "Công ty Số Một", "org_type": "enterprise"},
    )
    assert saved.status_code == 302
    cat = programme.categories.get(code="3")
    form = client.get(f"/giai-thuong/{programme.pk}/du-thi/?hang_muc={cat.pk}").content.decode()
    assert "Tóm tắt" in form
    created = client.post(
        f"/giai-thuong/{programme.pk}/du-thi/",
        {"category": cat.pk, "title": "Ứng dụng Một", "q_tom_tat": "Mô tả ngắn"},
    )
    entry = Entry.objects.get()
    assert created["Location"] == f"/giai-thuong/ho-so/{entry.pk}/"
    ineligible = client.post(
        f"/giai-thuong/{programme.pk}/du-thi/",
        {"category": programme.categories.get(code="1").pk, "title": "Sai hạng mục"},
    )
    assert (
        "chỉ dành cho" in ineligible.content.decode() or "dành cho" in ineligible.content.decode()
    )
    upload = client.post(f"/giai-thuong/ho-so/{entry.pk}/tep/", {"file": png()})
    assert upload.status_code == 302 and EntryFile.objects.count() == 1
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    client.post(f"/giai-thuong/ho-so/{entry.pk}/tep/", {"file": fake})
    assert EntryFile.objects.count() == 1
    client.post(f"/giai-thuong/ho-so/{entry.pk}/nop/")
    entry.refresh_from_db()
    assert entry.status == "submitted"
    page = client.get(f"/giai-thuong/ho-so/{entry.pk}/").content.decode()
    assert "Đã nộp" in page and "Nộp hồ sơ</button>" not in page


def test_entry_files_are_invisible_to_other_applicants(client, programme, people, jury):
    owner = make_applicant("Chủ hồ sơ")
    entry = submitted_entry(programme, owner)
    entry.status = "draft"
    entry.save()
    stored = services.entry_file_add(applicant=owner, entry=entry, upload=png())
    url = f"/giai-thuong/tep/{stored.pk}/"
    assert client.get(url).status_code == 404  # anonymous
    as_identity(client, make_applicant("Người khác").identity)
    assert client.get(url).status_code == 404
    assert client.get(f"/giai-thuong/ho-so/{entry.pk}/").status_code == 404
    as_identity(client, owner.identity)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    close_file(response)
    client.logout()
    client.force_login(people.national_coordinator)
    response = client.get(url)  # the organiser
    assert response.status_code == 200
    close_file(response)
    client.force_login(people.th_coordinator)
    assert client.get(url).status_code == 404  # another province's coordinator
    client.force_login(jury[0].user)
    assert client.get(url).status_code == 404  # a juror not assigned


def test_juror_and_organiser_pages(client, programme, jury, people):
    organiser = people.actor(people.national_coordinator)
    entry = submitted_entry(programme)
    services.entry_screen(by=organiser, entry=entry, verdict="eligible")
    a = services.assignment_add(by=organiser, entry=entry, juror=jury[0])
    for phase in ("screening", "scoring"):
        services.phase_set(by=organiser, programme=programme, phase=phase)
    client.force_login(jury[0].user)
    home = client.get("/giam-khao/").content.decode()
    assert entry.title in home
    crit = list(entry.category.criteria.all())
    posted = client.post(
        f"/giam-khao/{a.pk}/",
        {f"c_{crit[0].pk}": "9", f"c_{crit[1].pk}": "4", "submit": "1"},
    )
    assert posted.status_code == 302
    page = client.get(f"/giam-khao/{a.pk}/").content.decode()
    assert "Bạn đã nộp phiếu" in page
    declared = client.post(
        f"/giam-khao/xung-dot/{jury[0].pk}/",
        {"organisation_name": "Công ty Z", "relation": "family"},
    )
    assert declared.status_code == 302 and jury[0].conflicts.count() == 1
    client.force_login(jury[1].user)
    assert client.get(f"/giam-khao/{a.pk}/").status_code == 404
    client.force_login(people.national_coordinator)
    manage = client.get(f"/giai-thuong/quan-ly/{programme.pk}/").content.decode()
    assert entry.title in manage and "Điểm chuẩn hóa" in manage
    client.force_login(people.th_coordinator)
    assert client.get(f"/giai-thuong/quan-ly/{programme.pk}/").status_code == 404
    client.force_login(people.th_c1_reporter)
    assert client.get("/giai-thuong/quan-ly/").status_code == 403


def test_vote_page_needs_a_verified_identity_then_counts_once(client, people, honours):
    (candidate,) = nominate(people, honours, n=1)
    first = client.get(f"/ton-vinh/{candidate.pk}/binh-chon/")
    assert first["Location"].startswith("/xac-minh/?next=")
    as_identity(client, make_identity())
    assert (
        "Xác nhận bình chọn" in client.get(f"/ton-vinh/{candidate.pk}/binh-chon/").content.decode()
    )
    client.post(f"/ton-vinh/{candidate.pk}/binh-chon/")
    again = client.post(f"/ton-vinh/{candidate.pk}/binh-chon/", follow=True)
    assert "Bạn đã bình chọn" in again.content.decode()
    assert Vote.objects.count() == 1
    assert Programme.objects.get(pk=honours.pk).candidates.get().votes == 1
