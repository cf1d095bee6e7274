"""What every API router shares: the one error body and bounded numbers for paths and queries.

Numbers from a request are bounded in the schema, so a 30-digit id or an offset past SQLite's
64-bit integers is a documented 422, not an OverflowError deep in the database driver.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.urls import register_converter
from ninja import Field, Router, Schema

from .params import MAX_INT

router = Router(tags=["core"])


class IdConverter:
    """`{id:name}` in an API path: ASCII digits within MAX_INT. Anything else does not match, so
    the path falls through to the API's JSON 404 (dxday/api.py), like a missing row would."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)  # ValueError past 4,300 digits also means "no match"
        if number > MAX_INT:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


class ErrorOut(Schema):
    """Every 4xx/5xx answer of the API (see dxday/api.py)."""

    code: str = Field(..., description="Mã lỗi ổn định, ví dụ `not_found`, `validation_error`")
    message: str = Field(..., description="Câu thông báo bằng tiếng Việt")
    field: str | None = None
    errors: list[Any] | dict[str, Any] | None = None


# An id of a row (path or body): positive and inside every database's integer range.
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
# A campaign year.
Year = Annotated[int, Field(ge=1, le=9999)]
# Paging.
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]
Page = Annotated[int, Field(ge=1, le=100_000)]
