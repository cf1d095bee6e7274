import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxday.activities import selectors, services
from dxday.activities.models import Activity, IndicatorValue, Offer
from dxday.core.errors import DomainError, NotFound
from dxday.core.models import AuditEntry
from dxday.plans.models import Assignment

from .factories import activity_data, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def _report(loop, assignment=None, user=None, values=None, **over):
    user = user or loop.people.th_c1_reporter
    return services.activity_create(
        by=loop.people.actor(user),
        assignment=assignment or loop.a_c1,
        data=activity_data(**over),
        values=values,
    )


def test_draft_submit_accept_locks_and_publishes(loop):
    activity = _report(loop, values={"articles": 5, "people_reached": 1200})
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == Assignment.Status.IN_PROGRESS
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    services.activity_submit(activity=activity, by=reporter)
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == Assignment.Status.REPORTED
    coordinator = loop.people.actor(loop.people.th_coordinator)
    activity = services.activity_accept(activity=activity, by=coordinator)
    assert activity.status == Activity.Status.ACCEPTED and activity.is_published
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == Assignment.Status.ACCEPTED
    with pytest.raises(DomainError) as exc:
        services.activity_update(activity=activity, by=reporter, data={"title": "Sửa"})
    assert exc.value.code == "locked" and "khóa" in exc.value.message
    with pytest.raises(DomainError):
        services.activity_values_set(activity=activity, by=reporter, values={"articles": 1})
    with pytest.raises(DomainError):
        services.evidence_add(activity=activity, by=reporter, upload=png_upload())
    actions = set(
        AuditEntry.objects.filter(object_id=str(activity.pk)).values_list("action", flat=True)
    )
    assert {
        "activities.activity.created",
        "activities.activity.submitted",
        "activities.activity.accepted",
    } <= actions


def test_return_requires_reason_and_carries_it(loop):
    activity = _report(loop)
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    services.activity_submit(activity=activity, by=reporter)
    coordinator = loop.people.actor(loop.people.th_coordinator)
    with pytest.raises(DomainError) as exc:
        services.activity_return(activity=activity, by=coordinator, reason="  ")
    assert exc.value.code == "reason_required"
    services.activity_return(activity=activity, by=coordinator, reason="Thiếu ảnh minh chứng.")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.RETURNED
    assert activity.return_reason == "Thiếu ảnh minh chứng."
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == Assignment.Status.RETURNED
    assert loop.a_c1.return_reason == "Thiếu ảnh minh chứng."
    # The unit corrects and resubmits.
    services.activity_update(activity=activity, by=reporter, data={"title": "Đã bổ sung"})
    services.activity_submit(activity=activity, by=reporter)


def test_unit_cannot_review_itself_and_other_province_is_not_found(loop, people):
    activity = _report(loop)
    reporter = people.actor(people.th_c1_reporter)
    services.activity_submit(activity=activity, by=reporter)
    with pytest.raises(DomainError) as exc:
        services.activity_accept(activity=activity, by=reporter)
    assert exc.value.status == 403
    with pytest.raises(NotFound):
        services.activity_accept(activity=activity, by=people.actor(people.tq_coordinator))
    with pytest.raises(DomainError):
        services.activity_accept(activity=activity, by=people.actor(people.th_viewer))


def test_coordinator_of_the_unit_itself_cannot_accept(loop, people, tree):
    from dxday.orgs.models import Role
    from dxday.orgs.tests.factories import make_member

    commune_coordinator = make_member(tree.th_c1, Role.COORDINATOR, "xa1_dieuphoi")
    activity = _report(loop)
    services.activity_submit(activity=activity, by=people.actor(people.th_c1_reporter))
    with pytest.raises(DomainError) as exc:
        services.activity_accept(activity=activity, by=people.actor(commune_coordinator))
    assert exc.value.code == "self_review"


def test_not_reported_is_null_never_zero(loop):
    activity = _report(loop, values={"articles": "", "people_reached": 0})
    values = {iv.indicator.code: iv.value for iv in activity.values.select_related("indicator")}
    assert values == {"articles": None, "people_reached": 0}
    assert IndicatorValue.objects.filter(value__isnull=True).count() == 1


def test_parts_never_exceed_totals(loop):
    with pytest.raises(DomainError) as exc:
        _report(loop, values={"people_guided": 10, "vneid_guided": 11})
    assert exc.value.code == "part_exceeds_total"
    assert "Người được hướng dẫn VNeID" in exc.value.message
    assert "Người dân được hướng dẫn" in exc.value.message
    assert not Activity.objects.exists()  # nothing half-written
    activity = _report(loop, values={"people_guided": 10, "vneid_guided": 10})
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    with pytest.raises(DomainError):
        services.activity_values_set(activity=activity, by=reporter, values={"people_guided": 9})


def test_values_reject_negative_text_and_foreign_indicators(loop):
    from dxday.plans.models import Indicator

    Indicator.objects.create(code="zz-khac", name="Khác", unit="cái")
    for bad in ({"articles": -1}, {"articles": "mười"}, {"zz-khac": 3}):
        with pytest.raises(DomainError):
            _report(loop, values=bad)
    activity = _report(loop, values={"articles": "1.250"})
    assert activity.values.get().value == 1250


def test_evidence_types_and_limits(loop, settings):
    activity = _report(loop)
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    image = services.evidence_add(activity=activity, by=reporter, upload=png_upload())
    assert image.content_type == "image/png"
    assert image.file.name.startswith("evidence/") and "anh" not in image.file.name
    pdf = services.evidence_add(activity=activity, by=reporter, upload=pdf_upload())
    assert pdf.content_type == "application/pdf" and pdf.file.name.endswith(".pdf")
    html = SimpleUploadedFile("anh.png", b"<html><script>alert(1)</script>", "image/png")
    with pytest.raises(DomainError) as exc:
        services.evidence_add(activity=activity, by=reporter, upload=html)
    assert exc.value.code == "unsupported_file_type"
    gif = SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")
    with pytest.raises(DomainError):
        services.evidence_add(activity=activity, by=reporter, upload=gif)
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.evidence_add(activity=activity, by=reporter, upload=big)
    assert exc.value.code == "file_too_large"
    for _ in range(services.MAX_EVIDENCE_PER_ACTIVITY - 2):
        services.evidence_add(activity=activity, by=reporter, upload=png_upload())
    with pytest.raises(DomainError) as exc:
        services.evidence_add(activity=activity, by=reporter, upload=png_upload())
    assert exc.value.code == "too_many_files"


def test_unit_sees_only_its_own_coordinator_sees_subtree(loop, people):
    a1 = _report(loop)
    a2 = _report(loop, assignment=loop.a_c2, user=people.th_c2_reporter)
    c1 = people.actor(people.th_c1_reporter)
    assert list(selectors.activity_list_for_actor(c1)) == [a1]
    with pytest.raises(NotFound):
        selectors.get_activity_for_user(c1, a2.pk)
    with pytest.raises(NotFound):
        selectors.get_activity_for_user(c1, 999999)
    th = people.actor(people.th_coordinator)
    assert set(selectors.activity_list_for_actor(th)) == {a1, a2}
    assert list(selectors.activity_list_for_actor(people.actor(people.tq_coordinator))) == []
    assert [a.pk for a in selectors.assignments_for_unit(c1)] == [loop.a_c1.pk]
    with pytest.raises(NotFound):
        selectors.get_assignment_for_reporting(c1, loop.a_c2.pk)
    # A reporter cannot report for another commune.
    with pytest.raises(NotFound):
        services.activity_create(by=c1, assignment=loop.a_c2, data=activity_data())


def test_review_queue_is_the_subtree_below(loop, people):
    a1 = _report(loop)
    services.activity_submit(activity=a1, by=people.actor(people.th_c1_reporter))
    assert list(selectors.review_queue(people.actor(people.th_coordinator))) == [a1]
    assert list(selectors.review_queue(people.actor(people.national_coordinator))) == [a1]
    assert list(selectors.review_queue(people.actor(people.tq_coordinator))) == []
    assert list(selectors.review_queue(people.actor(people.th_c1_reporter))) == []


def test_task_results_roll_up_children_to_national_task(loop, people):
    th = people.actor(people.th_coordinator)
    a1 = _report(loop, values={"articles": 5, "people_guided": 100, "vneid_guided": 40})
    a2 = _report(loop, assignment=loop.a_c2, user=people.th_c2_reporter, values={"articles": 3})
    services.activity_submit(activity=a1, by=people.actor(people.th_c1_reporter))
    services.activity_submit(activity=a2, by=people.actor(people.th_c2_reporter))
    services.activity_accept(activity=a1, by=th)
    tq_draft = services.activity_create(
        by=people.actor(people.tq_coordinator),
        assignment=loop.a_tq,
        data=activity_data(),
        values={"articles": 50},
    )
    assert tq_draft.status == Activity.Status.DRAFT  # drafts never count
    result = selectors.task_results(loop.national_task)
    rows = {r.indicator.code: r for r in result["rows"]}
    assert rows["articles"].accepted == 5 and rows["articles"].submitted == 3
    assert rows["people_guided"].accepted == 100
    assert rows["people_reached"].accepted is None  # not reported, not zero
    assert result["tasks"] == 2 and result["units"] == 1
    # The child task alone shows the same figures (all were reported there).
    assert {r.indicator.code: r.accepted for r in selectors.task_results(loop.th_task)["rows"]}[
        "articles"
    ] == 5


def test_subtree_rollups_for_reports(loop, people, tree):
    th = people.actor(people.th_coordinator)
    a1 = _report(loop, values={"articles": 5, "people_reached": None})
    services.activity_submit(activity=a1, by=people.actor(people.th_c1_reporter))
    services.activity_accept(activity=a1, by=th)
    assert selectors.activity_counts_by_type(organisation=tree.th) == {"radio": 1}
    assert selectors.activity_counts_by_type(organisation=tree.tq) == {}
    totals = selectors.indicator_totals(organisation=tree.th, campaign=loop.campaign)
    assert totals == {"articles": 5, "people_reached": None}


def test_unpublish_by_moderator(loop, people):
    a1 = _report(loop)
    services.activity_submit(activity=a1, by=people.actor(people.th_c1_reporter))
    services.activity_accept(activity=a1, by=people.actor(people.th_coordinator))
    assert selectors.published_activities().count() == 1
    services.activity_unpublish(activity=a1, by=people.actor(people.moderator), reason="Trùng")
    assert selectors.published_activities().count() == 0
    with pytest.raises(DomainError):
        services.activity_publish(activity=a1, by=people.actor(people.th_c1_reporter))


def test_offers_need_moderation(loop, people):
    reporter = people.actor(people.th_c1_reporter)
    offer = services.offer_register(
        by=reporter,
        data={
            "provider": "Postmart",
            "title": "Mua sắm trực tuyến",
            "discount": "Giảm 20%",
            "starts_on": datetime.date(2025, 10, 1),
            "ends_on": datetime.date(2025, 10, 10),
            "link": "https://postmart.vn",
        },
    )
    assert offer.status == Offer.Status.PENDING
    assert selectors.published_offers().count() == 0
    with pytest.raises(DomainError):
        services.offer_approve(offer=offer, by=reporter)
    with pytest.raises(DomainError):
        services.offer_reject(offer=offer, by=people.actor(people.moderator), reason="")
    services.offer_approve(offer=offer, by=people.actor(people.moderator))
    assert list(selectors.published_offers(q="postmart")) == [offer]


def test_sectors_flag_ministry_with_fewer_than_three(loop, people, tree):
    from dxday.orgs.models import Role
    from dxday.orgs.tests.factories import make_member

    ministry = people.actor(make_member(tree.ministry, Role.REPORTER, "btc"))
    sector = services.sector_create(
        by=ministry, organisation=tree.ministry, name="Thuế", progress=40
    )
    services.sector_milestone_add(
        sector=sector, by=ministry, date=datetime.date(2025, 12, 1), text="Hoàn thành"
    )
    with pytest.raises(DomainError):
        services.sector_update(sector=sector, by=ministry, progress=120)
    overview = selectors.sector_overview(people.actor(people.national_coordinator))
    assert [(m.organisation, m.flagged) for m in overview] == [(tree.ministry, True)]
    with pytest.raises(DomainError):
        services.sector_create(
            by=people.actor(people.th_coordinator), organisation=tree.th, name="X"
        )


def test_photo_metadata_is_removed(loop):
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Dien thoai cua toi"  # Make
    exif[0x8825] = {1: "N", 2: (20.0, 48.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("gps.jpg", buffer.getvalue(), "image/jpeg")
    activity = _report(loop)
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    item = services.evidence_add(activity=activity, by=reporter, upload=upload)
    with item.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (20, 10)
        assert not image.getexif()


def test_links_must_be_web_addresses(loop):
    for bad in ("javascript:alert(1)", "data:text/html,<b>x</b>", "không phải địa chỉ"):
        with pytest.raises(DomainError) as exc:
            _report(loop, links=bad)
        assert exc.value.code == "invalid_link"
    activity = _report(loop, links="https://thanhhoa.gov.vn\n\nhttp://example.vn/a")
    assert activity.link_list == ["https://thanhhoa.gov.vn", "http://example.vn/a"]


def _stored_files(settings) -> list:
    import pathlib

    root = pathlib.Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _not_an_image():
    return SimpleUploadedFile("b.png", b"<html>not an image</html>", "image/png")


def test_create_with_a_bad_file_in_the_middle_saves_nothing(loop, settings):
    """The view used to loop over the files itself: the first photo was written to storage
    before the second was refused, and the rollback left that file behind."""
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    with pytest.raises(DomainError) as exc:
        services.activity_create(
            by=reporter,
            assignment=loop.a_c1,
            data=activity_data(),
            values={"articles": 3},
            evidence=[png_upload(), _not_an_image(), pdf_upload()],
        )
    assert exc.value.code == "unsupported_file_type"
    assert not Activity.objects.exists() and not IndicatorValue.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="activities.").exists()
    assert _stored_files(settings) == []
    loop.a_c1.refresh_from_db()
    assert loop.a_c1.status == Assignment.Status.NOT_STARTED


def test_create_whose_third_file_fails_to_store_leaves_no_file(loop, settings, monkeypatch):
    """A storage failure after two files were written: both are deleted again."""
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save
    calls = []

    def failing_save(self, name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    with pytest.raises(OSError):
        services.activity_create(
            by=reporter,
            assignment=loop.a_c1,
            data=activity_data(),
            evidence=[png_upload(), pdf_upload(), png_upload()],
        )
    assert len(calls) == 3
    assert not Activity.objects.exists()
    assert _stored_files(settings) == []


def test_update_with_a_bad_file_changes_nothing(loop, settings):
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    activity = _report(loop, values={"articles": 1})
    with pytest.raises(DomainError):
        services.activity_update(
            activity=activity,
            by=reporter,
            data={"title": "Đã sửa"},
            values={"articles": 9},
            evidence=[pdf_upload(), _not_an_image()],
        )
    activity.refresh_from_db()
    assert activity.title != "Đã sửa" and activity.values.get().value == 1
    assert not activity.evidence.exists() and _stored_files(settings) == []
    services.activity_update(
        activity=activity, by=reporter, data={"title": "Đã sửa"}, evidence=[pdf_upload()]
    )
    activity.refresh_from_db()
    assert activity.title == "Đã sửa" and activity.evidence.count() == 1
    assert len(_stored_files(settings)) == 1


def test_too_many_files_at_once_saves_none(loop, settings):
    reporter = loop.people.actor(loop.people.th_c1_reporter)
    activity = _report(loop)
    uploads = [png_upload() for _ in range(services.MAX_EVIDENCE_PER_ACTIVITY + 1)]
    with pytest.raises(DomainError) as exc:
        services.evidence_attach(activity=activity, by=reporter, uploads=uploads)
    assert exc.value.code == "too_many_files"
    assert not activity.evidence.exists() and _stored_files(settings) == []
