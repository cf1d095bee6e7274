"""Thin HTML views: parse input, call one service or selector, render.

A package of modules since it outgrew one file; every name imports from here as before."""

from __future__ import annotations

from ._common import CATEGORY_TYPES, PAGE_SIZE, _flash, _form_error, _refused  # noqa: F401
from .excel import excel_import, excel_template  # noqa: F401
from .inbox import inbox, start  # noqa: F401
from .offers import offer_moderation, offers  # noqa: F401
from .sectors import sector_milestone, sector_progress, sectors  # noqa: F401
from .workspace import (  # noqa: F401
    _step,
    accept,
    create,
    detail,
    edit,
    evidence,
    evidence_delete,
    indicator_fields,
    mine,
    published,
    return_,
    review,
    submit,
    subtree,
    task_results,
    task_results_index,
    unpublish,
)
