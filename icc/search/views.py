"""The search box's page: everything the signed-in person may open, in one list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from icc.cities.models import City
from icc.core.types import AuthedHttpRequest
from icc.programmes.models import Programme
from icc.search import query
from icc.search.models import Entry, Kind

QUERY_LENGTH = 200


def _address(hit: query.Hit, programme_slugs: dict[int, str], person_programmes: dict[int, int]) -> str:
    if hit.kind == Kind.CITY:
        return reverse("cities:detail", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.ACTION:
        return reverse("roadmaps:action", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.KPI:
        return reverse("roadmaps:kpi", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.ITEM:
        return reverse("library:item", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.POST:
        return reverse("channels:thread", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.SOLUTION:
        return reverse("marketplace:solution", kwargs={"pk": hit.object_id})
    if hit.kind == Kind.CHALLENGE:
        return reverse("marketplace:challenge", kwargs={"pk": hit.object_id})
    slug = programme_slugs[person_programmes[hit.object_id]]
    return reverse("cities:person", kwargs={"slug": slug, "pk": hit.object_id})


@login_required
@require_safe
def search_view(request: AuthedHttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")
    too_long = len(text) > QUERY_LENGTH
    hits = query.search(request.user, text[:QUERY_LENGTH])
    cities = dict(City.objects.filter(pk__in={h.city_id for h in hits if h.city_id}).values_list("pk", "name"))
    person_programmes = dict(
        Entry.objects.filter(
            kind=Kind.PERSON, object_id__in=[h.object_id for h in hits if h.kind == Kind.PERSON]
        ).values_list("object_id", "programme_id")
    )
    slugs = dict(Programme.objects.values_list("pk", "slug"))
    results = [
        {
            "title": hit.title,
            "kind": Kind(hit.kind).label,
            "city": cities.get(hit.city_id) if hit.kind != Kind.CITY and hit.city_id else None,
            "url": _address(hit, slugs, person_programmes),
        }
        for hit in hits
    ]
    context = {"q": text[:QUERY_LENGTH], "results": results, "too_long": too_long, "searched": bool(text.strip())}
    return render(request, "search/results.html", context)
