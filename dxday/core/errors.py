"""The one exception type services raise: a translated, whole-sentence message and a stable code.

Pages show the message; the API returns the code with it (see dxday/api.py).
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str,
        field: str | None = None,
        errors: list | dict | None = None,
        status: int | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        self.errors = errors
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.errors:
            body["errors"] = self.errors
        return body


class NotFound(DomainError):
    """Missing and forbidden look the same from outside (Zulip's access_*_by_id)."""

    status = 404

    def __init__(self, message: str | None = None):
        from django.utils.translation import gettext

        super().__init__(message or gettext("Không tìm thấy."), code="not_found")
