"""The applicant's entries: profile, drafts, files, submission."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxday.core.errors import DomainError, NotFound
from dxday.core.params import int_param
from dxday.identity.selectors import identity_from_request

from .. import selectors, services
from ..forms import ApplicantForm, EntryForm, FileForm
from ..models import Category, EntryFile, Programme
from ..permissions import ensure_file_visible
from ._common import verify_first


@require_http_methods(["GET", "POST"])
def my_entries(request):
    identity = identity_from_request(request)
    if identity is None:
        return verify_first(request)
    applicant = selectors.applicant_of(identity)
    form = ApplicantForm(request.POST or None, instance=applicant)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_register(identity=identity, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu hồ sơ đơn vị, cá nhân dự thi."))
            return redirect("awards:my_entries")
    context = {
        "form": form,
        "applicant": applicant,
        "entries": selectors.entry_list_for_applicant(applicant) if applicant else [],
        "programmes": selectors.programme_list_public(kind=Programme.Kind.AWARD),
    }
    return render(request, "awards/my_entries.html", context)


def _applicant_or_redirect(request):
    identity = identity_from_request(request)
    if identity is None:
        return None, verify_first(request)
    applicant = selectors.applicant_of(identity)
    if applicant is None:
        messages.info(request, _("Hãy khai hồ sơ đơn vị, cá nhân dự thi trước."))
        return None, redirect("awards:my_entries")
    return applicant, None


@require_http_methods(["GET", "POST"])
def entry_new(request, pk: int):
    programme = selectors.get_programme_public(pk)
    applicant, away = _applicant_or_redirect(request)
    if away:
        return away
    category_id = int_param(request.POST.get("category") or request.GET.get("hang_muc"))
    category = Category.objects.filter(programme=programme, pk=category_id).first()
    form = EntryForm(request.POST or None, programme=programme, category=category,
                     initial={"category": category})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_save(
                applicant=applicant, programme=programme, category=form.cleaned_data["category"],
                title=form.cleaned_data["title"], answers=form.answers(),
                video_link=form.cleaned_data["video_link"] or "",
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu bản nháp. Hãy đính kèm tệp và nộp hồ sơ."))
            return redirect("awards:entry", pk=entry.pk)
    context = {"programme": programme, "form": form, "category": category}
    return render(request, "awards/entry_form.html", context)


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk: int):
    applicant, away = _applicant_or_redirect(request)
    if away:
        return away
    entry = selectors.get_entry_for_applicant(applicant, pk)
    editable = entry.status in ("draft", "incomplete")
    initial = {"category": entry.category, "title": entry.title, "video_link": entry.video_link}
    initial.update({f"q_{k}": v for k, v in entry.answers.items()})
    form = EntryForm(request.POST or None, programme=entry.programme, category=entry.category,
                     initial=initial)  # fmt: skip
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.entry_save(
                applicant=applicant, programme=entry.programme,
                category=form.cleaned_data["category"], title=form.cleaned_data["title"],
                answers=form.answers(), video_link=form.cleaned_data["video_link"] or "",
                entry=entry,
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("awards:entry", pk=entry.pk)
    context = {
        "entry": entry,
        "form": form,
        "file_form": FileForm(),
        "editable": editable,
        "open": services.entries_window_open(entry.programme, entry),
    }
    return render(request, "awards/entry_edit.html", context)


@require_POST
def entry_file_upload(request, pk: int):
    applicant, away = _applicant_or_redirect(request)
    if away:
        return away
    entry = selectors.get_entry_for_applicant(applicant, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tệp."))
    else:
        try:
            services.entry_file_add(
                applicant=applicant, entry=entry, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã đính kèm tệp."))
    return redirect("awards:entry", pk=entry.pk)


@require_POST
def entry_submit(request, pk: int):
    applicant, away = _applicant_or_redirect(request)
    if away:
        return away
    entry = selectors.get_entry_for_applicant(applicant, pk)
    try:
        services.entry_submit(applicant=applicant, entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
        for text in (exc.errors or {}).values() if isinstance(exc.errors, dict) else []:
            messages.error(request, text)
    else:
        messages.success(request, _("Đã nộp hồ sơ. Ban Tổ chức sẽ sơ loại và thông báo kết quả."))
    return redirect("awards:entry", pk=entry.pk)


def entry_file(request, pk: int):
    found = EntryFile.objects.select_related("entry__programme__organiser").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    applicant = selectors.applicant_of(identity_from_request(request))
    ensure_file_visible(found, actor=request.actor, applicant=applicant)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    if not found.is_image:
        response["Content-Disposition"] = f'attachment; filename="ho-so-{found.entry_id}.pdf"'
    return response
