from __future__ import annotations

import io

import pytest
from docx import Document

from dxday.core.errors import DomainError, NotFound
from dxday.core.models import AuditEntry
from dxday.plans.models import Assignment, Task
from dxday.reports import services
from dxday.reports.documents.formatting import parse_value
from dxday.reports.models import Report, ReportJob
from dxday.reports.selectors import figure_index, report_figures
from dxday.reports.services import document_build

pytestmark = pytest.mark.django_db


def _actor(people, name):
    return people.actor(getattr(people, name))


def _submitted_commune_report(world):
    reporter = _actor(world.people, "th_c1_reporter")
    report = services.report_draft(
        organisation=world.tree.th_c1, campaign=world.campaign, by=reporter
    )
    services.report_submit(report=report, by=reporter)
    return report


def test_draft_has_decree30_defaults_and_is_idempotent(world):
    coord = _actor(world.people, "th_coordinator")
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    assert report.status == Report.Status.DRAFT
    assert report.issuing_agency == "Ủy ban nhân dân tỉnh Thanh Hóa"
    assert report.addressee == "Bộ Khoa học và Công nghệ"
    assert report.place == "Thanh Hóa"
    assert report.authority_line.startswith("TM. ỦY BAN NHÂN DÂN")
    assert report.number.endswith("/BC-UBND")
    again = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    assert again.pk == report.pk
    assert AuditEntry.objects.filter(action="reports.report.drafted").count() == 1


def test_unit_cannot_draft_outside_its_subtree(world):
    coord = _actor(world.people, "th_coordinator")
    with pytest.raises(NotFound):
        services.report_draft(organisation=world.tree.tq, campaign=world.campaign, by=coord)
    reporter = _actor(world.people, "th_c1_reporter")
    with pytest.raises(NotFound):
        services.report_draft(organisation=world.tree.th_c2, campaign=world.campaign, by=reporter)
    viewer = _actor(world.people, "th_viewer")
    with pytest.raises(DomainError) as exc:
        services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=viewer)
    assert exc.value.status == 403


def test_narrative_and_explanations_but_never_figures(world):
    coord = _actor(world.people, "th_coordinator")
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    services.report_update_narrative(
        report=report,
        by=coord,
        narrative={"general_situation": "Thực hiện Công văn số 16650/UBND-CNXDKH..."},
        explanations={"plans.assignments.overdue": "Hai xã bị ảnh hưởng bởi bão."},
    )
    report.refresh_from_db()
    assert report.general_situation.startswith("Thực hiện Công văn")
    assert report.explanations == {"plans.assignments.overdue": "Hai xã bị ảnh hưởng bởi bão."}
    with pytest.raises(DomainError) as exc:
        services.report_update_narrative(
            report=report, by=coord, explanations={"made.up.figure": "1000"}
        )
    assert exc.value.code == "unknown_figure"
    with pytest.raises(DomainError) as exc:
        services.report_update_narrative(report=report, by=coord, narrative={"figures": "{}"})
    assert exc.value.code == "unknown_section"
    with pytest.raises(DomainError):
        services.report_update_narrative(report=report, by=coord, header={"status": "accepted"})
    # The explanation appears next to the figure in the document.
    data, _ = document_build(
        "docx", organisation=world.tree.th, campaign=world.campaign, report=report
    )
    doc = Document(io.BytesIO(data))
    notes = [row.cells[4].text for t in doc.tables[1:-1] for row in t.rows[1:]]
    assert "Hai xã bị ảnh hưởng bởi bão." in notes


def test_submit_accept_locks_and_snapshots(world):
    report = _submitted_commune_report(world)
    assert report.status == Report.Status.SUBMITTED and report.submitted_on
    reporter = _actor(world.people, "th_c1_reporter")
    with pytest.raises(DomainError) as exc:
        services.report_update_narrative(report=report, by=reporter, narrative={"proposals": "x"})
    assert exc.value.code == "report_locked"
    # The commune cannot accept its own report; the province coordinator can.
    with pytest.raises(DomainError):
        services.report_accept(report=report, by=reporter)
    tq = _actor(world.people, "tq_coordinator")
    with pytest.raises(DomainError):
        services.report_accept(report=report, by=tq)
    snap = services.report_accept(report=report, by=_actor(world.people, "th_coordinator"))
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and snap.version == 1
    assert AuditEntry.objects.filter(action="reports.report.accepted").exists()


def test_returned_report_carries_its_reason(world):
    report = _submitted_commune_report(world)
    coord = _actor(world.people, "th_coordinator")
    with pytest.raises(DomainError) as exc:
        services.report_return(report=report, by=coord, reason="   ")
    assert exc.value.code == "reason_required"
    services.report_return(report=report, by=coord, reason="Thiếu số liệu lượt xem của xã.")
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert report.return_reason == "Thiếu số liệu lượt xem của xã."
    entry = AuditEntry.objects.get(action="reports.report.returned")
    assert entry.changes["reason"] == "Thiếu số liệu lượt xem của xã."
    # Returned: editable again, and it can be sent again.
    reporter = _actor(world.people, "th_c1_reporter")
    services.report_update_narrative(report=report, by=reporter, narrative={"difficulties": "Bão"})
    services.report_submit(report=report, by=reporter)


def test_accepted_snapshot_does_not_change_when_data_changes(world):
    report = _submitted_commune_report(world)
    services.report_accept(report=report, by=_actor(world.people, "th_coordinator"))
    snap = report.snapshots.get()
    frozen = figure_index(snap.figures)["plans.assignments.total"]["value"]

    task = Task.objects.create(plan=Task.objects.first().plan, title="Nhiệm vụ mới")
    Assignment.objects.create(task=task, organisation=world.tree.th_c1, role="lead")
    live = figure_index(report_figures(world.tree.th_c1, world.campaign))
    assert live["plans.assignments.total"]["value"] == frozen + 1

    snap.refresh_from_db()
    assert figure_index(snap.figures)["plans.assignments.total"]["value"] == frozen
    # The documents of an accepted report are made from the snapshot.
    data, _ = document_build(
        "docx", organisation=world.tree.th_c1, campaign=world.campaign, report=report
    )
    doc = Document(io.BytesIO(data))
    first = doc.tables[1].rows[1].cells
    assert first[1].text == "Nhiệm vụ được giao"
    assert parse_value(first[3].text) == frozen


def test_return_after_accept_then_accept_again_makes_version_2(world):
    report = _submitted_commune_report(world)
    coord = _actor(world.people, "th_coordinator")
    services.report_accept(report=report, by=coord)
    services.report_return(report=report, by=coord, reason="Cập nhật số liệu sau bão.")
    services.report_submit(report=report, by=_actor(world.people, "th_c1_reporter"))
    snap = services.report_accept(report=report, by=coord)
    assert snap.version == 2
    assert list(report.snapshots.values_list("version", flat=True)) == [2, 1]


def test_root_does_not_submit(world):
    coord = _actor(world.people, "national_coordinator")
    report = services.report_draft(
        organisation=world.tree.national, campaign=world.campaign, by=coord
    )
    with pytest.raises(DomainError) as exc:
        services.report_submit(report=report, by=coord)
    assert exc.value.code == "no_parent"


def test_job_runs_in_background_and_keeps_the_file(
    world, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    coord = _actor(world.people, "th_coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_job_create(
            organisation=world.tree.th, campaign=world.campaign, format="xlsx", by=coord
        )
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    assert job.file.name.endswith(".xlsx")
    with job.file.open("rb") as fh:
        assert fh.read(2) == b"PK"


def test_job_outside_subtree_is_not_found(world):
    with pytest.raises(NotFound):
        services.report_job_create(
            organisation=world.tree.tq,
            campaign=world.campaign,
            format="docx",
            by=_actor(world.people, "th_coordinator"),
        )


def test_documents_and_snapshots_stay_vietnamese_under_an_english_interface(world):
    """An official document is Vietnamese whatever language its reader's interface uses."""
    import io

    from django.core.management import call_command
    from django.utils import translation
    from docx import Document

    from dxday.reports.services import document_build

    call_command("compile_translations", verbosity=0)
    translation.trans_real._translations = {}  # reload the freshly compiled catalogue
    with translation.override("en"):
        assert translation.gettext("Nhiệm vụ được giao") == "Assigned tasks"
        data, _name = document_build("docx", organisation=world.tree.th, campaign=world.campaign)
    doc = Document(io.BytesIO(data))
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Nhiệm vụ được giao" in cells
    assert "Assigned tasks" not in cells
