from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from icc.cities.access import OVERVIEW_ROLES, visible_cities_filter
from icc.cities.models import City, Role, RoleKind
from icc.journey.access import cities_of
from icc.journey.progress import whats_next
from icc.roadmaps.kpis import missing_updates
from icc.roadmaps.models import OPEN_STATUSES, Action
from icc.roadmaps.signoffs import to_renew


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    roles = list(
        Role.objects.filter(person=request.user)
        .select_related("programme", "city", "theme", "service", "organisation")
        .order_by("programme__starts_on", "kind")
    )
    visible_ids = set(City.objects.filter(visible_cities_filter(request.user)).values_list("pk", flat=True))
    by_programme: dict[Any, list[Role]] = defaultdict(list)
    for role in roles:
        by_programme[role.programme].append(role)
    programmes = []
    for programme, programme_roles in by_programme.items():
        kinds = {r.kind for r in programme_roles}
        cities = [r.city for r in programme_roles if r.city is not None and r.city.pk in visible_ids]
        programmes.append(
            {
                "programme": programme,
                "roles": programme_roles,
                "cities": list(dict.fromkeys(cities)),
                "themes": [r.theme for r in programme_roles if r.theme is not None],
                "is_team": RoleKind.PROGRAMME_TEAM in kinds,
                "sees_overview": bool(kinds & set(OVERVIEW_ROLES)),
                "stakeholder_roles": [r for r in programme_roles if r.kind == RoleKind.STAKEHOLDER],
                "city_count": programme.cities.count() if RoleKind.PROGRAMME_TEAM in kinds else None,
            }
        )
    my_cities = cities_of(request.user)
    upcoming = whats_next(request.user, my_cities) if my_cities else None
    return render(
        request,
        "core/home.html",
        {
            "programmes": programmes,
            "upcoming": upcoming,
            "kpi_updates": missing_updates(my_cities, timezone.localdate()) if my_cities else [],
            "owned_actions": Action.objects.owned_by(request.user).filter(status__in=OPEN_STATUSES).count(),
            "sign_offs_to_renew": to_renew(request.user),
        },
    )


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
