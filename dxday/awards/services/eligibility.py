"""Who may enter a category (seed 004 states it per category); the entry form and the submit
service both ask this one function."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import Applicant, Category


def eligibility_errors(category: Category, applicant: Applicant) -> list[str]:
    """Sentences saying why `applicant` may not enter `category`; empty when it may."""
    rules = category.eligibility or {}
    errors: list[str] = []
    kinds = rules.get("applicant_kinds")
    if kinds and applicant.kind not in kinds:
        errors.append(
            _("Hạng mục “%(cat)s” chỉ dành cho tổ chức.")
            if kinds == ["organisation"]
            else _("Hạng mục “%(cat)s” không dành cho đối tượng này.")
        )
    org_types = rules.get("org_types")
    organisation = applicant.kind == Applicant.Kind.ORGANISATION
    if org_types and organisation and applicant.org_type not in org_types:
        labels = ", ".join(str(Applicant.OrgType(t).label) for t in org_types)
        errors.append(
            _("Hạng mục “%(cat)s” dành cho: %(types)s.") % {"cat": "%(cat)s", "types": labels}
        )
    foreign = rules.get("foreign", "any")
    if foreign == "no" and applicant.is_foreign:
        errors.append(_("Hạng mục “%(cat)s” dành cho tổ chức, cá nhân Việt Nam."))
    if foreign == "only" and not applicant.is_foreign:
        errors.append(_("Hạng mục “%(cat)s” dành cho tổ chức, cá nhân nước ngoài."))
    if rules.get("presence_in_vietnam") and applicant.is_foreign:
        present = (
            applicant.has_vn_representative
            if applicant.kind == Applicant.Kind.ORGANISATION
            else applicant.has_permanent_residence
        )
        if not present:
            errors.append(
                _(
                    "Hạng mục “%(cat)s” yêu cầu tổ chức nước ngoài có đại diện pháp nhân tại "
                    "Việt Nam, hoặc cá nhân nước ngoài có thẻ thường trú tại Việt Nam."
                )
            )
    return [e % {"cat": category.name} for e in errors]
