"""Helpers shared by the plans pages."""

from __future__ import annotations

from dxday.core.errors import DomainError
from dxday.core.params import int_param

from .. import selectors
from ..models import Campaign


def _campaign_from(request) -> Campaign | None:
    return selectors.campaign_chosen(int_param(request.GET.get("nam"), minimum=1900, maximum=9999))


def _form_error(form, exc: DomainError) -> None:
    """Show a service's sentence beside its field when the form has that field."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _formset_rows(formset, fields: tuple[str, ...]) -> list[dict]:
    """A valid inline formset as plain rows for a service: {"id", "delete", **fields}."""
    rows = []
    for f in formset.forms:
        if not f.has_changed() and not f.instance.pk:
            continue
        d = f.cleaned_data
        rows.append(
            {"id": f.instance.pk, "delete": bool(d.get("DELETE"))} | {k: d.get(k) for k in fields}
        )
    return rows
