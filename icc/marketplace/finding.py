"""Finding solutions: words through the platform's full-text index, and facets (theme,
SDG goal, technology function, standard, country and size of a deploying city) through
indexed tables, with the number of solutions behind each facet value.

Both the pages of those taking part and the public pages call :func:`find` on the
solutions the person may see, so a filter never widens what they see. Facet counts are
taken over what the other filters left, as faceted browsing does everywhere, and count
confirmed deployments only: a claim no city confirmed says nothing about where a solution
runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from icc.marketplace.models import Deployment, Facet, FacetKind, Solution


class CitySize:
    """City sizes as Eurostat's urban audit groups them, by population."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    choices = [
        (SMALL, _("Under 100,000 inhabitants")),
        (MEDIUM, _("100,000 to 500,000 inhabitants")),
        (LARGE, _("Over 500,000 inhabitants")),
    ]
    bounds: dict[str, tuple[int, int | None]] = {
        SMALL: (0, 100_000),
        MEDIUM: (100_000, 500_000),
        LARGE: (500_000, None),
    }


@dataclass(frozen=True)
class Filters:
    text: str = ""
    theme: int | None = None
    sdg: str = ""  # an SDG goal, "1" to "17"
    function: str = ""
    standard: str = ""  # an OASC MIM code, or "ngsi-ld"
    data_model: str = ""
    country: str = ""
    size: str = ""

    @classmethod
    def of(cls, data: dict[str, Any]) -> Filters:
        """The filters from a valid browse form's ``cleaned_data``."""
        theme = data.get("theme")
        return cls(
            text=data.get("q") or "",
            theme=getattr(theme, "pk", theme) or None,
            sdg=str(data.get("sdg") or ""),
            function=data.get("function") or "",
            standard=data.get("standard") or data.get("mim") or "",
            data_model=data.get("data_model") or "",
            country=data.get("country") or "",
            size=data.get("size") or "",
        )


def _size_q(size: str, prefix: str) -> Q:
    low, high = CitySize.bounds[size]
    q = Q(**{f"{prefix}population__gte": low})
    if high is not None:
        q &= Q(**{f"{prefix}population__lt": high})
    return q


def _deployed_in(filters: Filters) -> QuerySet[Deployment] | None:
    if not filters.country and filters.size not in CitySize.bounds:
        return None
    deployments = Deployment.objects.filter(confirmed_at__isnull=False)
    if filters.country:
        deployments = deployments.filter(city__country=filters.country)
    if filters.size in CitySize.bounds:
        deployments = deployments.filter(_size_q(filters.size, "city__"))
    return deployments


def _facet(kind: str, code: str) -> QuerySet[Facet]:
    return Facet.objects.filter(kind=kind, code=code).values("solution")


def find(solutions: QuerySet[Solution], filters: Filters) -> QuerySet[Solution]:
    """``solutions`` narrowed by ``filters``; each filter is one indexed subquery."""
    if filters.text:
        from icc.search.query import matching_ids

        solutions = solutions.filter(pk__in=matching_ids("solution", filters.text))
    if filters.theme:
        solutions = solutions.filter(pk__in=Solution.themes.through.objects.filter(theme=filters.theme).values("solution"))
    if filters.function:
        solutions = solutions.filter(pk__in=_facet(FacetKind.FUNCTION, filters.function))
    if filters.standard == "ngsi-ld":
        solutions = solutions.filter(ngsi_ld=True)
    elif filters.standard:
        solutions = solutions.filter(pk__in=_facet(FacetKind.MIM, filters.standard))
    if filters.data_model:
        solutions = solutions.filter(pk__in=_facet(FacetKind.DATA_MODEL, filters.data_model))
    if filters.sdg:
        solutions = solutions.filter(pk__in=_facet(FacetKind.SDG, filters.sdg))
    deployed = _deployed_in(filters)
    if deployed is not None:
        solutions = solutions.filter(pk__in=deployed.values("solution"))
    return solutions


@dataclass
class Counts:
    """How many of the found solutions carry each facet value."""

    function: dict[str, int] = field(default_factory=dict)
    standard: dict[str, int] = field(default_factory=dict)
    data_model: dict[str, int] = field(default_factory=dict)
    sdg: dict[str, int] = field(default_factory=dict)
    theme: dict[int, int] = field(default_factory=dict)
    country: dict[str, int] = field(default_factory=dict)


def counts(found: QuerySet[Solution], *, data_models: int = 20) -> Counts:
    """Facet counts over ``found`` (five grouped queries, whatever its size)."""
    ids = found.order_by().values("pk")
    result = Counts()
    rows = (
        Facet.objects.filter(solution__in=ids)
        .exclude(kind=FacetKind.DATA_MODEL)
        .values_list("kind", "code")
        .annotate(n=Count("solution", distinct=True))
    )
    for kind, code, n in rows:
        if kind == FacetKind.FUNCTION:
            result.function[code] = n
        elif kind == FacetKind.MIM:
            result.standard[code] = n
        else:
            result.sdg[code] = n
    top = (
        Facet.objects.filter(solution__in=ids, kind=FacetKind.DATA_MODEL)
        .values_list("code")
        .annotate(n=Count("solution", distinct=True))
        .order_by("-n", "code")[:data_models]
    )
    result.data_model = dict(top)
    ngsi = found.order_by().filter(ngsi_ld=True).count()
    if ngsi:
        result.standard["ngsi-ld"] = ngsi
    through = Solution.themes.through.objects.filter(solution__in=ids)
    result.theme = dict(through.values_list("theme").annotate(n=Count("solution", distinct=True)))
    deployed = Deployment.objects.filter(solution__in=ids, confirmed_at__isnull=False)
    result.country = dict(deployed.values_list("city__country").annotate(n=Count("solution", distinct=True)))
    return result
