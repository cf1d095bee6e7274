"""Background work of the portal: the day's open-data XLSX. Takes plain values, calls a service."""

from __future__ import annotations

import datetime

from django_tasks import task

from . import services


@task()
def open_data_xlsx_task(
    dataset: str, day: str, year: int | None, date_from: str | None, date_to: str | None
) -> str:
    def as_date(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    return services.open_data_xlsx_build(
        dataset=dataset,
        day=datetime.date.fromisoformat(day),
        year=year,
        date_from=as_date(date_from),
        date_to=as_date(date_to),
    )
