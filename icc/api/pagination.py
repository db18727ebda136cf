"""Pages of a list: ``limit`` items from ``offset``, with the number of all of them and
the addresses of the next and previous pages (the request's other parameters kept)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from icc.api.schemas import PageParams

M = TypeVar("M", bound=Model)


def _link(request: HttpRequest, offset: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(
    request: HttpRequest, rows: QuerySet[M], params: PageParams, render: Callable[[Sequence[M]], list[Any]]
) -> dict[str, Any]:
    """One page of ``rows`` (already ordered) in two queries, whatever their number, and
    the queries ``render`` makes for all the page's rows at once."""
    count = rows.order_by().count()
    start, limit = params.offset, params.limit
    page = list(rows[start : start + limit]) if start < count else []
    return {
        "count": count,
        "next": _link(request, start + limit) if start + limit < count else None,
        "previous": _link(request, max(min(start, count) - limit, 0)) if start > 0 else None,
        "results": render(page),
    }
