"""The open data URLs in the permission matrix.

Each check sets up, once, version 1 of the programme's charter (published, the ICC
charter's shared core) and a draft of version 2 with its principles. The charter is read
by everyone who opens the programme and changed by its programme team (403 for the others
taking part); a city's checklist is read by those who see the city and changed by those
who edit it.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A_READ,
    CITY_A_WRITE,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
)

BAD_FORM = 400


def _charter(c: Any) -> dict[str, Any]:
    existing = getattr(c, "opendata_matrix", None)
    if existing is not None:
        return existing
    from icc.opendata import actions

    organiser = c.person("organiser")
    first = actions.start_draft(programme=c.programme, by=organiser)
    actions.publish(charter=first, by=organiser)
    draft = actions.start_draft(programme=c.programme, by=organiser)
    c.opendata_matrix = {"principle": draft.principles.first()}
    return c.opendata_matrix


CHARTER: Kwargs = lambda c: (_charter(c), PROGRAMME(c))[1]  # noqa: E731
PRINCIPLE: Kwargs = lambda c: {"pk": _charter(c)["principle"].pk}  # noqa: E731
CITY_A: Kwargs = lambda c: (_charter(c), {"pk": c.city_a.pk})[1]  # noqa: E731


def _as(status: int, table: dict[str, int]) -> dict[str, int]:
    return {p: status if s == OK else s for p, s in table.items()}


ROUTES: Routes = {
    "opendata:charter": ("get", CHARTER, PROGRAMME_MEMBERS),
    # A draft is open already: the programme team is told so on the charter's page.
    "opendata:draft_start": ("post", CHARTER, _as(REDIRECT, TEAM_ONLY)),
    "opendata:draft_edit": [("get", CHARTER, TEAM_ONLY), ("post", CHARTER, _as(BAD_FORM, TEAM_ONLY))],
    "opendata:principle_new": [("get", CHARTER, TEAM_ONLY), ("post", CHARTER, _as(BAD_FORM, TEAM_ONLY))],
    "opendata:publish": ("post", CHARTER, _as(REDIRECT, TEAM_ONLY)),
    "opendata:principle_edit": [("get", PRINCIPLE, TEAM_ONLY), ("post", PRINCIPLE, _as(BAD_FORM, TEAM_ONLY))],
    "opendata:principle_remove": ("post", PRINCIPLE, _as(REDIRECT, TEAM_ONLY)),
    "opendata:checklist": ("get", CITY_A, CITY_A_READ),
    "opendata:checklist_edit": [("get", CITY_A, CITY_A_WRITE), ("post", CITY_A, _as(BAD_FORM, CITY_A_WRITE))],
}
