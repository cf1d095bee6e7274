"""Pages of awards and honours: the public programme pages and the vote, the applicant's
entries, the juror's scoring, the organiser's screening, assignment, ranking and results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxday.core.errors import DomainError, NotFound
from dxday.core.http import client_ip
from dxday.core.params import int_param
from dxday.identity.selectors import identity_from_request
from dxday.orgs.permissions import ensure_action

from . import selectors, services
from .forms import ApplicantForm, ConflictForm, EntryForm, FileForm, ReopenForm, ScreenForm
from .models import Category, Conflict, Criterion, EntryFile, Juror, Programme, Result
from .permissions import ensure_file_visible


def _verify_first(request):
    return redirect(f"{reverse('identity:start')}?{urlencode({'next': request.get_full_path()})}")


# --- Public ---------------------------------------------------------------------------------


def programme_list(request):
    context = {"programmes": selectors.programme_list_public()}
    return render(request, "awards/programme_list.html", context)


def programme_detail(request, pk: int):
    programme = selectors.get_programme_public(pk)
    context = {
        "programme": programme,
        "categories": programme.categories.prefetch_related("criteria"),
        "results": (
            selectors.results_public(programme)
            if programme.phase == Programme.Phase.PUBLISHED
            else None
        ),
        "standing": (
            selectors.honours_standing(programme)
            if programme.kind == Programme.Kind.HONOURS
            else None
        ),
        "entries_open": services.entries_window_open(programme),
    }
    return render(request, "awards/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
def vote(request, pk: int):
    """The vote's own page (not cached): the programme page stays the same for everyone."""
    candidate = selectors.get_candidate_public(pk)
    identity = identity_from_request(request)
    if identity is None:
        return _verify_first(request)
    if request.method == "POST":
        try:
            services.vote_cast(identity=identity, candidate=candidate, client_ip=client_ip(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Cảm ơn bạn đã bình chọn cho “%(name)s”.") % {"name": candidate.name}
            )
        return redirect("awards:programme", pk=candidate.programme_id)
    return render(request, "awards/vote.html", {"candidate": candidate, "identity": identity})


# --- Applicants -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_entries(request):
    identity = identity_from_request(request)
    if identity is None:
        return _verify_first(request)
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
        return None, _verify_first(request)
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


# --- Jurors ---------------------------------------------------------------------------------


@login_required
def juror_home(request):
    ensure_action(request.actor, "awards.judge")
    seats = Juror.objects.filter(user=request.user).select_related("programme")
    conflicts = Conflict.objects.filter(juror__user=request.user).select_related("juror")
    context = {
        "assignments": [
            a
            for a in selectors.assignments_for_juror(request.user)
            if a.entry.programme.phase not in ("entries", "screening")
        ],
        "seats": seats,
        "conflicts": conflicts,
        "form": ConflictForm(),
    }
    return render(request, "awards/juror_home.html", context)


@login_required
@require_POST
def juror_conflict(request, seat: int):
    ensure_action(request.actor, "awards.judge")
    juror = Juror.objects.filter(user=request.user, pk=seat).select_related("programme").first()
    if juror is None:
        raise NotFound()
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_add(by=request.actor, juror=juror, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã ghi nhận khai báo xung đột lợi ích."))
    else:
        messages.error(request, _("Hãy ghi tên tổ chức và loại quan hệ."))
    return redirect("awards:juror_home")


@login_required
@require_http_methods(["GET", "POST"])
def juror_review(request, pk: int):
    ensure_action(request.actor, "awards.judge")
    assignment = selectors.get_assignment_for_juror(request.user, pk)
    criteria = list(Criterion.objects.filter(category=assignment.entry.category))
    review = getattr(assignment, "review", None)
    current = {s.criterion_id: s.raw for s in review.scores.all()} if review else {}
    if request.method == "POST":
        scores = {c.pk: request.POST.get(f"c_{c.pk}", "") for c in criteria}
        scores = {k: v for k, v in scores.items() if v != ""}
        try:
            services.review_save(
                by=request.actor, assignment=assignment, scores=scores,
                comment=request.POST.get("comment", ""), submit="submit" in request.POST,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            for text in (exc.errors or {}).values() if isinstance(exc.errors, dict) else []:
                messages.error(request, text)
        else:
            messages.success(request, _("Đã lưu phiếu chấm."))
            return redirect("awards:juror_review", pk=assignment.pk)
    assignment = selectors.get_assignment_for_juror(request.user, pk)
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "rows": [(c, current.get(c.pk)) for c in criteria],
        "review": getattr(assignment, "review", None),
        "others": (
            selectors.reviews_of_entry(assignment.entry).exclude(assignment=assignment)
            if selectors.others_visible(assignment)
            else None
        ),
    }
    return render(request, "awards/juror_review.html", context)


# --- Organisers -----------------------------------------------------------------------------


@login_required
def manage_list(request):
    ensure_action(request.actor, "awards.manage")
    context = {"programmes": selectors.programme_list_for_organiser(request.actor)}
    return render(request, "awards/manage_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_programme(request, pk: int):
    ensure_action(request.actor, "awards.manage")
    programme = selectors.get_programme_for_organiser(request.actor, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "next_phase":
                services.phase_set(
                    by=request.actor, programme=programme, phase=request.POST.get("phase", "")
                )
            elif action == "auto_assign":
                outcome = services.assignments_auto(by=request.actor, programme=programme)
                messages.info(
                    request,
                    _("Đã phân công %(n)s lượt chấm; %(short)s hồ sơ chưa đủ giám khảo.")
                    % {"n": outcome["created"], "short": len(outcome["short_entries"])},
                )
            elif action == "publish":
                services.results_publish(by=request.actor, programme=programme)
            elif action == "aggregation" and request.POST.get("how") in ("median", "mean"):
                programme.aggregation = request.POST["how"]
                programme.save(update_fields=["aggregation", "updated_at"])
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("awards:manage_programme", pk=programme.pk)
    phases = list(Programme.Phase.values)
    index = phases.index(programme.phase)
    context = {
        "programme": programme,
        "entries": selectors.entry_list_for_organiser(request.actor, programme),
        "ranking": selectors.ranking(programme)
        if programme.kind == Programme.Kind.AWARD and index >= 2
        else None,
        "next_phase": Programme.Phase(phases[index + 1]) if index + 1 < len(phases) else None,
        "standing": selectors.honours_standing(programme)
        if programme.kind == Programme.Kind.HONOURS
        else None,
        "bursts": selectors.vote_bursts(programme)
        if programme.kind == Programme.Kind.HONOURS
        else None,
    }
    return render(request, "awards/manage_programme.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage_entry(request, pk: int):
    ensure_action(request.actor, "awards.manage")
    entry = selectors.get_entry_for_organiser(request.actor, pk)
    screen = ScreenForm(request.POST if request.POST.get("action") == "screen" else None)
    reopen = ReopenForm(request.POST if request.POST.get("action") == "reopen" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "screen" and screen.is_valid():
                services.entry_screen(by=request.actor, entry=entry, **screen.cleaned_data)
            elif action == "reopen" and reopen.is_valid():
                services.entry_reopen(by=request.actor, entry=entry, **reopen.cleaned_data)
            elif action == "assign":
                juror = Juror.objects.filter(
                    programme=entry.programme, pk=int_param(request.POST.get("juror"))
                ).first()
                if juror is None:
                    raise NotFound()
                services.assignment_add(by=request.actor, entry=entry, juror=juror)
            elif action == "unassign":
                assignment = entry.assignments.filter(
                    pk=int_param(request.POST.get("assignment"))
                ).first()
                if assignment is None:
                    raise NotFound()
                services.assignment_remove(by=request.actor, assignment=assignment)
            elif action == "result" and request.POST.get("award") in Result.Award.values:
                services.result_set(
                    by=request.actor, entry=entry, award=request.POST["award"],
                    citation=request.POST.get("citation", ""),
                )  # fmt: skip
            else:
                raise DomainError(_("Hãy điền đủ các ô của biểu mẫu."), code="invalid")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã lưu."))
        return redirect("awards:manage_entry", pk=entry.pk)
    context = {
        "entry": entry,
        "screen": screen,
        "reopen": reopen,
        "jurors": Juror.objects.filter(programme=entry.programme),
        "assignments": entry.assignments.select_related("juror", "review"),
        "reviews": selectors.reviews_of_entry(entry),
    }
    return render(request, "awards/manage_entry.html", context)
