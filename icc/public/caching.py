"""Whole public pages and downloads cached under the data version.

A dashboard announced on the evening news is read by thousands of people who all get the
same bytes: the response body is rendered once per data version, address, language and
day, and every later request costs one query (the version). Any change to the data raises
the version in its own transaction, so a new KPI value is served from the next request
on; shared caches and browsers may keep a copy for a minute (``max-age``), and ask again
with the ETag after that.

A body that stops being true at a known moment without any change to the data (a
consultation that closes at 18:00) says so with :class:`Body`'s ``valid_until``, and is made
again from then on.

Nothing personal may go into such a body: the pages cached here show no form, no message
and nothing about who reads them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from icc.core import dataversion

MAX_AGE = 60
HTML = "text/html; charset=utf-8"


def page_key(request: HttpRequest) -> str:
    """What a cached public body depends on besides the data: address, language and hour.

    The hour, in UTC, rather than the day: a page says what is open "today" by the clock
    of its city, and every European city's midnight falls on a whole UTC hour, so a body
    made before a city's midnight is never served after it. The query string is left out
    (these pages take none), so that made-up queries cannot fill the cache with copies of
    one page.
    """
    where = hashlib.sha256(request.path.encode()).hexdigest()[:40]
    hour = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H")
    return f"{translation.get_language()}:{hour}:{where}"


@dataclass(frozen=True)
class Body:
    """What a page's ``compute`` returns when its body expires at ``valid_until``."""

    content: str | bytes
    valid_until: dt.datetime | None = None


@dataclass(frozen=True)
class Entry:
    """A cached body, plain and compressed (once, here, rather than on every request)."""

    data: bytes
    gzipped: bytes
    digest: str
    valid_until: dt.datetime | None


def _entry(produced: str | bytes | Body) -> Entry:
    body = produced if isinstance(produced, Body) else Body(produced)
    data = body.content.encode() if isinstance(body.content, str) else body.content
    digest = hashlib.sha256(data).hexdigest()[:32]
    return Entry(data, gzip.compress(data, compresslevel=6, mtime=0), digest, body.valid_until)


def _cached_entry(request: HttpRequest, compute: Callable[[], str | bytes | Body]) -> Entry:
    key = f"icc:public-page:{dataversion.current(request)}:{page_key(request)}"
    entry = cache.get(key)
    if not isinstance(entry, Entry) or (entry.valid_until is not None and timezone.now() >= entry.valid_until):
        entry = _entry(compute())
        cache.set(key, entry, dataversion.FRAGMENT_SECONDS)
    return entry


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the reader's browser takes a gzip-compressed body (and did not refuse it with q=0)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, params = part.partition(";")
        if name.strip().lower() != "gzip":
            continue
        key, _eq, value = params.replace(" ", "").partition("=")
        if key.lower() != "q":
            return True
        try:
            return float(value) > 0
        except ValueError:
            return False
    return False


def cached_response(
    request: HttpRequest,
    compute: Callable[[], str | bytes | Body],
    *,
    content_type: str = HTML,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """``compute()``'s body, from the cache when the data has not changed since it was made.

    ``compute`` raises ``Http404`` for what is not published; nothing is cached then.
    """
    entry = _cached_entry(request, compute)
    compressed = accepts_gzip(request)
    response = HttpResponse(entry.gzipped if compressed else entry.data, content_type=content_type)
    for name, value in (headers or {}).items():
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    # The two encodings are different bytes, so each has an ETag of its own.
    etag = f'"{entry.digest}-gzip"' if compressed else f'"{entry.digest}"'
    response["ETag"] = etag
    patch_vary_headers(response, ("Accept-Encoding",))
    if not request.user.is_authenticated:
        # The security middleware still makes it private for a request with a session.
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def render_public(request: HttpRequest, template: str, context: Mapping[str, Any]) -> str:
    """A public page as it is cached: without the reader's messages, links without a query."""
    return render_to_string(template, {**context, "messages": (), "cached_page": True}, request=request)
