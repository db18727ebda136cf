"""The journey URLs in the permission matrix.

Every write is tried with an empty POST: those allowed get the page again with the form's
errors (200) or, where an empty form is a valid one, the redirect after the write (302);
the others get what the page's rules say (403, 404, or the sign-in for the anonymous).
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A,
    CITY_A_READ,
    CITY_A_WRITE,
    FOLLOW_UP_CLOSERS,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    SIGNED_IN,
    TEAM_ONLY,
    Kwargs,
    Routes,
    everyone,
)


def _redirected(expected: dict[str, int]) -> dict[str, int]:
    """The same, with the allowed personas redirected after a write an empty form makes."""
    return {persona: REDIRECT if status == OK else status for persona, status in expected.items()}


def _only(*allowed: str, status: int) -> dict[str, int]:
    """Those who see city A get 403, except ``allowed``, who get ``status``."""
    return {**{k: FORBIDDEN if v == OK else v for k, v in CITY_A_READ.items()}, **dict.fromkeys(allowed, status)}


def _item(c: Any) -> dict[str, Any]:
    from icc.journey.models import AchievementItem

    item = AchievementItem.objects.filter(phase__programme=c.programme).first()
    assert item is not None
    return {**CITY_A(c), "item_pk": item.pk}


def _feed_of_rep_a(c: Any) -> dict[str, Any]:
    from icc.journey.models import CalendarFeed

    feed, _token = CalendarFeed.issue(person=c.people["rep_a"])
    return {"pk": feed.pk}


EVENT_A: Kwargs = lambda c: {"pk": c.journey.event_a.pk}  # noqa: E731
MILESTONE: Kwargs = lambda c: {**CITY_A(c), "milestone_pk": c.journey.milestone.pk}  # noqa: E731
EVENT_TYPE: Kwargs = lambda c: {**PROGRAMME(c), "pk": c.journey.event_a.event_type_id}  # noqa: E731
NO_KWARGS: Kwargs = lambda c: {}  # noqa: E731

# Only the city's lead expert reviews its deliverables (the programme team does not).
REVIEWERS = _only("lead_expert", status=OK)
# A calendar address is its owner's alone: for anyone else it does not exist.
FEED_OWNER = {**everyone(NOT_FOUND), "rep_a": REDIRECT, "anonymous": REDIRECT}

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "journey:city": ("get", CITY_A, CITY_A_READ),
    "journey:deliverables": ("get", CITY_A, CITY_A_READ),
    "journey:achievements": ("get", CITY_A, CITY_A_READ),
    "journey:achievement_tick": ("post", _item, CITY_A_WRITE),
    "journey:achievement_untick": ("post", _item, _redirected(CITY_A_WRITE)),
    "journey:milestone": ("get", MILESTONE, CITY_A_READ),
    "journey:deliverable_submit": ("post", MILESTONE, CITY_A_WRITE),
    "journey:submission_review": ("post", lambda c: {"pk": c.journey.submission_a.pk}, REVIEWERS),
    "journey:event": ("get", EVENT_A, CITY_A_READ),
    "journey:event_move": ("post", EVENT_A, CITY_A_WRITE),
    "journey:event_record": ("post", EVENT_A, CITY_A_WRITE),
    "journey:follow_up_add": ("post", EVENT_A, CITY_A_WRITE),
    "journey:follow_up_done": ("post", lambda c: {"pk": c.journey.follow_up_a.pk}, FOLLOW_UP_CLOSERS),
    "journey:download": ("get", lambda c: {"pk": c.journey.submission_a.pk}, CITY_A_READ),
    "journey:programme_events": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "journey:cohort": ("get", PROGRAMME, TEAM_ONLY),
    "journey:generate": ("post", PROGRAMME, {**TEAM_ONLY, "organiser": REDIRECT}),
    "journey:event_types": ("get", PROGRAMME, TEAM_ONLY),
    "journey:event_type_edit": [("get", EVENT_TYPE, TEAM_ONLY), ("post", EVENT_TYPE, TEAM_ONLY)],
    "journey:calendars": ("get", NO_KWARGS, SIGNED_IN),
    "journey:calendar_new": ("post", NO_KWARGS, SIGNED_IN),
    "journey:calendar_revoke": ("post", _feed_of_rep_a, FEED_OWNER),
    "journey:feed": ("get", lambda c: {"token": "guessed-token"}, everyone(NOT_FOUND)),
    "journey:preferences": [("get", NO_KWARGS, SIGNED_IN), ("post", NO_KWARGS, SIGNED_IN)],
}
