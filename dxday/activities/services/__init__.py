"""Every write in activities goes through here: reports, evidence, figures, review, publishing,
state-management areas and offers. Each step is audited.

One module per part (activities, evidence, review, sectors, offers); the public names are
importable from this package, so callers write `services.activity_submit(...)`.
"""

from .activities import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_submit,
    activity_update,
    activity_values_set,
    check_parts,
    clean_value,
    clean_values,
    parts_errors,
)
from .evidence import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_PER_ACTIVITY,
    MAX_IMAGE_PIXELS,
    evidence_add,
    evidence_attach,
    evidence_remove,
)
from .offers import OFFER_FIELDS, offer_approve, offer_register, offer_reject
from .review import activity_accept, activity_publish, activity_return, activity_unpublish
from .sectors import sector_create, sector_milestone_add, sector_update

__all__ = [
    "ACTIVITY_FIELDS", "MAX_EVIDENCE_BYTES", "MAX_EVIDENCE_PER_ACTIVITY", "MAX_IMAGE_PIXELS",
    "OFFER_FIELDS", "activity_accept", "activity_create", "activity_publish", "activity_return",
    "activity_submit", "activity_unpublish", "activity_update", "activity_values_set",
    "check_parts", "clean_value", "clean_values", "evidence_add", "evidence_attach",
    "evidence_remove", "offer_approve", "offer_register", "offer_reject", "parts_errors",
    "sector_create", "sector_milestone_add", "sector_update",
]  # fmt: skip
