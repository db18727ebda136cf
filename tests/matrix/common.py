"""What the permission matrix expects, in words shared by every app's table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import PERSONAS

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def membership(*, team: int, members: int, stakeholder: int) -> dict[str, int]:
    return {
        "organiser": team,
        "lead_expert": members,
        "thematic_expert": members,
        "transversal_expert": members,
        "rep_a": members,
        "rep_b": members,
        "mayor_a": members,
        "mentor": members,
        "stakeholder": stakeholder,
        "outsider": NOT_FOUND,
        "anonymous": REDIRECT,
    }


CITY_A_READ = {
    "organiser": OK,
    "lead_expert": OK,
    "thematic_expert": OK,
    "transversal_expert": OK,
    "rep_a": OK,
    "rep_b": NOT_FOUND,
    "mayor_a": OK,
    "mentor": NOT_FOUND,
    "stakeholder": NOT_FOUND,
    "outsider": NOT_FOUND,
    "anonymous": REDIRECT,
}
CITY_A_WRITE = {**CITY_A_READ, "thematic_expert": FORBIDDEN, "transversal_expert": FORBIDDEN, "mayor_a": FORBIDDEN}
# The programme's pages are secret to those who may not open its overview (outsiders and
# ecosystem stakeholders: 404); its other members get 403 on the programme team's pages.
TEAM_ONLY = membership(team=OK, members=FORBIDDEN, stakeholder=NOT_FOUND)
PROGRAMME_MEMBERS = membership(team=OK, members=OK, stakeholder=NOT_FOUND)
SIGNED_IN_REDIRECTED = {**everyone(REDIRECT), "anonymous": OK}

Kwargs = Callable[[Any], dict[str, Any]]
PROGRAMME: Kwargs = lambda c: {"slug": c.programme.slug}  # noqa: E731
CITY_A: Kwargs = lambda c: {"pk": c.city_a.pk}  # noqa: E731
SIGNED_IN = {**everyone(OK), "anonymous": REDIRECT}
# A TAG of city A and city B led by the mentor city, on city A's theme.
TAG_MEMBERS = {**membership(team=OK, members=OK, stakeholder=NOT_FOUND), "transversal_expert": NOT_FOUND}
FOLLOW_UP_CLOSERS = {
    **CITY_A_WRITE,
    "organiser": REDIRECT,
    "lead_expert": REDIRECT,
    "rep_a": REDIRECT,
}


# One check: the HTTP method, the URL kwargs from the cast, the status each persona gets.
Check = tuple[str, Kwargs, dict[str, int]]
Routes = dict[str, Check | list[Check]]
