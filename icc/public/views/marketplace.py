"""The marketplace's public side: published solutions found by words and facets, a
solution with its confirmed deployments, a provider qualified by them, the challenges
cities posted by ICC theme and SDG goal, and the cities' published profiles.

Only what review published is read (``icc.marketplace.access.public_*``), and of
deployments only those the deploying city confirmed. Anything else, like an address that
never existed, is a 404. The pages of one thing are cached under the data version; the
search page depends on its query string and is computed each time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from icc.cities.models import country_name
from icc.core import dataversion
from icc.core.pagination import query_without_page
from icc.core.params import MAX_ID
from icc.marketplace import access, finding, matched
from icc.marketplace.filters import BrowseForm
from icc.marketplace.models import Challenge, CityProfile, Deployment
from icc.marketplace.vocabulary import SDG_GOALS, Function, Mim, sdg_goal
from icc.programmes.models import Programme, Theme
from icc.public.caching import cached_response, render_public
from icc.search.query import among

PER_PAGE = 25
MAX_PAGE = 400  # 10,000 results at 25 a page; further pages are refused, not computed


def _one(queryset: Any, pk: int) -> Any:
    if not 0 < pk <= MAX_ID:
        raise Http404
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404 from None
    if not 1 <= number <= MAX_PAGE:
        raise Http404
    return number


def _confirmed_count() -> Subquery:
    return Subquery(
        Deployment.objects.filter(solution=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("solution")
        .annotate(n=Count("pk"))
        .values("n")
    )


@require_safe
def browse(request: HttpRequest, programme: str) -> HttpResponse:
    found_programme = access.get_public_marketplace(programme)
    form = BrowseForm(request.GET or None, programme=found_programme)
    found = access.public_solutions(found_programme)
    if form.is_valid():
        found = finding.find(found, finding.Filters.of(form.cleaned_data))
    # The ids found, in the page's order, read once: the facet counts, the number found
    # and the page's slice all come from them.
    ordered = list(found.order_by("name", "pk").values_list("pk", flat=True))
    form.count(finding.public_counts(found_programme.pk, ordered, dataversion.current(request)))
    paginator = Paginator(ordered, PER_PAGE)
    number = _page_number(request)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.page(number)
    shown = (
        access.public_solutions(found_programme)
        .filter(among(list(page.object_list)))
        .select_related("provider")
        .annotate(confirmed=Coalesce(_confirmed_count(), 0))
    )
    by_id = {solution.pk: solution for solution in shown}
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]  # type: ignore[misc]
    context = {
        "programme": found_programme,
        "programme_language": settings.LANGUAGE_CODE,
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "filtered": form.is_bound and any(form.data.get(name) for name in form.fields),
    }
    return render(request, "public/marketplace/browse.html", context)


def _labels(codes: list[str], labels: dict[str, Any]) -> list[str]:
    return [str(labels.get(code, code)) for code in codes]


@require_safe
def solution_view(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    def compute() -> str:
        found_programme = access.get_public_marketplace(programme)
        solution = _one(
            access.public_solutions(found_programme).select_related("provider").prefetch_related("themes"), pk
        )
        deployments = (
            access.public_deployments(found_programme).filter(solution=solution).select_related("city")
        ).order_by("-started_on", "city__name")
        context = {
            "programme": found_programme,
            "programme_language": settings.LANGUAGE_CODE,
            "solution": solution,
            "functions": _labels(solution.functions, dict(Function.choices)),
            "mims": _labels(solution.mims, dict(Mim.choices)),
            "goals": sorted({sdg_goal(t) for t in solution.sdgs}),
            "deployments": deployments,
        }
        return render_public(request, "public/marketplace/solution.html", context)

    return cached_response(request, compute)


@require_safe
def provider_view(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    def compute() -> str:
        found_programme = access.get_public_marketplace(programme)
        provider = _one(access.public_providers(found_programme), pk)
        confirmed = access.public_deployments(found_programme).select_related("city").order_by("city__name")
        solutions = (
            access.public_solutions(found_programme)
            .filter(provider=provider)
            .prefetch_related(Prefetch("deployments", queryset=confirmed, to_attr="confirmed"))
            .order_by("name", "pk")
        )
        context = {
            "programme": found_programme,
            "programme_language": settings.LANGUAGE_CODE,
            "provider": provider,
            "country": country_name(provider.country),
            "solutions": solutions,
            "cities": sorted({d.city.name for s in solutions for d in s.confirmed}),
        }
        return render_public(request, "public/marketplace/provider.html", context)

    return cached_response(request, compute)


@require_safe
def challenges(request: HttpRequest, programme: str) -> HttpResponse:
    """The published challenges, by ICC theme, or of one SDG goal."""
    found_programme = access.get_public_marketplace(programme)
    listed = (
        access.public_challenges(found_programme)
        .select_related("city", "theme")
        .annotate(sharing=Count("shared_by"))
        .order_by("theme__name", "-created_at", "pk")
    )
    text = request.GET.get("sdg", "")
    goal = int(text) if text.isdigit() and len(text) <= 2 else None
    if text and goal not in SDG_GOALS:
        raise Http404
    themes: dict[Theme, list[Challenge]] = {}
    for challenge in listed:  # a few thousand at most, their SDG targets in a list each
        if goal is None or any(sdg_goal(target) == goal for target in challenge.sdgs):
            themes.setdefault(challenge.theme, []).append(challenge)
    context = {
        "programme": found_programme,
        "programme_language": settings.LANGUAGE_CODE,
        "themes": themes,
        "goal": goal,
        "goals": SDG_GOALS,
    }
    return render(request, "public/marketplace/challenges.html", context)


@require_safe
def challenge_view(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    def compute() -> str:
        found_programme = access.get_public_marketplace(programme)
        challenge = _one(access.public_challenges(found_programme).select_related("city", "theme"), pk)
        context = {
            "programme": found_programme,
            "programme_language": settings.LANGUAGE_CODE,
            "challenge": challenge,
            "functions": _labels(challenge.functions, dict(Function.choices)),
            "shared_by": challenge.shared_by.order_by("name"),
            "matches": matched.matches(challenge, access.public_solutions(found_programme)),
        }
        return render_public(request, "public/marketplace/challenge.html", context)

    return cached_response(request, compute)


@require_safe
def profile_view(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    def compute() -> str:
        found_programme = access.get_public_marketplace(programme)
        profile = _profile(found_programme, pk)
        city = profile.city
        context = {
            "programme": found_programme,
            "programme_language": settings.LANGUAGE_CODE,
            "profile": profile,
            "city": city,
            "country": country_name(city.country),
            "mims": _labels(profile.mims, dict(Mim.choices)),
            "solutions": access.public_solutions(found_programme).filter(city=city).order_by("name"),
            "deployments": access.public_deployments(found_programme)
            .filter(city=city)
            .select_related("solution")
            .order_by("-started_on"),
            "challenges": access.public_challenges(found_programme).filter(city=city).order_by("-created_at"),
        }
        return render_public(request, "public/marketplace/profile.html", context)

    return cached_response(request, compute)


def _profile(programme: Programme, city_id: int) -> CityProfile:
    if not 0 < city_id <= MAX_ID:
        raise Http404
    profile = access.public_profiles(programme).select_related("city").filter(city_id=city_id).first()
    if profile is None:
        raise Http404
    return profile
