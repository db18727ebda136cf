"""How a write view answers: the whole page for a browser, just the fragment for htmx.

Every write has its own small view: ``@require_POST`` → access → form → action, then
either a redirect to the page (post/redirect/get) or, when the form is invalid, the page
again with the errors. A fragment is a ``{% partialdef %}`` block of the page's own
template, so an htmx request (``HX-Request: true``) gets the same markup the no-JavaScript
path shows inside the full page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# An invalid form is answered 200 with its errors, as Django's generic views do, so that
# browsers without JavaScript show the page; htmx swaps 200 responses by default.


def wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only its ``{% partialdef fragment %}`` block for an htmx request."""
    name = f"{template}#{fragment}" if fragment and wants_fragment(request) else template
    return render(request, name, dict(context), status=status)
