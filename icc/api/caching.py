"""How every answer of the open API is sent: in English, with a strong ETag that is the
hash of its body, ``If-None-Match`` answered with 304, and caching fit for public data,
or private to the owner of the access token that signed the request.

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
from django.utils.cache import get_conditional_response, patch_vary_headers

# Published content changes only through review: a minute's reuse, then a cheap revalidation.
CACHE_CONTROL = "public, max-age=60"
# An answer to an access token is its owner's alone: kept by them only, revalidated each time.
PRIVATE_CACHE_CONTROL = "private, no-cache"

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
        if getattr(request, "auth", None) is not None:
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
            patch_vary_headers(response, ["Authorization"])
        else:
            response.headers["Cache-Control"] = CACHE_CONTROL
        return get_conditional_response(request, etag=response.headers["ETag"], response=response) or response

    return wrapper
