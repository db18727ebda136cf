"""The roadmaps URLs in the permission matrix.

Every write is tried with an empty POST: those allowed get the page again with the form's
errors (200) or, where an empty form is a valid one, the redirect after the write (302);
the others get what the page's rules say (403, 404, or the sign-in for the anonymous).
"""

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
    Kwargs,
    Routes,
)


def _redirected(expected: dict[str, int]) -> dict[str, int]:
    """The same, with the allowed personas redirected after a write an empty form makes."""
    return {persona: REDIRECT if status == OK else status for persona, status in expected.items()}


def _only(*allowed: str, status: int) -> dict[str, int]:
    """Those who see city A get 403, except ``allowed``, who get ``status``."""
    return {**{k: FORBIDDEN if v == OK else v for k, v in CITY_A_READ.items()}, **dict.fromkeys(allowed, status)}


CYCLE_1: Kwargs = lambda c: {**CITY_A(c), "number": 1}  # noqa: E731
ACTION: Kwargs = lambda c: {"pk": c.roadmap.owned.pk}  # noqa: E731
KPI: Kwargs = lambda c: {"pk": c.roadmap.kpi.pk}  # noqa: E731
SOLUTION: Kwargs = lambda c: {**CITY_A(c), "solution_pk": c.roadmap.solution.pk}  # noqa: E731
OPPORTUNITY: Kwargs = lambda c: {**CITY_A(c), "opportunity_pk": c.roadmap.opportunity.pk}  # noqa: E731
NEW_IN_CITY_A: Kwargs = lambda c: {"city_pk": c.city_a.pk}  # noqa: E731

# The lead expert and the programme team comment on the strategy; others who see it may not.
COMMENTERS = _only("organiser", "lead_expert", status=OK)
# The stakeholder's organisation owns this action: they open it and report on it, but may not edit it.
ACTION_READ = {**CITY_A_READ, "stakeholder": OK}
ACTION_WRITE = {**CITY_A_WRITE, "stakeholder": FORBIDDEN}
REPORTERS = {**CITY_A_WRITE, "stakeholder": OK}
MAYOR_ONLY = _only("mayor_a", status=REDIRECT)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "roadmaps:strategy": ("get", CITY_A, CITY_A_READ),
    "roadmaps:strategy_save": ("post", CITY_A, CITY_A_WRITE),
    "roadmaps:strategy_version": ("get", lambda c: {**CITY_A(c), "number": 1}, CITY_A_READ),
    "roadmaps:strategy_comment": ("post", lambda c: {**CITY_A(c), "number": 1}, COMMENTERS),
    "roadmaps:solutions": ("get", CITY_A, CITY_A_READ),
    "roadmaps:solution_add": ("post", CITY_A, CITY_A_WRITE),
    "roadmaps:solutions_from_assessment": ("post", CITY_A, _redirected(CITY_A_WRITE)),
    "roadmaps:solution_edit": [("get", SOLUTION, CITY_A_READ), ("post", SOLUTION, CITY_A_WRITE)],
    "roadmaps:roadmap": ("get", CITY_A, CITY_A_READ),
    "roadmaps:roadmap_export": ("get", lambda c: {**CITY_A(c), "fmt": "xlsx"}, CITY_A_READ),
    "roadmaps:opportunity_new": [("get", CITY_A, CITY_A_WRITE), ("post", CITY_A, CITY_A_WRITE)],
    "roadmaps:opportunity_edit": [("get", OPPORTUNITY, CITY_A_WRITE), ("post", OPPORTUNITY, CITY_A_WRITE)],
    "roadmaps:action_new": [("get", NEW_IN_CITY_A, CITY_A_WRITE), ("post", NEW_IN_CITY_A, CITY_A_WRITE)],
    "roadmaps:action": ("get", ACTION, ACTION_READ),
    "roadmaps:action_report": ("post", ACTION, REPORTERS),
    "roadmaps:action_edit": [("get", ACTION, ACTION_WRITE), ("post", ACTION, ACTION_WRITE)],
    "roadmaps:mine": ("get", lambda c: {}, SIGNED_IN),
    "roadmaps:kpis": ("get", CITY_A, CITY_A_READ),
    "roadmaps:kpi_export": ("get", lambda c: {**CITY_A(c), "fmt": "jsonld"}, CITY_A_READ),
    "roadmaps:kpi_new": [("get", NEW_IN_CITY_A, CITY_A_WRITE), ("post", NEW_IN_CITY_A, CITY_A_WRITE)],
    "roadmaps:kpi": ("get", KPI, CITY_A_READ),
    "roadmaps:kpi_measure": ("post", KPI, CITY_A_WRITE),
    "roadmaps:kpi_edit": [("get", KPI, CITY_A_WRITE), ("post", KPI, CITY_A_WRITE)],
    "roadmaps:programme_kpis": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "roadmaps:cycle": ("get", CYCLE_1, CITY_A_READ),
    # An empty ranking is a valid one (no opportunity ranked), and so is a plan kept without a review.
    "roadmaps:cycle_rank": ("post", CYCLE_1, _redirected(CITY_A_WRITE)),
    "roadmaps:cycle_reallocate": ("post", CYCLE_1, CITY_A_WRITE),
    "roadmaps:cycle_confirm": ("post", CYCLE_1, _redirected(CITY_A_WRITE)),
    "roadmaps:sign_off": ("post", CYCLE_1, MAYOR_ONLY),
    "roadmaps:chain": ("get", CITY_A, CITY_A_READ),
}
