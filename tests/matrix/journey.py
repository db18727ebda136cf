"""The journey URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    FOLLOW_UP_CLOSERS,
    NOT_FOUND,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    SIGNED_IN,
    TEAM_ONLY,
    Routes,
    everyone,
)

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
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
    "journey:calendars": ("get", lambda c: {}, SIGNED_IN),
    "journey:feed": ("get", lambda c: {"token": "guessed-token"}, everyone(NOT_FOUND)),
    "journey:preferences": ("get", lambda c: {}, SIGNED_IN),
}
