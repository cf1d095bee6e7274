"""The report writes itself: empty narrative sections are drafted from the report's own figures,
prefilled in the form and highlighted in the documents until the clerk saves their text."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from dxday.orgs.tests.factories import DEFAULT_PASSWORD
from dxday.reports import services
from dxday.reports.documents.formatting import parse_value
from dxday.reports.models import NARRATIVE_FIELDS
from dxday.reports.narrative import draft_narrative
from dxday.reports.selectors import figure_index, report_content, report_figures

pytestmark = pytest.mark.django_db

# 1.234.567 | 85,5% | 12 — the way the documents write figures.
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\d,])|(?<![\w.,])\d+(?:,\d+)?%?")


def _texts_without_names(text: str, *figure_sets) -> str:
    """The text with every label, unit and unit name blanked out: names carry digits of their
    own ("VNeID mức 2", "Tổ dân phố 5") that are not figures."""
    names = set()
    for figures in figure_sets:
        names |= {u["name"] for u in figures["units"]}
        for f in figure_index(figures).values():
            label = f["label"]
            names |= {label, label[:1].lower() + label[1:], label.split(": ", 1)[-1], f["unit"]}
    for name in sorted((n for n in names if any(c.isalpha() for c in n)), key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def _allowed(*figure_sets) -> set:
    values = set()
    for figures in figure_sets:
        for f in figure_index(figures).values():
            values |= {v for v in [f["value"], *f["by_unit"].values()] if v is not None}
    return values


@pytest.mark.parametrize("where", ["national", "th", "th_c1"])
def test_every_number_of_the_draft_is_a_figure_of_the_report(world, where):
    org, campaign = getattr(world.tree, where), world.campaign
    content = report_content(organisation=org, campaign=campaign)
    assert set(content["drafted"]) == set(NARRATIVE_FIELDS)
    current = report_figures(org, campaign)
    previous = report_figures(org, world.previous)
    allowed = _allowed(current, previous) | {campaign.year, world.previous.year}
    text = "\n".join(content["narrative"].values())
    numbers = NUMBER.findall(_texts_without_names(text, current, previous))
    assert len(numbers) >= 10, text  # the draft really is written from the figures
    overdue = figure_index(current).get("plans.assignments.overdue")
    if overdue and overdue["value"]:
        assert "nhiệm vụ quá hạn" in content["narrative"]["difficulties"]
    for token in numbers:
        value = parse_value(token)
        assert value in allowed, f"{token} is not a figure of the report:\n{text}"


def test_the_draft_says_what_against_target_last_year_and_who_leads_and_lags(world):
    org, campaign = world.tree.th, world.campaign
    draft = report_content(organisation=org, campaign=campaign)["narrative"]
    idx = figure_index(report_figures(org, campaign))
    before = figure_index(report_figures(org, world.previous))
    units = {u["name"]: u["key"] for u in report_figures(org, campaign)["units"]}

    def fmt(code, figures=idx):
        from dxday.reports.documents.formatting import format_value

        return format_value(figures[code]["value"], figures[code]["kind"])

    general = draft["general_situation"]
    # What was done.
    assert f"được giao {fmt('plans.assignments.total')} nhiệm vụ" in general
    assert f"đã báo cáo kết quả {fmt('plans.assignments.reported')} nhiệm vụ" in general
    assert f"{fmt('activities.total')} hoạt động hưởng ứng được duyệt" in general
    # Against the target.
    assert (
        f"đạt {fmt('outreach.households_rate')} chỉ tiêu {fmt('outreach.target_households')} hộ"
        in general
    )
    # Against last year (2024 has reports of assignments).
    assert (
        f"{fmt('plans.assignments.reported')} nhiệm vụ, "
        f"{'tăng' if idx['plans.assignments.reported']['value'] > before['plans.assignments.reported']['value'] else 'giảm'}"  # noqa: E501
        f" so với {fmt('plans.assignments.reported', before)} của năm 2024" in general
    )
    # Who leads and who lags, each with its own number.
    pairs = re.findall(r"([^:;]+?) \((\d[\d.,]*%?)(?: [^)]*)?\)", draft["outstanding_examples"])
    named = [(name.strip(), value) for name, value in pairs if name.strip() in units]
    assert named, draft["outstanding_examples"]
    lead = draft["outstanding_examples"].splitlines()[0]
    assert "tỷ lệ nhiệm vụ đã báo cáo" in lead
    for name, value in re.findall(r"([^:;]+?) \((\d[\d.,]*%)\)", lead):
        key = units[name.strip()]
        assert idx["plans.assignments.completion_rate"]["by_unit"][key] == parse_value(value)
    lag = draft["difficulties"]
    assert f"Còn {fmt('plans.assignments.overdue')} nhiệm vụ quá hạn" in lag
    overdue_line = lag.splitlines()[0]
    for name, value in re.findall(r"([^:;]+?) \((\d[\d.]*) nhiệm vụ\)", overdue_line):
        key = units[name.strip()]
        assert idx["plans.assignments.overdue"]["by_unit"][key] == parse_value(value)


def test_a_written_section_is_kept_and_only_empty_ones_are_drafted(world):
    coord = world.people.actor(world.people.th_coordinator)
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    services.report_update_narrative(
        report=report, by=coord, narrative={"general_situation": "Văn bản của văn thư."}
    )
    content = report_content(organisation=world.tree.th, campaign=world.campaign, report=report)
    assert content["narrative"]["general_situation"] == "Văn bản của văn thư."
    assert "general_situation" not in content["drafted"]
    assert "difficulties" in content["drafted"]


def test_draft_without_figures_or_previous_year_still_reads():
    figures = {"sections": [], "units": []}
    draft = draft_narrative(figures, year=2025, organisation_name="UBND xã A")
    assert "chưa có nhiệm vụ nào được giao" in draft["general_situation"]
    assert draft["difficulties"] and draft["proposals"]
    assert NUMBER.findall(draft["general_situation"]) == ["2025"]  # no figure is made up


def _highlighted(doc, heading: str) -> list[bool]:
    texts = [p.text for p in doc.paragraphs]
    i = texts.index(heading) + 1
    out = []
    while i < len(doc.paragraphs) and not re.match(r"^[IVX]+\. ", doc.paragraphs[i].text):
        p = doc.paragraphs[i]
        if p.text.strip():
            out.append(all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in p.runs))
        i += 1
    return out


def test_form_is_prefilled_with_the_marked_draft_and_saving_adopts_it(client, world):
    user = world.people.th_coordinator
    assert client.login(username=user.username, password=DEFAULT_PASSWORD)
    coord = world.people.actor(user)
    report = services.report_draft(organisation=world.tree.th, campaign=world.campaign, by=coord)
    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    textarea = re.search(r'<textarea[^>]*name="general_situation"[^>]*>([^<]*)</textarea>', html)
    assert textarea and "data-draft" in textarea.group(0)
    assert "nhiệm vụ" in textarea.group(1) and "Bản nháp tự động" in html

    # In the document the untouched draft is highlighted…
    data, _ = services.document_build(
        "docx", organisation=world.tree.th, campaign=world.campaign, report=report
    )
    doc = Document(io.BytesIO(data))
    assert _highlighted(doc, "I. TÌNH HÌNH CHUNG") and all(_highlighted(doc, "I. TÌNH HÌNH CHUNG"))
    # …until the clerk saves the form: the text is then theirs, not a draft.
    content = report_content(organisation=world.tree.th, campaign=world.campaign, report=report)
    post = {key: content["narrative"][key] for key in NARRATIVE_FIELDS}
    r = client.post(reverse("reports:report_edit", args=[report.pk]), post)
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.general_situation == content["narrative"]["general_situation"].strip()
    after = report_content(organisation=world.tree.th, campaign=world.campaign, report=report)
    assert after["drafted"] == []
    data, _ = services.document_build(
        "docx", organisation=world.tree.th, campaign=world.campaign, report=report
    )
    assert not any(_highlighted(Document(io.BytesIO(data)), "I. TÌNH HÌNH CHUNG"))
