"""The portal's writes: the open-data XLSX files, built once a day and kept in file storage."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .exports import DATASETS

ROOT = "open-data"


def open_data_xlsx_name(
    *,
    dataset: str,
    day: datetime.date,
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> str:
    """Where the day's XLSX of `dataset` (with these filters) is kept in default storage."""
    parts = [dataset, str(year) if year else "tat-ca"]
    if date_from or date_to:
        parts += [f"{date_from or ''}", f"{date_to or ''}"]
    return f"{ROOT}/{day.isoformat()}/{'_'.join(parts)}.xlsx"


def open_data_xlsx_build(
    *,
    dataset: str,
    day: datetime.date,
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> str:
    """Build the day's XLSX of `dataset` unless it exists; drop earlier days' files. Returns
    its storage name. Two concurrent builds both write; the second copy is removed."""
    name = open_data_xlsx_name(
        dataset=dataset, day=day, year=year, date_from=date_from, date_to=date_to
    )
    if default_storage.exists(name):
        return name
    exporter = DATASETS[dataset](campaign_year=year, date_from=date_from, date_to=date_to)
    saved = default_storage.save(name, ContentFile(exporter.to_xlsx()))
    if saved != name:  # another build saved it first: keep theirs
        default_storage.delete(saved)
    _drop_before(day)
    return name


def _drop_before(day: datetime.date) -> None:
    try:
        folders, _files = default_storage.listdir(ROOT)
    except FileNotFoundError:
        return
    for folder in folders:
        if folder < day.isoformat():
            _sub, files = default_storage.listdir(f"{ROOT}/{folder}")
            for file in files:
                default_storage.delete(f"{ROOT}/{folder}/{file}")
