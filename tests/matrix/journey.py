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


def _call(c: Any, index: int = 0) -> Any:
    from icc.journey.models import ECOSYSTEM_CALL, Event

    return Event.objects.filter(city=c.city_a, event_type__key=ECOSYSTEM_CALL).order_by("starts_at")[index]


def _agreement(c: Any) -> Any:
    from icc.journey.models import Agreement

    call = _call(c)
    return Agreement.objects.create(
        event=call, city=c.city_a, text="Share the mobility data", recorded_by=c.people["rep_a"]
    )


def _agenda_item(c: Any) -> dict[str, Any]:
    from icc.journey.models import AgendaItem

    return {"pk": AgendaItem.objects.create(event=_call(c), position=1, title="Tour de table").pk}


def _review(c: Any) -> dict[str, Any]:
    agreement = _agreement(c)
    return {"pk": _call(c, 1).pk, "agreement_pk": agreement.pk}


def _visit(c: Any) -> dict[str, Any]:
    """A visit of city A by the transversal expert (of the edition's first service)."""
    import datetime as dt

    from icc.journey.actions import add_city_event, visit_event_type
    from icc.journey.models import ExpertVisit

    event_type = visit_event_type(c.programme)
    assert event_type is not None, "the journey template has the visits' event type"
    day = c.programme.phases.get(key="implementation").starts_on + dt.timedelta(days=30)
    event = add_city_event(city=c.city_a, event_type=event_type, day=day, by=c.people["rep_a"])
    visit = ExpertVisit.objects.create(
        city=c.city_a,
        event=event,
        slot=1,
        service=c.programme.services.first(),
        expert=c.people["transversal_expert"],
        purpose="Check the funding plan of the heat network",
        booked_by=c.people["rep_a"],
    )
    return {"pk": visit.pk}


EVENT_A: Kwargs = lambda c: {"pk": c.journey.event_a.pk}  # noqa: E731
CALL_A: Kwargs = lambda c: {"pk": _call(c).pk}  # noqa: E731
AGREEMENT: Kwargs = lambda c: {"pk": _agreement(c).pk}  # noqa: E731
MILESTONE: Kwargs = lambda c: {**CITY_A(c), "milestone_pk": c.journey.milestone.pk}  # noqa: E731
EVENT_TYPE: Kwargs = lambda c: {**PROGRAMME(c), "pk": c.journey.event_a.event_type_id}  # noqa: E731
NO_KWARGS: Kwargs = lambda c: {}  # noqa: E731

# A visit's report is written by the city's team or by the expert who made the visit.
VISIT_REPORTERS = {**CITY_A_WRITE, "transversal_expert": OK}

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
    "journey:agenda_add": ("post", CALL_A, CITY_A_WRITE),
    "journey:agenda_illustrative": ("post", CALL_A, _redirected(CITY_A_WRITE)),
    "journey:agenda_move": ("post", _agenda_item, _redirected(CITY_A_WRITE)),
    "journey:agenda_remove": ("post", _agenda_item, _redirected(CITY_A_WRITE)),
    "journey:agreement_add": ("post", CALL_A, CITY_A_WRITE),
    "journey:agreement": ("get", AGREEMENT, CITY_A_READ),
    "journey:agreement_convert": ("post", AGREEMENT, CITY_A_WRITE),
    "journey:agreement_review": ("post", _review, _redirected(CITY_A_WRITE)),
    "journey:visits": ("get", CITY_A, CITY_A_READ),
    "journey:visit_book": ("post", CITY_A, CITY_A_WRITE),
    "journey:visit_cancel": ("post", _visit, _redirected(CITY_A_WRITE)),
    "journey:visit_report": ("post", _visit, VISIT_REPORTERS),
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
