"""Results: winners and honourable mentions per category, published with their citation and a
verifiable certificate each (the shared certificates app)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.certificates.services import certificates_issue
from dxday.core.audit import audit
from dxday.core.errors import DomainError, NotFound
from dxday.core.pagecache import bump
from dxday.core.text import nfc
from dxday.orgs.permissions import Actor

from ..models import Entry, Programme, Result
from ._common import ensure_organiser, ensure_phase


@transaction.atomic
def result_set(*, by: Actor, entry: Entry, award: str, citation: str = "") -> Result:
    programme = Programme.objects.get(pk=entry.programme_id)  # its phase as it is now
    ensure_organiser(by, programme)
    ensure_phase(programme, Programme.Phase.DELIBERATION)
    if entry.status != Entry.Status.ELIGIBLE:
        raise NotFound()
    if award not in Result.Award.values:
        raise DomainError(_("Danh hiệu không hợp lệ."), code="invalid", status=422)
    result, _created = Result.objects.update_or_create(
        entry=entry, defaults={"award": award, "citation": nfc(citation or "").strip()[:3000]}
    )
    audit(result, "awards.result.set", by=by, changes={"award": award})
    return result


@transaction.atomic
def results_publish(*, by: Actor, programme: Programme) -> int:
    """Deliberation → published: every result gets its certificate, the portal shows them."""
    ensure_organiser(by, programme)
    ensure_phase(programme, Programme.Phase.DELIBERATION)
    results = list(
        Result.objects.filter(entry__programme=programme).select_related(
            "entry__applicant", "entry__category"
        )
    )
    if not results:
        raise DomainError(_("Chưa có kết quả nào để công bố."), code="no_results", status=409)
    for result in results:
        entry = result.entry
        title = _("%(award)s — %(category)s, %(programme)s: %(entry)s") % {
            "award": result.get_award_display(),
            "category": entry.category.name,
            "programme": programme.name,
            "entry": entry.title,
        }
        (cert,) = certificates_issue(
            by=by,
            issuer=programme.organiser,
            kind="awards",
            source=f"awards.programme:{programme.pk}",
            title=title,
            issued_on=programme.ceremony_on or timezone.localdate(),
            holders=[(f"entry:{entry.pk}", entry.applicant.name)],
        )
        if result.certificate_code != cert.code:
            result.certificate_code = cert.code
            result.save(update_fields=["certificate_code"])
    programme.phase = Programme.Phase.PUBLISHED
    programme.save(update_fields=["phase", "updated_at"])
    audit(programme, "awards.programme.published", by=by, changes={"results": len(results)})
    bump("awards")
    return len(results)
