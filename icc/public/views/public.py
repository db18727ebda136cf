"""The pages citizens read: a city's page, its dashboard, and the programme's dashboard.

Each is cached whole under the data version (:mod:`icc.public.caching`); what is not
published is a 404 exactly like an address that never existed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from icc.consultations.clock import city_day
from icc.public import pages
from icc.public.access import get_public_city, get_public_programme
from icc.public.caching import Body, cached_response, render_public


@require_safe
def programme_view(request: HttpRequest, programme: str) -> HttpResponse:
    def compute() -> str:
        found = get_public_programme(programme)
        return render_public(request, "public/programme.html", pages.programme_context(found))

    return cached_response(request, compute)


@require_safe
def city_view(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    def compute() -> Body:
        publication = get_public_city(programme, city)
        context = pages.city_context(publication)
        context["update_passed"] = pages.next_update_passed(publication, city_day(publication.city, timezone.now()))
        # Shown until a consultation opens or closes, whichever comes first.
        return Body(render_public(request, "public/city.html", context), context["participation"]["valid_until"])

    return cached_response(request, compute)


@require_safe
def city_dashboard(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    def compute() -> str:
        publication = get_public_city(programme, city)
        context = pages.dashboard_context(publication)
        context["update_passed"] = pages.next_update_passed(publication, city_day(publication.city, timezone.now()))
        return render_public(request, "public/dashboard.html", context)

    return cached_response(request, compute)
