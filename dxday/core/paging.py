"""One way to page a long list on a page: the page number from `?trang=` through
`core.params.page_param` (bad input is page 1, never a 500), and the rest of the query string
kept for the pager's links (`core/_pager.html`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

from .params import page_param

PAGE_PARAM = "trang"
PAGE_SIZE = 25


def page_of(request, items, *, per_page: int | None = None) -> Page:
    """The page of `items` (a queryset or a list) the request asks for; past the end, the last."""
    return Paginator(items, per_page or PAGE_SIZE).get_page(page_param(request.GET.get(PAGE_PARAM)))


def query_without_page(request) -> str:
    """The request's query string without the page number, for the pager's links."""
    pairs = [(k, v) for k, values in request.GET.lists() if k != PAGE_PARAM for v in values if v]
    return urlencode(pairs)
