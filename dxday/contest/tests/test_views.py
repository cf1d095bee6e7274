"""Pages: public ones without per-visitor state, the participant's page within 300 KB, the
organiser's pages, and the report section."""

import datetime
import io

import pytest
import time_machine
from django.contrib.staticfiles import finders

from dxday.contest.report_sections import ContestSection
from dxday.contest.services import answers_save, attempt_start, attempt_submit
from dxday.core.report_sections import Scope
from dxday.identity.selectors import SESSION_KEY
from dxday.orgs.tests.factories import DEFAULT_PASSWORD

from .factories import correct_answers

pytestmark = pytest.mark.django_db


def _as_participant(client, p):
    session = client.session
    session[SESSION_KEY] = p.identity_id
    session.save()


def test_public_pages_carry_no_per_visitor_state(client, world):
    for url in ("/cuoc-thi/", f"/cuoc-thi/{world.contest.pk}/"):
        r = client.get(url)
        assert r.status_code == 200
        assert not r.cookies, url
        assert "public" in r["Cache-Control"]
        assert b"csrfmiddlewaretoken" not in r.content and b"X-CSRFToken" not in r.content
    assert world.contest.title in client.get(f"/cuoc-thi/{world.contest.pk}/").content.decode()


def test_attempt_page_first_load_is_under_300_kb_and_local(client, world):
    _as_participant(client, world.alice)
    r = client.get(f"/cuoc-thi/dot/{world.round.pk}/lam-bai/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "https://" not in html and "http://" not in html
    total = len(r.content)
    for name in ("contest/contest.css", "contest/attempt.js"):
        assert f"/static/{name}" in html
        with open(finders.find(name), "rb") as f:
            total += len(f.read())
    # The start answer (all questions in one response) counts too.
    start = client.post(
        f"/api/v1/contest/rounds/{world.round.pk}/attempts",
        HTTP_AUTHORIZATION=f"Bearer {_token(world.alice)}",
    )
    total += len(start.content)
    assert total <= 300 * 1024, total


def _token(p):
    from .factories import participant_token_for

    return participant_token_for(p)


def test_attempt_page_without_registration_goes_to_register(client, world):
    r = client.get(f"/cuoc-thi/dot/{world.round.pk}/lam-bai/")
    assert r.status_code == 302 and "/dang-ky/" in r["Location"]


def test_result_shows_explanations_only_after_close(client, world):
    s = attempt_start(participant=world.alice, round=world.round)
    answers_save(attempt=s.attempt, answers=correct_answers(s)[:3])
    attempt_submit(attempt=s.attempt)
    _as_participant(client, world.alice)
    url = f"/cuoc-thi/luot/{s.attempt.pk}/ket-qua/"
    html = client.get(url).content.decode()
    assert "3/4" in html and "Giải thích" not in html
    with time_machine.travel(world.round.closes_at + datetime.timedelta(minutes=1)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="explanation"') == 4
    _as_participant(client, world.bob)
    assert client.get(url).status_code == 404


def test_organiser_pages(client, world, people):
    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    cid = world.contest.pk
    for url in ("/cuoc-thi/quan-ly/", f"/cuoc-thi/quan-ly/{cid}/",
                f"/cuoc-thi/quan-ly/{cid}/cau-hoi/", f"/cuoc-thi/quan-ly/{cid}/canh-bao/",
                f"/cuoc-thi/quan-ly/dot/{world.round.pk}/ket-qua/"):  # fmt: skip
        r = client.get(url)
        assert r.status_code == 200, url
    assert (
        "Xếp hạng theo"
        in client.get(f"/cuoc-thi/quan-ly/dot/{world.round.pk}/ket-qua/").content.decode()
    )
    # Another province's coordinator sees nothing of it.
    client.login(username="th_dieuphoi", password=DEFAULT_PASSWORD)
    assert client.get(f"/cuoc-thi/quan-ly/{cid}/").status_code == 404


def test_organiser_refused_edit_shows_why(client, world, people):
    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    q = world.bank[0]
    r = client.post(f"/cuoc-thi/quan-ly/cau-hoi/{q.pk}/trang-thai/", {"status": "draft"},
                    follow=True)  # fmt: skip
    assert "đang mở" in r.content.decode()


def test_import_through_the_page(client, world, people):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Câu hỏi", "Đáp án A", "Đáp án B", "Đáp án đúng", "Chủ đề"])
    wb.active.append(["VNeID là gì?", "Ứng dụng định danh điện tử", "Trò chơi", "A", "Kỹ năng số"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "q.xlsx"
    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    r = client.post(
        f"/cuoc-thi/quan-ly/{world.contest.pk}/cau-hoi/", {"file": buf, "dry_run": "on"}
    )
    assert "Tệp hợp lệ: 1 câu hỏi" in r.content.decode()


def test_report_section_counts_participants_and_attempts_per_unit(world):
    from dxday.reports.selectors import report_units

    for p in (world.alice, world.bob):
        s = attempt_start(participant=p, round=world.round)
        attempt_submit(attempt=s.attempt)
    org = world.tree.tq
    scope = Scope(organisation=org, campaign=world.contest.campaign, period=None,
                  units=report_units(org))  # fmt: skip
    result = ContestSection().compute(scope).as_dict()
    figures = {f["code"]: f for g in result["groups"] for f in g["figures"]}
    assert figures["contest.unit_attempts"]["value"] == 1  # bob, an official of the commune
    assert figures["contest.residence_participants"]["value"] == 2
    assert figures["contest.registered"]["value"] == 1


def test_register_after_proving_a_contact(client, world, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    from dxday.contest.models import Participant
    from dxday.identity import channels

    url = f"/cuoc-thi/{world.contest.pk}/dang-ky/"
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/xac-minh/")
    mail.outbox.clear()
    channels.OUTBOX.clear()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/xac-minh/", {"kind": "email", "contact": "lan@example.vn",
                                              "next": url})  # fmt: skip
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post(started["Location"], {"code": code, "next": url})["Location"] == url
    page = client.get(url).content.decode()
    assert "Phường Minh Xuân" in page and "***@example.vn" in page
    assert "lan@example.vn" not in page
    commune = world.tree.tq_c1.commune
    base = {"full_name": "Hoàng Thị Lan", "birth_year": "1995", "province": "08",
            "commune": commune.pk, "kind": "official"}  # fmt: skip
    # An official without a unit: told to search; the search finds it without diacritics.
    r = client.post(url, {**base, "org_q": "phuong minh xuan", "find": "1"})
    assert "UBND phường Minh Xuân" in r.content.decode()
    r = client.post(url, {**base, "org_q": "phuong minh xuan",
                          "organisation": world.tree.tq_c1.pk})  # fmt: skip
    assert r.status_code == 302
    p = Participant.objects.get(full_name="Hoàng Thị Lan")
    assert p.organisation == world.tree.tq_c1 and p.kind == "official"
    # One verified contact is one participant of the contest.
    assert client.get(url).status_code == 302
    from dxday.contest.services import participant_register
    from dxday.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        participant_register(contest=world.contest, identity=p.identity, full_name="X",
                             birth_year=1990, commune=commune)  # fmt: skip
    assert exc.value.code == "already_registered"


def test_register_refuses_residents_of_another_province(world):
    from dxday.contest.services import participant_register
    from dxday.core.errors import DomainError

    from .factories import make_identity

    with pytest.raises(DomainError) as exc:
        participant_register(contest=world.contest, identity=make_identity(), full_name="X",
                             birth_year=1990, commune=world.tree.th_c1.commune)  # fmt: skip
    assert exc.value.code == "not_eligible"


def test_winners_get_verifiable_certificates(client, world, people):
    import datetime as dt

    import time_machine

    from dxday.certificates.models import Certificate

    for p, n in ((world.alice, 4), (world.bob, 2)):
        s = attempt_start(participant=p, round=world.round)
        answers_save(attempt=s.attempt, answers=correct_answers(s)[:n])
        attempt_submit(attempt=s.attempt)
    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    url = f"/cuoc-thi/quan-ly/dot/{world.round.pk}/chung-nhan/"
    r = client.post(url, {"top": "1"}, follow=True)
    assert "sau khi đợt thi đóng" in r.content.decode()
    with time_machine.travel(world.round.closes_at + dt.timedelta(minutes=1)):
        client.post(url, {"top": "1"})
        client.post(url, {"top": "2"})  # again, one more: alice's is not doubled
        client.post(url, {"top": "5", "scope": "contest"})
    certs = Certificate.objects.filter(source=f"contest.round:{world.round.pk}").order_by("pk")
    assert [c.holder_name for c in certs] == [world.alice.full_name, world.bob.full_name]
    assert Certificate.objects.filter(source=f"contest.contest:{world.contest.pk}").count() == 2
    page = client.get(f"/xac-thuc/{certs[0].code}/")
    assert page.status_code == 200 and world.alice.full_name in page.content.decode()


def test_unit_officials_give_a_participation_rate_and_flags_are_reviewed(client, world, people):
    from dxday.contest.models import Flag

    s = attempt_start(participant=world.bob, round=world.round)
    attempt_submit(attempt=s.attempt)
    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    url = f"/cuoc-thi/quan-ly/{world.contest.pk}/so-can-bo/"
    client.post(url, {"code": world.tree.tq_c1.code, "officials": "40"})
    r = client.post(url, {"code": world.tree.th_c1.code, "officials": "10"}, follow=True)
    assert "không thuộc phạm vi" in r.content.decode()
    from dxday.contest.selectors import organisation_board

    (row,) = organisation_board(world.round)
    assert row["rate"] == 2.5
    flag = Flag.objects.create(round=world.round, kind="too_fast", subject="a1",
                               created_at=s.attempt.started_at)  # fmt: skip
    client.post(f"/cuoc-thi/quan-ly/canh-bao/{flag.pk}/da-xem/")
    flag.refresh_from_db()
    assert flag.reviewed_at is not None


def test_question_edit_page_refuses_during_an_open_round_and_saves_after(client, world, people):
    import datetime as dt

    import time_machine

    client.login(username="tq_dieuphoi", password=DEFAULT_PASSWORD)
    q = world.bank[0]
    url = f"/cuoc-thi/quan-ly/cau-hoi/{q.pk}/sua/"
    data = {"text": "Câu đã sửa?", "topic": q.topic, "difficulty": "2", "explanation": "",
            "option_A": "Đúng", "correct_A": "on", "option_B": "Sai"}  # fmt: skip
    page = client.get(url).content.decode()
    assert 'data-testid="blocked"' in page
    r = client.post(url, data)
    assert "Không thể sửa câu hỏi này" in r.content.decode()
    with time_machine.travel(world.round.closes_at + dt.timedelta(minutes=1)):
        r = client.post(url, data)
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.text == "Câu đã sửa?" and q.options.count() == 2
