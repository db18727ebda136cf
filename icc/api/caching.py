"""How every answer of the open API is sent: in English, with a strong ETag that is the
hash of its body, ``If-None-Match`` answered with 304, and caching fit for public data.

The platform's security middleware still marks an answer to a signed-in person (or to a
request carrying a session) ``private, no-store``, whatever is set here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import get_conditional_response

# Published content changes only through review: a minute's reuse, then a cheap revalidation.
CACHE_CONTROL = "public, max-age=60"

View = Callable[..., HttpResponseBase]


def etag_of(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()}"'


def public_read(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE):
            response = view(request, *args, **kwargs)
        if request.method != "GET" or response.status_code != 200 or not isinstance(response, HttpResponse):
            return response
        response.headers["ETag"] = etag_of(response.content)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return get_conditional_response(request, etag=response.headers["ETag"], response=response) or response

    return wrapper
