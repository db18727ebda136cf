from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import is_valid_path
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from icc.core import catalogues


class TimeZoneMiddleware:
    """Show times in the signed-in person's time zone; they are stored in UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy and no stored copies of private responses.

    The policies come from the CONTENT_SECURITY_POLICY and PERMISSIONS_POLICY settings; a view
    that sets either header itself keeps its own. A response to a signed-in person, to a request
    that carries a session, or one that sets a cookie is marked ``private, no-store`` whatever
    the view said; any other response the view left without caching rules gets the same, so
    pages reached through a secret link (survey answers, invitations) are never kept either.
    Static files are answered before this middleware and keep their public caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's own error pages in development are styled and scripted inline.
        if not (settings.DEBUG and response.status_code >= 400):
            policy = "; ".join(f"{name} {sources}" for name, sources in settings.CONTENT_SECURITY_POLICY.items())
            response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", ", ".join(f"{f}=()" for f in settings.PERMISSIONS_POLICY))
        if _is_private(request, response) or not response.has_header("Cache-Control"):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    if response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 from an address that exists stays a 404.

    Django answers a 404 on an address without a language prefix by redirecting to the
    same address under the reader's language whenever that one would resolve. Public
    addresses take two slugs (``/fr/<programme>/<city>/``), so ``/cities/12/`` of a city
    the reader may not open would be sent to ``/en/cities/12/`` instead of answering the
    404 that keeps the city secret.

    And the platform's own pages (every address without a language prefix) are written in
    the platform languages only: a reader who chose another language reads them in
    English, so that a page's ``lang`` is always the language of its words. The public
    pages, under their language prefix, are in every language.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        language = translation.get_language()
        prefixed = translation.get_language_from_path(request.path_info)
        if not prefixed and language not in ("en", *catalogues.PLATFORM_LANGUAGES):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code == 404 and is_valid_path(request.path_info, getattr(request, "urlconf", None)):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
