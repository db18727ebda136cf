"""The open API's addresses under ``/api/v1/``: the operations, the OpenAPI document, its
documentation page, an index at the root, and a JSON 404 for any other address."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.views.decorators.http import require_safe

from icc.api.api import api
from icc.api.caching import public_read

app_name = "api"


@require_safe
@public_read
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        }
    )


def unknown(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse({"detail": "No such address in this API.", "errors": []}, status=404)


_operations, _app, _namespace = api.urls
urlpatterns: list[URLPattern | URLResolver] = [
    *(p for p in _operations if getattr(p, "name", None) != "api-root"),
    path("", index, name="api-root"),
    re_path(r"^(?P<rest>.+)$", unknown),
]
