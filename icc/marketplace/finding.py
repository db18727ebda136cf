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

import secrets
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from icc.core import dataversion
from icc.marketplace.models import Deployment, Facet, FacetKind, Solution
from icc.search.models import Kind
from icc.search.query import among, matching_id_list, words

NGSI_LD = "ngsi-ld"  # the standard filter's value for solutions with an NGSI-LD interface


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


def _facet(kind: str, code: str) -> QuerySet[Facet, Any]:
    return Facet.objects.filter(kind=kind, code=code).values("solution")


def find(solutions: QuerySet[Solution], filters: Filters) -> QuerySet[Solution]:
    """``solutions`` narrowed by ``filters``; each filter is one indexed subquery."""
    if words(filters.text):
        # Read once, as the page's facet counts filter by them again.
        solutions = solutions.filter(among(matching_id_list(Kind.SOLUTION, filters.text)))
    if filters.theme:
        solutions = solutions.filter(
            pk__in=Solution.themes.through.objects.filter(theme=filters.theme).values("solution")
        )
    if filters.function:
        solutions = solutions.filter(pk__in=_facet(FacetKind.FUNCTION, filters.function))
    if filters.standard == NGSI_LD:
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
    """Facet counts over ``found``: three grouped queries, whatever its size. A facet row
    and a theme link are unique per solution, so they are counted as rows."""
    ids = found.order_by().values("pk")
    result = Counts()
    models: dict[str, int] = {}
    rows = Facet.objects.filter(solution__in=ids).order_by().values_list("kind", "code").annotate(n=Count("pk"))
    for kind, code, n in rows:
        {
            FacetKind.FUNCTION: result.function,
            FacetKind.MIM: result.standard,
            FacetKind.SDG: result.sdg,
            FacetKind.DATA_MODEL: models,
        }[kind][code] = n
    result.data_model = dict(sorted(models.items(), key=lambda item: (-item[1], item[0]))[:data_models])
    ngsi = found.order_by().aggregate(n=Count("pk", filter=Q(ngsi_ld=True)))["n"]
    if ngsi:
        result.standard[NGSI_LD] = ngsi
    through = Solution.themes.through.objects.filter(solution__in=ids).order_by()
    result.theme = dict(through.values_list("theme").annotate(n=Count("pk")))
    deployed = Deployment.objects.filter(solution__in=ids, confirmed_at__isnull=False).order_by()
    result.country = dict(deployed.values_list("city__country").annotate(n=Count("solution", distinct=True)))
    return result


# The public side's facet index: which facet values each published solution of a
# programme carries, as a matrix of solutions by values, read once per data version and
# process (four queries), so that the counts of a search are one sum over the rows of the
# solutions it found instead of grouped scans of the facet, theme and deployment tables.
# Publishing, confirming or changing anything changes the data version.


@dataclass(frozen=True)
class _Index:
    generation: str
    ids: np.ndarray[Any, np.dtype[np.int64]]  # the solutions' ids, sorted: row i is ids[i]
    values: list[tuple[str, Any]]  # column j is the facet value values[j]
    matrix: np.ndarray[Any, np.dtype[np.uint8]]


_PUBLIC_INDEX: dict[int, _Index] = {}
_FIELDS: dict[str, str] = {FacetKind.FUNCTION: "function", FacetKind.MIM: "standard", FacetKind.SDG: "sdg"}


def _public_index(programme_id: int, version: int) -> _Index:
    # The generation is kept in the shared cache under the data version: every process
    # agrees on it, and a cleared cache or a data version seen again (after a restore)
    # starts a new one instead of reusing an index read from other data.
    generation = dataversion.cached(f"market-facets:{programme_id}", version, lambda: secrets.token_hex(8))
    held = _PUBLIC_INDEX.get(programme_id)
    if held is not None and held.generation == generation:
        return held
    published = Solution.objects.filter(programme_id=programme_id, review="published")
    ids = published.order_by("pk")
    carried: list[tuple[int, tuple[str, Any]]] = [
        (pk, ("standard", NGSI_LD)) for pk in ids.filter(ngsi_ld=True).values_list("pk", flat=True)
    ]
    facets = Facet.objects.filter(solution__in=published.values("pk")).values_list("solution_id", "kind", "code")
    carried += [(pk, (_FIELDS.get(kind, "data_model"), code)) for pk, kind, code in facets]
    themes = Solution.themes.through.objects.filter(solution__in=published.values("pk"))
    carried += [(pk, ("theme", theme)) for pk, theme in themes.values_list("solution_id", "theme_id")]
    confirmed = Deployment.objects.filter(solution__in=published.values("pk"), confirmed_at__isnull=False)
    carried += [(pk, ("country", country)) for pk, country in confirmed.values_list("solution_id", "city__country")]
    rows = np.fromiter(ids.values_list("pk", flat=True), dtype=np.int64)
    columns: dict[tuple[str, Any], int] = {}
    matrix = np.zeros((len(rows), 0), dtype=np.uint8)
    if carried:
        for _pk, value in carried:
            columns.setdefault(value, len(columns))
        matrix = np.zeros((len(rows), len(columns)), dtype=np.uint8)
        at = np.searchsorted(rows, np.fromiter((pk for pk, _value in carried), dtype=np.int64))
        matrix[at, [columns[value] for _pk, value in carried]] = 1  # a country twice is still one
    index = _Index(generation, rows, list(columns), matrix)
    _PUBLIC_INDEX[programme_id] = index
    return index


def public_counts(programme_id: int, found: list[int], version: int, *, data_models: int = 20) -> Counts:
    """The same counts as :func:`counts` over the ids ``found``, for published solutions
    only (the public pages and the API), summed from the public facet index."""
    index = _public_index(programme_id, version)
    if not len(index.ids):
        return Counts()
    wanted = np.fromiter(found, dtype=np.int64, count=len(found))
    at = np.searchsorted(index.ids, wanted)
    at = at[(at < len(index.ids)) & (index.ids[np.minimum(at, len(index.ids) - 1)] == wanted)]
    sums = index.matrix[at].sum(axis=0, dtype=np.int64) if len(at) else np.zeros(len(index.values), np.int64)
    result = Counts()
    models: dict[str, int] = {}
    for (name, value), n in zip(index.values, sums.tolist(), strict=True):
        if n:
            target = models if name == "data_model" else getattr(result, name)
            target[value] = n
    result.data_model = dict(sorted(models.items(), key=lambda item: (-item[1], item[0]))[:data_models])
    return result
