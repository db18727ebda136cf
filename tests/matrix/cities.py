"""The cities URLs in the permission matrix.

A page that also saves (a single form: GET renders, POST saves) lists a POST check: an
empty POST is the form again with its errors (200) for whoever may save it.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A_READ,
    CITY_A_WRITE,
    PROGRAMME,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
)

CITY: Kwargs = lambda c: {"pk": c.city_a.pk}  # noqa: E731
ORGANISATION: Kwargs = lambda c: {"pk": c.organisation_a.pk}  # noqa: E731


def _person(c: Any) -> dict[str, Any]:
    return {**PROGRAMME(c), "pk": c.people["rep_a"].pk}


# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "cities:detail": ("get", CITY, CITY_A_READ),
    "cities:edit": [("get", CITY, CITY_A_WRITE), ("post", CITY, CITY_A_WRITE)],
    "cities:organisation_create": [("get", CITY, CITY_A_WRITE), ("post", CITY, CITY_A_WRITE)],
    "cities:organisation_edit": [("get", ORGANISATION, CITY_A_WRITE), ("post", ORGANISATION, CITY_A_WRITE)],
    "cities:create": [("get", PROGRAMME, TEAM_ONLY), ("post", PROGRAMME, TEAM_ONLY)],
    "cities:people": ("get", PROGRAMME, TEAM_ONLY),
    "cities:person_invite": [("get", PROGRAMME, TEAM_ONLY), ("post", PROGRAMME, TEAM_ONLY)],
    "cities:person": ("get", _person, TEAM_ONLY),
    "cities:person_update": ("post", _person, TEAM_ONLY),
    "cities:role_add": ("post", _person, TEAM_ONLY),
    "cities:invitation_resend": ("post", _person, {**TEAM_ONLY, "organiser": REDIRECT}),
    "cities:role_remove": (
        "post",
        lambda c: {**PROGRAMME(c), "pk": c.people["rep_b"].roles.get().pk},
        {**TEAM_ONLY, "organiser": REDIRECT},
    ),
    "cities:import": [("get", PROGRAMME, TEAM_ONLY), ("post", PROGRAMME, TEAM_ONLY)],
}
