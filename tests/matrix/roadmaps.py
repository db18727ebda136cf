"""The roadmaps URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    CITY_A_WRITE,
    FORBIDDEN,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    SIGNED_IN,
    Routes,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "roadmaps:strategy": ("get", CITY_A, CITY_A_READ),
    "roadmaps:strategy_version": ("get", lambda c: {**CITY_A(c), "number": 1}, CITY_A_READ),
    "roadmaps:solutions": ("get", CITY_A, CITY_A_READ),
    "roadmaps:solution_edit": ("get", lambda c: {**CITY_A(c), "solution_pk": c.roadmap.solution.pk}, CITY_A_READ),
    "roadmaps:roadmap": ("get", CITY_A, CITY_A_READ),
    "roadmaps:roadmap_export": ("get", lambda c: {**CITY_A(c), "fmt": "xlsx"}, CITY_A_READ),
    "roadmaps:opportunity_new": ("get", CITY_A, CITY_A_WRITE),
    "roadmaps:opportunity_edit": (
        "get",
        lambda c: {**CITY_A(c), "opportunity_pk": c.roadmap.opportunity.pk},
        CITY_A_WRITE,
    ),
    "roadmaps:action_new": ("get", lambda c: {"city_pk": c.city_a.pk}, CITY_A_WRITE),
    # The stakeholder's organisation owns this action: they open it, but may not edit it.
    "roadmaps:action": ("get", lambda c: {"pk": c.roadmap.owned.pk}, {**CITY_A_READ, "stakeholder": OK}),
    "roadmaps:action_edit": ("get", lambda c: {"pk": c.roadmap.owned.pk}, {**CITY_A_WRITE, "stakeholder": FORBIDDEN}),
    "roadmaps:mine": ("get", lambda c: {}, SIGNED_IN),
    "roadmaps:kpis": ("get", CITY_A, CITY_A_READ),
    "roadmaps:kpi_export": ("get", lambda c: {**CITY_A(c), "fmt": "jsonld"}, CITY_A_READ),
    "roadmaps:kpi_new": ("get", lambda c: {"city_pk": c.city_a.pk}, CITY_A_WRITE),
    "roadmaps:kpi": ("get", lambda c: {"pk": c.roadmap.kpi.pk}, CITY_A_READ),
    "roadmaps:kpi_edit": ("get", lambda c: {"pk": c.roadmap.kpi.pk}, CITY_A_WRITE),
    "roadmaps:cycle": ("get", lambda c: {**CITY_A(c), "number": 1}, CITY_A_READ),
    "roadmaps:sign_off": (
        "post",
        lambda c: {**CITY_A(c), "number": 1},
        {**{k: FORBIDDEN if v == OK else v for k, v in CITY_A_READ.items()}, "mayor_a": REDIRECT},
    ),
    "roadmaps:chain": ("get", CITY_A, CITY_A_READ),
    "roadmaps:programme_kpis": ("get", PROGRAMME, PROGRAMME_MEMBERS),
}
