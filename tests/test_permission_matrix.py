"""Every URL pattern × every persona → the status code that persona must get.

The test enumerates the URL patterns of the project, so a view added later without an
entry here fails the suite instead of slipping through unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import PERSONAS, Cast, JourneyCast

# Django's own admin checks staff status itself and is left out of the matrix.
EXCLUDED_NAMESPACES = {"admin"}

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)


def _members(*, team: int, members: int, stakeholder: int) -> dict[str, int]:
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
TEAM_ONLY = _members(team=OK, members=FORBIDDEN, stakeholder=NOT_FOUND)
PROGRAMME_MEMBERS = _members(team=OK, members=OK, stakeholder=NOT_FOUND)
SIGNED_IN_REDIRECTED = {**_everyone(REDIRECT), "anonymous": OK}

Kwargs = Callable[[Any], dict[str, Any]]
PROGRAMME: Kwargs = lambda c: {"slug": c.programme.slug}  # noqa: E731
CITY_A: Kwargs = lambda c: {"pk": c.city_a.pk}  # noqa: E731
SIGNED_IN = {**_everyone(OK), "anonymous": REDIRECT}
# A TAG of city A and city B led by the mentor city, on city A's theme.
TAG_MEMBERS = {**_members(team=OK, members=OK, stakeholder=NOT_FOUND), "transversal_expert": NOT_FOUND}
FOLLOW_UP_CLOSERS = {
    **CITY_A_WRITE,
    "organiser": REDIRECT,
    "lead_expert": REDIRECT,
    "rep_a": REDIRECT,
}

# name → (method, kwargs, expected status per persona)
MATRIX: dict[str, tuple[str, Kwargs, dict[str, int]]] = {
    "core:home": ("get", lambda c: {}, _everyone(OK)),
    "core:health": ("get", lambda c: {}, _everyone(OK)),
    "accounts:login": ("get", lambda c: {}, SIGNED_IN_REDIRECTED),
    "accounts:logout": ("post", lambda c: {}, _everyone(REDIRECT)),
    "accounts:password_reset": ("get", lambda c: {}, _everyone(OK)),
    "accounts:password_reset_done": ("get", lambda c: {}, _everyone(OK)),
    "accounts:password_reset_confirm": ("get", lambda c: {"uidb64": "MQ", "token": "bad-token"}, _everyone(OK)),
    "accounts:password_reset_complete": ("get", lambda c: {}, _everyone(OK)),
    "accounts:accept_invitation": ("get", lambda c: {"token": "guessed"}, _everyone(NOT_FOUND)),
    "set_language": ("post", lambda c: {}, _everyone(REDIRECT)),
    "programmes:overview": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "programmes:calendar_setup": ("get", PROGRAMME, TEAM_ONLY),
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
    "journey:city": ("get", CITY_A, CITY_A_READ),
    "journey:deliverables": ("get", CITY_A, CITY_A_READ),
    "journey:achievements": ("get", CITY_A, CITY_A_READ),
    "journey:milestone": ("get", lambda c: {**CITY_A(c), "milestone_pk": c.journey.milestone.pk}, CITY_A_READ),
    "journey:event": ("get", lambda c: {"pk": c.journey.event_a.pk}, CITY_A_READ),
    "journey:follow_up_done": ("post", lambda c: {"pk": c.journey.follow_up_a.pk}, FOLLOW_UP_CLOSERS),
    "journey:download": ("get", lambda c: {"pk": c.journey.submission_a.pk}, CITY_A_READ),
    "journey:programme_events": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "journey:cohort": ("get", PROGRAMME, TEAM_ONLY),
    "journey:generate": ("post", PROGRAMME, {**TEAM_ONLY, "organiser": REDIRECT}),
    "journey:event_types": ("get", PROGRAMME, TEAM_ONLY),
    "journey:event_type_edit": ("get", lambda c: {**PROGRAMME(c), "pk": c.journey.event_a.event_type_id}, TEAM_ONLY),
    "assessments:city": ("get", CITY_A, CITY_A_READ),
    "assessments:response": (
        "get",
        lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id, "round": "baseline"},
        CITY_A_READ,
    ),
    "assessments:survey_manage": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:survey": ("get", lambda c: {"kind": "i", "token": "guessed"}, _everyone(NOT_FOUND)),
    "assessments:indicators": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:workbook": ("get", lambda c: {**CITY_A(c), "round": "baseline"}, CITY_A_READ),
    "assessments:instruments": ("get", PROGRAMME, TEAM_ONLY),
    "assessments:question_edit": (
        "get",
        lambda c: {**PROGRAMME(c), "pk": c.assessment.instrument.sections.first().questions.first().pk},
        TEAM_ONLY,
    ),
    "assessments:peers": ("get", CITY_A, CITY_A_READ),
    "assessments:compare": ("get", lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id}, CITY_A_READ),
    "assessments:result": (
        "get",
        lambda c: {**CITY_A(c), "instrument_pk": c.assessment.instrument_id, "round": "baseline"},
        CITY_A_READ,
    ),
    "journey:calendars": ("get", lambda c: {}, SIGNED_IN),
    "journey:feed": ("get", lambda c: {"token": "guessed-token"}, _everyone(NOT_FOUND)),
    "journey:preferences": ("get", lambda c: {}, SIGNED_IN),
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
    "tags:tags": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:formation": ("get", PROGRAMME, TEAM_ONLY),
    "tags:run": ("get", lambda c: {**PROGRAMME(c), "pk": c.tags.run.pk}, TEAM_ONLY),
    "tags:preferences": ("get", CITY_A, CITY_A_READ),
    "tags:tag": ("get", lambda c: {"pk": c.tags.tag.pk}, TAG_MEMBERS),
    "tags:session": ("get", lambda c: {"pk": c.tags.session.pk}, TAG_MEMBERS),
    "tags:labs": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "tags:lab": ("get", lambda c: {"pk": c.tags.lab.pk}, PROGRAMME_MEMBERS),
    "tags:brain_date": (
        "get",
        lambda c: {"pk": c.tags.brain_date.pk},
        PROGRAMME_MEMBERS,
    ),
    "tags:awards": ("get", PROGRAMME, PROGRAMME_MEMBERS),
}


def _names(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _names(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


def test_every_url_pattern_is_in_the_matrix():
    names = set(_names(get_resolver()))
    assert names - MATRIX.keys() == set(), "add these views to the permission matrix"
    assert MATRIX.keys() - names == set(), "these matrix entries name no view"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_status(request: pytest.FixtureRequest, cast: Cast, name: str, persona: str) -> None:
    from django.urls import reverse

    if name.startswith("assessments:"):
        cast.assessment = request.getfixturevalue("assessment")  # type: ignore[attr-defined]
    if name.startswith("journey:"):
        journey: JourneyCast = request.getfixturevalue("journey")
        cast.journey = journey  # type: ignore[attr-defined]
    if name.startswith("tags:"):
        cast.tags = request.getfixturevalue("tags")  # type: ignore[attr-defined]
    if name.startswith("roadmaps:"):
        cast.roadmap = request.getfixturevalue("roadmap")  # type: ignore[attr-defined]
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(cast))
    response = getattr(cast.client_for(persona), method)(url)
    assert response.status_code == expected[persona], f"{persona} {method.upper()} {url}"
