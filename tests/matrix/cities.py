"""The cities URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    CITY_A_READ,
    CITY_A_WRITE,
    PROGRAMME,
    REDIRECT,
    TEAM_ONLY,
    Routes,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "cities:detail": ("get", lambda c: {"pk": c.city_a.pk}, CITY_A_READ),
    "cities:edit": ("get", lambda c: {"pk": c.city_a.pk}, CITY_A_WRITE),
    "cities:organisation_create": ("get", lambda c: {"pk": c.city_a.pk}, CITY_A_WRITE),
    "cities:organisation_edit": ("get", lambda c: {"pk": c.organisation_a.pk}, CITY_A_WRITE),
    "cities:create": ("get", PROGRAMME, TEAM_ONLY),
    "cities:people": ("get", PROGRAMME, TEAM_ONLY),
    "cities:person_invite": ("get", PROGRAMME, TEAM_ONLY),
    "cities:person": ("get", lambda c: {**PROGRAMME(c), "pk": c.people["rep_a"].pk}, TEAM_ONLY),  # type: ignore[union-attr]
    "cities:role_remove": (
        "post",
        lambda c: {**PROGRAMME(c), "pk": c.people["rep_b"].roles.get().pk},  # type: ignore[union-attr]
        {**TEAM_ONLY, "organiser": REDIRECT},
    ),
    "cities:import": ("get", PROGRAMME, TEAM_ONLY),
}
