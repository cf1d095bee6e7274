"""NUL characters: no legitimate input has one, and PostgreSQL refuses them in text columns.

`RejectNulMiddleware` (core/middleware.py) refuses them for every request; a path that must
judge each item of a batch on its own (the session ingest) uses `contains_nul` per item.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import DomainError


def contains_nul(value) -> bool:
    """A NUL anywhere in a string, or in the keys and values of nested lists and dicts."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(v) for v in value)
    return False


def invalid_characters_message() -> str:
    return _("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL). Hãy xóa ký tự đó.")


def invalid_characters_error() -> DomainError:
    return DomainError(invalid_characters_message(), code="invalid_characters", status=400)
