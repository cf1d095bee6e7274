"""Thin HTML views of the learning festival: the check-in app, the public pages (find a class,
class page, poster, registration, ticket), the organiser's workspace and the dashboards."""

from .checkin_app import checkin, checkin_icon, checkin_manifest, checkin_sw
from .public import (
    class_page,
    class_poster,
    dashboard,
    find_classes,
    register_form,
    ticket_page,
)
from .workspace import (
    headcount,
    offering_attendance,
    offering_certificates,
    offering_detail,
    offering_duplicates,
    offering_edit,
    offering_enrol,
    offering_import,
    offering_new,
    workspace,
)

__all__ = [
    "checkin", "checkin_icon", "checkin_manifest", "checkin_sw", "class_page", "class_poster",
    "dashboard", "find_classes", "headcount", "offering_attendance", "offering_certificates",
    "offering_detail", "offering_duplicates",
    "offering_edit", "offering_enrol", "offering_import", "offering_new", "register_form",
    "ticket_page", "workspace",
]  # fmt: skip
