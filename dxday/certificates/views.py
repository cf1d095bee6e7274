"""The public verification of certificates: /xac-thuc/ (type a code), /xac-thuc/<code>/ (what
the QR opens) and the PDF. No login: the unguessable code is what gives access."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from dxday.core import signing

from .documents import certificate_pdf
from .selectors import certificate_by_code, clean_code


@require_GET
def verify_form(request):
    code = request.GET.get("ma", "").strip()
    if code:
        cleaned = clean_code(code)
        if cleaned:
            return redirect("certificates:verify", code=cleaned)
        return render(request, "certificates/verify_form.html", {"code": code, "bad": True})
    return render(request, "certificates/verify_form.html", {"code": ""})


@require_GET
@cache_control(no_cache=True)  # a revocation must show at once
def verify(request, code: str):
    cert = certificate_by_code(code)
    context = {"cert": cert, "public_key": signing.public_key_b64()}
    return render(request, "certificates/verify.html", context)


@require_GET
def pdf(request, code: str):
    cert = certificate_by_code(code)
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{cert.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
