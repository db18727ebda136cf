"""The public side's URLs in the permission matrix.

A published city's pages, dashboard and open data are open to everyone, signed in or not;
the publication settings, its writes and the preview are the city's editors' and the
programme team's (CITY_A_WRITE). Each check publishes city A first (once), so that its
public addresses exist.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import CITY_A_WRITE, OK, REDIRECT, Kwargs, Routes, everyone


def _published(c: Any) -> Any:
    """City A's publication, published at /<lang>/<programme>/alphaville/."""
    from icc.public.models import Publication

    publication, _created = Publication.objects.get_or_create(
        city=c.city_a, defaults={"programme": c.programme, "slug": "alphaville", "published": True}
    )
    return publication


PROGRAMME_PUBLIC: Kwargs = lambda c: {"programme": _published(c).programme.slug}  # noqa: E731
CITY_PUBLIC: Kwargs = lambda c: {"programme": _published(c).programme.slug, "city": _published(c).slug}  # noqa: E731
MANAGED: Kwargs = lambda c: {"pk": _published(c).city_id}  # noqa: E731
EVERYONE = everyone(OK)


def _market(c: Any) -> dict[str, int]:
    """What the open API's table publishes: a solution, its provider, a challenge, city A's profile."""
    from tests.matrix.api import _published as published_market

    return published_market(c)


def _market_pages(c: Any) -> dict[str, str]:
    _market(c)
    return {"programme": c.programme.slug}


MARKET: Kwargs = _market_pages


def _market_item(kind: str) -> Kwargs:
    return lambda c: {"programme": c.programme.slug, "pk": _market(c)[kind]}


# An empty form is refused with its errors (200); publishing and unpublishing redirect.
EDITORS_REDIRECTED = {persona: REDIRECT if status == OK else status for persona, status in CITY_A_WRITE.items()}

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "public:programme": ("get", PROGRAMME_PUBLIC, EVERYONE),
    "public:city": ("get", CITY_PUBLIC, EVERYONE),
    "public:city_dashboard": ("get", CITY_PUBLIC, EVERYONE),
    "public:city_data_csv": ("get", CITY_PUBLIC, EVERYONE),
    "public:city_data_json": ("get", CITY_PUBLIC, EVERYONE),
    "public:open_data": ("get", PROGRAMME_PUBLIC, EVERYONE),
    "public:open_data_csv": ("get", PROGRAMME_PUBLIC, EVERYONE),
    "public:open_data_json": ("get", PROGRAMME_PUBLIC, EVERYONE),
    "public:open_data_dcat": ("get", PROGRAMME_PUBLIC, EVERYONE),
    "public:market": ("get", MARKET, EVERYONE),
    "public:market_solution": ("get", _market_item("solution"), EVERYONE),
    "public:market_provider": ("get", _market_item("provider"), EVERYONE),
    "public:market_challenges": ("get", MARKET, EVERYONE),
    "public:market_challenge": ("get", _market_item("challenge"), EVERYONE),
    "public:market_profile": ("get", _market_item("city"), EVERYONE),
    "public_manage:settings": ("get", MANAGED, CITY_A_WRITE),
    "public_manage:save": ("post", MANAGED, CITY_A_WRITE),
    "public_manage:publish": ("post", MANAGED, EDITORS_REDIRECTED),
    "public_manage:unpublish": ("post", MANAGED, EDITORS_REDIRECTED),
    "public_manage:preview": ("get", MANAGED, CITY_A_WRITE),
    "public_manage:preview_dashboard": ("get", MANAGED, CITY_A_WRITE),
}
