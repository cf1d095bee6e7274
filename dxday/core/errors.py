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


class RateLimited(DomainError):
    """429: too many tries; `retry_after` seconds go out as the Retry-After header."""

    status = 429

    def __init__(self, message: str, *, retry_after: int, code: str = "rate_limited"):
        super().__init__(message, code=code)
        self.retry_after = max(1, int(retry_after))


class NotFound(DomainError):
    """Missing and forbidden look the same from outside (Zulip's access_*_by_id)."""

    status = 404

    def __init__(self, message: str | None = None):
        from django.utils.translation import gettext

        super().__init__(message or gettext("Không tìm thấy."), code="not_found")


def validation_to_domain(exc) -> DomainError:
    """Django's ValidationError as the one DomainError, with every field's messages kept.

    The message is the first sentence (what a page shows); `errors` maps each field to all of
    its sentences (what the API returns and a form can place beside its fields).
    """
    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        field = next(iter(errors), None)
        field = None if field == "__all__" else field
    else:
        errors = {"__all__": list(exc.messages)}
        field = None
    first = next(iter(errors.values()))[0]
    return DomainError(first, code="invalid", field=field, errors=errors)


def clean_or_raise(instance, *, exclude: list[str] | None = None) -> None:
    """`full_clean()` that fails the one way services fail: a DomainError with field errors."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_to_domain(exc) from exc
