"""Excel exchange: the template and the import of activity reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxday.core.errors import DomainError
from dxday.orgs.permissions import ensure_action

from .. import exchange
from ..forms import (
    ImportForm,
)
from ._common import _refused

# --- Excel exchange --------------------------------------------------------------------------


@login_required
def excel_template(request):
    ensure_action(request.actor, "activities.report")
    response = HttpResponse(
        exchange.template_xlsx(request.actor),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="bao-cao-hoat-dong.xlsx"'
    return response


@login_required
def excel_import(request):
    """Upload a filled template: a dry run by default; saving only when every row is valid."""
    ensure_action(request.actor, "activities.report")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = exchange.activities_import(
                by=request.actor,
                upload=form.cleaned_data["file"],
                dry_run=not form.cleaned_data["confirm"],
            )
        except DomainError as exc:
            if _refused(exc):
                raise
            form.add_error("file", exc.message)
        else:
            if report.ok and not report.dry_run:
                messages.success(
                    request, _("Đã lưu %(n)s báo cáo nháp từ tệp.") % {"n": report.saved}
                )
                return redirect("activities:mine")
    return render(request, "activities/excel.html", {"form": form, "report": report})
