"""Solutions matched to a challenge, read from the database: the candidates are only the
solutions sharing a technology function or a data model with it (through the facet
index), since :func:`icc.marketplace.matching.match` drops every other one."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from icc.marketplace import matching
from icc.marketplace.models import Challenge, Deployment, Facet, FacetKind, Solution
from icc.marketplace.vocabulary import Function
from icc.marketplace.wording import reason_words


def matches(challenge: Challenge, solutions: QuerySet[Solution]) -> list[dict[str, Any]]:
    """The best of ``solutions`` for ``challenge``, each with its reasons in words."""
    shared = Facet.objects.filter(
        Q(kind=FacetKind.FUNCTION, code__in=challenge.functions)
        | Q(kind=FacetKind.DATA_MODEL, code__in=challenge.data_models)
    )
    candidates = list(
        solutions.filter(pk__in=shared.values("solution")).select_related("provider").prefetch_related("themes")
    )
    deployed: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for solution_id, population, country in Deployment.objects.filter(
        solution__in=[s.pk for s in candidates], confirmed_at__isnull=False
    ).values_list("solution_id", "city__population", "city__country"):
        deployed[solution_id].append((population, country))
    need = matching.Need(
        functions=frozenset(challenge.functions),
        data_models=frozenset(challenge.data_models),
        theme_id=challenge.theme_id,
        population=challenge.city.population,
        country=challenge.city.country,
    )
    offers = [
        matching.Offer(
            solution_id=s.pk,
            functions=frozenset(s.functions),
            data_models=frozenset(s.data_models),
            theme_ids=frozenset(t.pk for t in s.themes.all()),
            deployments=deployed.get(s.pk, []),
        )
        for s in candidates
    ]
    by_id = {s.pk: s for s in candidates}
    labels = dict(Function.choices)
    return [
        {"solution": by_id[m.solution_id], "reasons": [reason_words(r, labels) for r in m.reasons]}
        for m in matching.match(need, offers)
    ]
