"""One rule where numbers are localised: nothing is grouped unless it is a figure, which
templates group explicitly with `intcomma` (years and ids never read "2.025" or "1.405")."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation


def test_plain_numbers_are_not_grouped_and_figures_are_grouped_explicitly():
    template = Template(
        "{% load humanize %}Năm {{ year }} — {{ pk }} — {{ figure|intcomma }} — {{ share }}"
    )
    with translation.override("vi"):
        values = {"year": 2025, "pk": 1405, "figure": 1234567, "share": 85.5}
        text = template.render(Context(values))
    assert text == "Năm 2025 — 1405 — 1.234.567 — 85,5"
