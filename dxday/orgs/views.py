"""Thin HTML views: parse input, call one service or selector, render."""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxday.core.errors import DomainError
from dxday.core.http import redirect_back
from dxday.core.imports import read_rows, run_import
from dxday.core.params import int_param, page_param
from dxday.core.text import search_key

from . import selectors, services
from .forms import (
    ImportForm,
    LoginForm,
    MembershipGrantForm,
    OrganisationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SearchForm,
    SetPasswordForm,
    TokenIssueForm,
    UserCreateForm,
)
from .imports import IMPORT_KINDS, import_template
from .middleware import SESSION_KEY
from .models import Organisation, User
from .permissions import can, ensure_can
from .throttle import lockout_response


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # A locked-out attempt is answered before the form runs: no password check and no
        # login page rendered for nothing (bench H1: the page was drawn twice per attempt).
        credentials = {"username": request.POST.get("username", "")}
        if AxesProxyHandler.is_locked(request, credentials):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "orgs/password_change.html"
    form_class = PasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=form.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def get_success_url(self):
        from django.conf import settings
        from django.urls import reverse

        return reverse(settings.LOGIN_REDIRECT_URL)


# Password reset by e-mail: Django's views with our templates (console e-mail by default).
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "orgs/password_reset_form.html"
    email_template_name = "orgs/password_reset_email.txt"
    subject_template_name = "orgs/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("orgs:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "orgs/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "orgs/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("orgs:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The person chose their own password: no forced change, and the lockout is over.
        services.user_password_changed(user=form.user)
        from axes.utils import reset

        reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "orgs/password_reset_complete.html"


@login_required
def user_password_reset(request, pk: int):
    """An operator sets an official's password; they must change it at next sign-in."""
    if not request.actor.is_operator:
        raise Http404
    user = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                by=request.actor, user=user, password=form.cleaned_data["new_password1"]
            )
        except DomainError as exc:
            form.add_error("new_password1", exc.message)
        else:
            messages.success(
                request,
                _("Đã đặt lại mật khẩu cho %(username)s. Họ phải đổi mật khẩu khi đăng nhập.")
                % {"username": user.username},
            )
            return redirect("orgs:workspace")
    return render(request, "orgs/user_password_reset.html", {"form": form, "target": user})


@login_required
@require_POST
def acting_switch(request):
    """Pick which organisation the user acts for (only among their own memberships)."""
    pk = int_param(request.POST.get("membership"))
    membership = request.user.memberships.filter(pk=pk).first() if pk else None
    if membership is None:
        messages.error(request, _("Bạn không có vai trò này."))
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.success(
            request,
            _("Bạn đang làm việc với tư cách %(role)s, %(org)s.")
            % {"role": membership.get_role_display(), "org": membership.organisation.name},
        )
    return redirect_back(request)


# --- Workspace, units, audit trail, imports -------------------------------------------------

PAGE_SIZE = 25


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(page_param(request.GET.get("page")))


def _unit_context(request, organisation: Organisation | None) -> dict:
    """What the unit page shows: the unit, its breadcrumbs and its (searchable) children."""
    actor = request.actor
    search = SearchForm(request.GET or None)
    q = kind = ""
    if search.is_valid():
        q, kind = search.cleaned_data["q"], search.cleaned_data["kind"]
    if organisation is None:  # an operator without a membership starts at the roots
        children = selectors.org_subtree(actor, q=q, kind=kind or None)
        if not search_key(q):
            children = children.filter(depth=1).order_by("name_sort", "path")
    else:
        children = selectors.organisation_children(actor, organisation, q=q, kind=kind or None)
    page = _page(request, children)
    ctx = {
        "organisation": organisation,
        "search": search,
        "q": q,
        "page_obj": page,
        "children": page.object_list,
        "query_string": urlencode({k: v for k, v in (("q", q), ("kind", kind)) if v}),
    }
    if organisation is not None:
        ctx.update(
            ancestors=selectors.organisation_ancestors(actor, organisation),
            can_manage=can(actor, "orgs.manage", organisation),
            can_audit=can(actor, "audit.view", organisation),
            can_import=can(actor, "orgs.import", organisation),
            memberships=selectors.membership_list_for_organisation(actor, organisation),
        )
    return ctx


@login_required
def workspace(request):
    """Home of a signed-in user: the unit they act for and the units below it."""
    actor = request.actor
    organisation = actor.organisation
    if organisation is None and not actor.is_operator:
        return render(request, "orgs/no_membership.html")
    ctx = _unit_context(request, organisation)
    ctx["is_workspace"] = True
    template = "orgs/_children.html" if request.htmx else "orgs/organisation_detail.html"
    return render(request, template, ctx)


@login_required
def organisation_detail(request, code: str):
    organisation = selectors.get_organisation_for_user(request.actor, code)
    ctx = _unit_context(request, organisation)
    template = "orgs/_children.html" if request.htmx else "orgs/organisation_detail.html"
    return render(request, template, ctx)


@login_required
def organisation_create(request, code: str):
    """Add a unit under `code`."""
    parent = selectors.get_organisation_for_user(request.actor, code)
    ensure_can(request.actor, "orgs.manage", parent)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(by=request.actor, parent=parent, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": org.name})
            return redirect("orgs:organisation_detail", code=org.code)
    return render(
        request, "orgs/organisation_form.html", {"form": form, "parent": parent, "creating": True}
    )


@login_required
def organisation_update(request, code: str):
    organisation = selectors.get_organisation_for_user(request.actor, code)
    ensure_can(request.actor, "orgs.manage", organisation)
    initial = {
        f: getattr(organisation, f) for f in ("name", "short_name", "kind", "email", "is_active")
    }
    form = OrganisationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                by=request.actor, organisation=organisation, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("orgs:organisation_detail", code=organisation.code)
    return render(
        request, "orgs/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def audit_trail(request, model: str, object_id: str):
    """Who changed what on one object, when; `model` is "app_label.model_name".

    Any app links here with `{% audit_url obj %}` (orgs_tags); readable with `audit.view` at
    the object's organisation, and "not found" outside the subtree.
    """
    instance = selectors.get_audited_object_for_user(request.actor, model, object_id)
    page = _page(request, selectors.audit_entries_for_object(instance))
    labels = {f.attname: f.verbose_name for f in instance._meta.concrete_fields}
    for entry in page.object_list:
        entry.rows = [
            (labels.get(name, name), values[0] if values else None, values[1] if values else None)
            for name, values in (entry.changes or {}).items()
            if isinstance(values, list | tuple) and len(values) == 2
        ]
    return render(
        request,
        "orgs/audit_trail.html",
        {"object": instance, "page_obj": page, "entries": page.object_list},
    )


@login_required
def import_home(request):
    return redirect("orgs:import", kind="don-vi")


def _import_kind(key: str):
    kind = IMPORT_KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


@login_required
def import_page(request, kind: str):
    """Upload a file; "Kiểm tra" validates only (dry run), "Nhập" saves when every row is valid."""
    import_kind = _import_kind(kind)
    actor = request.actor
    if not actor.has_action("orgs.import"):
        raise DomainError(
            _("Vai trò của bạn không được phép nhập dữ liệu."), code="forbidden", status=403
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = "save" not in request.POST
        try:
            rows = read_rows(upload, upload.name)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            report = run_import(import_kind.importer(actor), rows, dry_run=dry_run)
            if report.ok and not dry_run:
                messages.success(request, _("Đã nhập %(n)s dòng.") % {"n": report.saved})
                return redirect("orgs:import", kind=kind)
    return render(
        request,
        "orgs/import.html",
        {"form": form, "report": report, "kind": import_kind, "kinds": IMPORT_KINDS.values()},
    )


@login_required
def import_template_download(request, kind: str, fmt: str):
    import_kind = _import_kind(kind)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    data, content_type = import_template(import_kind, fmt, request.actor)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.{fmt}"'
    return response


@login_required
def user_create(request, code: str):
    """Create an account holding a role at this unit."""
    organisation = selectors.get_organisation_for_user(request.actor, code)
    ensure_can(request.actor, "orgs.manage", organisation)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "password": form.cleaned_data["password"] or None}
        try:
            user = services.user_create(by=request.actor, organisation=organisation, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Đã tạo tài khoản %(username)s.") % {"username": user.username}
            )
            return redirect("orgs:organisation_detail", code=organisation.code)
    return render(request, "orgs/user_form.html", {"form": form, "organisation": organisation})


@login_required
def membership_grant(request, code: str):
    """Give an existing account a role at this unit."""
    organisation = selectors.get_organisation_for_user(request.actor, code)
    ensure_can(request.actor, "orgs.manage", organisation)
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_grant_by_username(
                by=request.actor, username=form.cleaned_data["username"],
                organisation=organisation, role=form.cleaned_data["role"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Đã giao vai trò cho %(username)s.") % {"username": membership.user.username},
            )
            return redirect("orgs:organisation_detail", code=organisation.code)
    return render(
        request,
        "orgs/user_form.html",
        {"form": form, "organisation": organisation, "granting": True},
    )


@login_required
@require_POST
def membership_revoke(request, pk: int):
    membership = selectors.get_membership_for_user(request.actor, pk)
    code = membership.organisation.code
    services.membership_revoke(by=request.actor, membership=membership)
    messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("orgs:organisation_detail", code=code)


@login_required
def token_list(request):
    """The signed-in user's API tokens: issue one (shown once) or revoke one."""
    form = TokenIssueForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_issue(
            by=request.actor, user=request.user, label=form.cleaned_data["label"]
        )
        form = TokenIssueForm()
    tokens = selectors.api_token_list_for_user(request.user)
    return render(
        request, "orgs/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.get_api_token_for_user(request.actor, pk)
    services.api_token_revoke(by=request.actor, token=token)
    messages.success(request, _("Đã thu hồi token."))
    return redirect("orgs:token_list")
