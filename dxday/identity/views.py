"""/xac-minh/: a person outside the org tree proves an e-mail address or a phone number, and
this browser remembers the identity (contest sign-up, voting, award entries)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dxday.core.errors import DomainError, NotFound
from dxday.core.http import client_ip, safe_next

from .forms import StartForm, VerifyForm
from .models import Challenge
from .selectors import identity_from_request, identity_login, identity_logout
from .services import identity_challenge_start, identity_challenge_verify


@require_http_methods(["GET", "POST"])
def start(request):
    nxt = safe_next(request, request.POST.get("next") or request.GET.get("next")) or ""
    form = StartForm(request.POST or None, initial={"next": nxt})
    if request.method == "POST" and form.is_valid():
        try:
            challenge = identity_challenge_start(
                kind=form.cleaned_data["kind"],
                contact=form.cleaned_data["contact"],
                purpose="page",
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            if exc.status == 429 or exc.code != "invalid_contact":
                form.add_error(None, exc.message)
            else:
                form.add_error("contact", exc.message)
        else:
            target = redirect("identity:verify", challenge_id=challenge.pk)
            if nxt:
                target["Location"] += f"?next={nxt}"
            return target
    context = {"form": form, "identity": identity_from_request(request)}
    return render(request, "identity/start.html", context)


@require_http_methods(["GET", "POST"])
def verify(request, challenge_id):
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFound()
    nxt = safe_next(request, request.POST.get("next") or request.GET.get("next")) or ""
    form = VerifyForm(request.POST or None, initial={"next": nxt})
    if request.method == "POST" and form.is_valid():
        try:
            identity = identity_challenge_verify(
                challenge_id=challenge.pk,
                code=form.cleaned_data["code"],
                client_ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error("code" if exc.code == "wrong_code" else None, exc.message)
        else:
            identity_login(request, identity)
            return redirect(nxt or "identity:start")
    context = {"form": form, "sent_to": challenge.contact_masked}
    return render(request, "identity/verify.html", context)


@require_http_methods(["POST"])
def leave(request):
    identity_logout(request)
    return redirect(safe_next(request, request.POST.get("next")) or "identity:start")
