"""The open API's URLs in the permission matrix.

Everything is open to everyone, signed in or not, and nobody writes: each check first
publishes a solution (with its provider), a challenge and city A's marketplace profile.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import OK, Kwargs, Routes, everyone


def _published(c: Any) -> dict[str, int]:
    """A published provider and solution, city A's published challenge and profile (once)."""
    from icc.marketplace.models import Challenge, CityProfile, Provider, Review, Solution

    organiser = c.person("organiser")
    provider, _ = Provider.objects.get_or_create(
        programme=c.programme,
        name="Open API provider",
        defaults={"kind": "sme", "country": "DE", "review": Review.PUBLISHED, "created_by": organiser},
    )
    solution, _ = Solution.objects.get_or_create(
        programme=c.programme,
        provider=provider,
        name="Open API solution",
        defaults={"summary": "x", "cost_model": "free", "review": Review.PUBLISHED, "created_by": organiser},
    )
    challenge, _ = Challenge.objects.get_or_create(
        city=c.city_a,
        title="Open API challenge",
        defaults={"context": "x", "theme": c.city_a.track, "review": Review.PUBLISHED, "created_by": organiser},
    )
    CityProfile.objects.get_or_create(city=c.city_a, defaults={"review": Review.PUBLISHED, "created_by": organiser})
    return {"solution": solution.pk, "provider": provider.pk, "challenge": challenge.pk, "city": c.city_a.pk}


def _programme(c: Any) -> dict[str, Any]:
    _published(c)
    return {"slug": c.programme.slug}


PROGRAMME_API: Kwargs = _programme


def _item(kind: str) -> Kwargs:
    return lambda c: {"slug": c.programme.slug, "id": _published(c)[kind]}


NONE: Kwargs = lambda c: {}  # noqa: E731
EVERYONE = everyone(OK)

# name → (method, kwargs, expected status per persona)
ROUTES: Routes = {
    "api:api-root": ("get", NONE, EVERYONE),
    "api:openapi-json": ("get", NONE, EVERYONE),
    "api:openapi-view": ("get", NONE, EVERYONE),
    "api:solutions": ("get", PROGRAMME_API, EVERYONE),
    "api:solution": ("get", _item("solution"), EVERYONE),
    "api:providers": ("get", PROGRAMME_API, EVERYONE),
    "api:provider": ("get", _item("provider"), EVERYONE),
    "api:challenges": ("get", PROGRAMME_API, EVERYONE),
    "api:challenge": ("get", _item("challenge"), EVERYONE),
    "api:cities": ("get", PROGRAMME_API, EVERYONE),
    "api:city": ("get", _item("city"), EVERYONE),
}
