"""The marketplace's published content: solutions, providers, challenges and city profiles.

Everything is read through the marketplace's public access functions, the ones the
public pages use, so a draft, a submission waiting for review, a refusal or a
deployment its city has not confirmed answers 404 here exactly like an id that never
existed, and counts none of them. Solutions are found with the pages' own filters.
Each list takes a fixed number of queries whatever its length.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import F, Func, IntegerField, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router

from icc.api import schemas
from icc.api.labels import SDG_GOALS, choice_label, choice_labels, licence_label, sdg_goal_of
from icc.api.pagination import paginate
from icc.cities.models import City, CityType
from icc.core.params import MAX_ID
from icc.marketplace import access, models
from icc.marketplace.finding import Filters, find
from icc.marketplace.vocabulary import CostModel, Function, Mim, ProviderKind, SolutionStatus
from icc.programmes.models import Programme, Theme

M = TypeVar("M", bound=Model)

router = Router(tags=["marketplace"])
PREFIX = "/programmes/{slug}/marketplace"
ERRORS: dict[int, type[schemas.Problem]] = {400: schemas.Problem, 404: schemas.Problem}
Slug = Path(..., pattern=schemas.SLUG_PATTERN, description="The programme's short name, e.g. icc-2025.")
Id = Path(..., ge=1, le=MAX_ID)
# Each kind's public page (icc.public's marketplace pages).
PAGES = {
    "solution": "market_solution",
    "provider": "market_provider",
    "challenge": "market_challenge",
    "city": "market_profile",
}


def _programme(slug: str) -> Programme:
    try:
        return access.get_public_marketplace(slug)
    except Http404:
        raise Http404("No programme of this name.") from None


def _one(rows: QuerySet[M], pk: int) -> M:
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404("Nothing published has this id.")
    return found


def _count(rows: QuerySet[Any]) -> Coalesce:
    """The number of ``rows`` (correlated through ``OuterRef``) as a subquery: one query for a whole list."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def _url(request: HttpRequest, name: str, slug: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs={"slug": slug, "id": pk}))


def _page(request: HttpRequest, name: str, slug: str, pk: int) -> str:
    """The item's public page, in the language the API answers in."""
    return request.build_absolute_uri(reverse(f"public:{PAGES[name]}", kwargs={"programme": slug, "pk": pk}))


def _codes(pairs: list[tuple[str, str]]) -> list[schemas.Code]:
    return [schemas.Code(code=code, label=label) for code, label in pairs]


def _sdgs(targets: Sequence[str]) -> list[schemas.SdgTarget]:
    out = []
    for target in targets:
        goal = sdg_goal_of(target)
        out.append(schemas.SdgTarget(code=target, goal=goal, label=SDG_GOALS.get(goal or 0, target)))
    return out


def _city(city: City) -> schemas.CityRef:
    return schemas.CityRef(id=city.pk, name=city.name, country=city.country)


def _theme(theme: Theme) -> schemas.ThemeRef:
    return schemas.ThemeRef(id=theme.pk, name=theme.name)


def _published(request: HttpRequest, item: models.Reviewed, name: str, slug: str, pk: int) -> dict[str, Any]:
    return {
        "id": pk,
        "url": _url(request, name, slug, pk),
        "page_url": _page(request, name, slug, pk),
        "published_at": item.reviewed_at,
        "updated_at": item.updated_at,
    }


# Solutions


def _solutions(programme: Programme) -> QuerySet[models.Solution]:
    deployments = access.public_deployments(programme).filter(solution=OuterRef("pk"))
    return (
        access.public_solutions(programme)
        .select_related("provider", "city")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name", "pk")))
        .annotate(deployment_count=_count(deployments))
        .order_by("name", "pk")
    )


def _solution(request: HttpRequest, slug: str, solution: models.Solution) -> dict[str, Any]:
    provider = solution.provider
    return {
        **_published(request, solution, "solution", slug, solution.pk),
        "name": solution.name,
        "summary": solution.summary,
        "provider": schemas.ProviderRef(
            id=provider.pk,
            name=provider.name,
            url=_url(request, "provider", slug, provider.pk) if provider.is_published else None,
        ),
        "city": _city(solution.city) if solution.city else None,
        "themes": [_theme(theme) for theme in solution.themes.all()],
        "functions": _codes(choice_labels(Function, solution.functions)),
        "mims": _codes(choice_labels(Mim, solution.mims)),
        "data_models": list(solution.data_models),
        "ngsi_ld": solution.ngsi_ld,
        "standards": solution.standards,
        "cost_model": schemas.Code(code=solution.cost_model, label=choice_label(CostModel, solution.cost_model)),
        "licence": schemas.Code(code=solution.licence, label=licence_label(solution.licence))
        if solution.licence
        else None,
        "repository": solution.repository or None,
        "development": schemas.Code(
            code=solution.development, label=choice_label(SolutionStatus, solution.development)
        ),
        "sdgs": _sdgs(solution.sdgs),
        "deployment_count": solution.deployment_count,  # type: ignore[attr-defined]
    }


def _filters(given: schemas.SolutionFilters) -> Filters:
    return Filters(
        text=given.q,
        theme=given.theme,
        sdg=str(given.sdg or ""),
        function=given.function.value if given.function else "",
        standard=given.standard.value if given.standard else "",
        data_model=given.data_model or "",
        country=(given.country or "").upper(),
        size=given.size or "",
    )


@router.get(
    f"{PREFIX}/solutions",
    response={200: schemas.SolutionPage, **ERRORS},
    url_name="solutions",
    operation_id="list_solutions",
    summary="Published solutions, found by words and facets",
)
def solutions(
    request: HttpRequest,
    filters: Query[schemas.SolutionFilters],
    page: Query[schemas.PageParams],
    slug: str = Slug,
) -> dict[str, Any]:
    programme = _programme(slug)
    found = find(_solutions(programme), _filters(filters))
    return paginate(request, found, page, lambda rows: [_solution(request, slug, s) for s in rows])


@router.get(
    f"{PREFIX}/solutions/{{id}}",
    response={200: schemas.SolutionDetail, **ERRORS},
    url_name="solution",
    operation_id="get_solution",
    summary="A published solution with its confirmed deployments",
)
def solution(request: HttpRequest, slug: str = Slug, id: int = Id) -> dict[str, Any]:
    programme = _programme(slug)
    found = _one(_solutions(programme), id)
    deployments = access.public_deployments(programme).filter(solution=found).select_related("city")
    return {
        **_solution(request, slug, found),
        "requirements": found.requirements,
        "deployments": [
            schemas.Deployment(city=_city(d.city), started_on=d.started_on, scale=d.scale, outcome=d.outcome)
            for d in deployments.order_by("-started_on", "pk")
        ],
    }


# Providers


def _providers(programme: Programme) -> QuerySet[models.Provider]:
    solutions = access.public_solutions(programme).filter(provider=OuterRef("pk"))
    deployments = access.public_deployments(programme).filter(solution__provider=OuterRef("pk"))
    return (
        access.public_providers(programme)
        .select_related("city")
        .annotate(solution_count=_count(solutions), deployment_count=_count(deployments))
        .order_by("name", "pk")
    )


def _provider(request: HttpRequest, slug: str, provider: models.Provider) -> dict[str, Any]:
    return {
        **_published(request, provider, "provider", slug, provider.pk),
        "name": provider.name,
        "kind": schemas.Code(code=provider.kind, label=choice_label(ProviderKind, provider.kind)),
        "country": provider.country,
        "website": provider.website or None,
        "city": _city(provider.city) if provider.city else None,
        "solution_count": provider.solution_count,  # type: ignore[attr-defined]
        "deployment_count": provider.deployment_count,  # type: ignore[attr-defined]
    }


@router.get(
    f"{PREFIX}/providers",
    response={200: schemas.ProviderPage, **ERRORS},
    url_name="providers",
    operation_id="list_providers",
    summary="Published providers",
)
def providers(request: HttpRequest, page: Query[schemas.PageParams], slug: str = Slug) -> dict[str, Any]:
    programme = _programme(slug)
    return paginate(request, _providers(programme), page, lambda rows: [_provider(request, slug, p) for p in rows])


@router.get(
    f"{PREFIX}/providers/{{id}}",
    response={200: schemas.ProviderDetail, **ERRORS},
    url_name="provider",
    operation_id="get_provider",
    summary="A published provider with its published solutions and its confirmed deployment count",
)
def provider(request: HttpRequest, slug: str = Slug, id: int = Id) -> dict[str, Any]:
    programme = _programme(slug)
    found = _one(_providers(programme), id)
    offered = access.public_solutions(programme).filter(provider=found).order_by("name", "pk")
    return {
        **_provider(request, slug, found),
        "solutions": [
            schemas.SolutionRef(id=s.pk, name=s.name, url=_url(request, "solution", slug, s.pk)) for s in offered
        ],
    }


# Challenges


def _challenges(programme: Programme) -> QuerySet[models.Challenge]:
    shared = models.Challenge.shared_by.through.objects.filter(challenge=OuterRef("pk"))
    return (
        access.public_challenges(programme)
        .select_related("city", "theme")
        .annotate(shared_by_count=_count(shared))
        .order_by("-created_at", "pk")
    )


def _challenge(request: HttpRequest, slug: str, challenge: models.Challenge) -> dict[str, Any]:
    return {
        **_published(request, challenge, "challenge", slug, challenge.pk),
        "title": challenge.title,
        "context": challenge.context,
        "city": _city(challenge.city),
        "theme": _theme(challenge.theme),
        "functions": _codes(choice_labels(Function, challenge.functions)),
        "data_models": list(challenge.data_models),
        "sdgs": _sdgs(challenge.sdgs),
        "budget_min_eur": challenge.budget_min,
        "budget_max_eur": challenge.budget_max,
        "needed_by": challenge.needed_by,
        "shared_by_count": challenge.shared_by_count,  # type: ignore[attr-defined]
    }


@router.get(
    f"{PREFIX}/challenges",
    response={200: schemas.ChallengePage, **ERRORS},
    url_name="challenges",
    operation_id="list_challenges",
    summary="Published challenges of the cities, newest first",
)
def challenges(request: HttpRequest, page: Query[schemas.PageParams], slug: str = Slug) -> dict[str, Any]:
    programme = _programme(slug)
    return paginate(request, _challenges(programme), page, lambda rows: [_challenge(request, slug, c) for c in rows])


@router.get(
    f"{PREFIX}/challenges/{{id}}",
    response={200: schemas.ChallengeDetail, **ERRORS},
    url_name="challenge",
    operation_id="get_challenge",
    summary="A published challenge with the cities that share it",
)
def challenge(request: HttpRequest, slug: str = Slug, id: int = Id) -> dict[str, Any]:
    programme = _programme(slug)
    found = _one(_challenges(programme), id)
    return {
        **_challenge(request, slug, found),
        "shared_by": [_city(city) for city in found.shared_by.order_by("name", "pk")],
    }


# City profiles


def _profiles(programme: Programme) -> QuerySet[models.CityProfile]:
    return access.public_profiles(programme).select_related("city__track").order_by("city__name", "city_id")


def _profile(request: HttpRequest, slug: str, profile: models.CityProfile) -> dict[str, Any]:
    city = profile.city
    return {
        **_published(request, profile, "city", slug, city.pk),
        "name": city.name,
        "country": city.country,
        "type": schemas.Code(code=city.type, label=choice_label(CityType, city.type)),
        "population": city.population,
        "track": _theme(city.track) if city.track else None,
        "summary": profile.summary,
        "open_data_portal": profile.open_data_portal or None,
        "open_data_charter": profile.open_data_charter,
        "platforms": profile.platforms,
        "mims": _codes(choice_labels(Mim, profile.mims)),
        "procurement": profile.procurement,
        "procurement_contact": profile.procurement_contact or None,
        "tenders": profile.tenders,
    }


@router.get(
    f"{PREFIX}/cities",
    response={200: schemas.CityProfilePage, **ERRORS},
    url_name="cities",
    operation_id="list_cities",
    summary="Published marketplace profiles of the cities",
)
def cities(request: HttpRequest, page: Query[schemas.PageParams], slug: str = Slug) -> dict[str, Any]:
    programme = _programme(slug)
    return paginate(request, _profiles(programme), page, lambda rows: [_profile(request, slug, p) for p in rows])


@router.get(
    f"{PREFIX}/cities/{{id}}",
    response={200: schemas.CityProfileDetail, **ERRORS},
    url_name="city",
    operation_id="get_city",
    summary="A city's published marketplace profile with the published solutions it confirmed it deploys",
)
def city(request: HttpRequest, slug: str = Slug, id: int = Id) -> dict[str, Any]:
    programme = _programme(slug)
    profile = _profiles(programme).filter(city_id=id).first()
    if profile is None:
        raise Http404("Nothing published has this id.")
    deployments = access.public_deployments(programme).filter(city_id=id).select_related("solution")
    return {
        **_profile(request, slug, profile),
        "deployments": [
            schemas.CityDeployment(
                solution=schemas.SolutionRef(
                    id=d.solution_id, name=d.solution.name, url=_url(request, "solution", slug, d.solution_id)
                ),
                started_on=d.started_on,
                scale=d.scale,
                outcome=d.outcome,
            )
            for d in deployments.order_by("-started_on", "pk")
        ],
    }
