from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, *, per_page: int = 100) -> Page:
    """The page the request asks for; a missing, malformed or too-large number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def query_with(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
