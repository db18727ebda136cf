"""The access to finance URLs in the permission matrix.

Each check sets up, once, a call in the edition's catalogue, an action of city A with a
budget and an application to the call, and a saved search of city A's representative.
The catalogue is for everyone taking part (PROGRAMME_MEMBERS), kept by the programme team
and the transversal expert; city A's funding is seen by those who open city A and written
by those who edit it; a saved search is its person's own (404 for everyone else).
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A_READ,
    CITY_A_WRITE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TEAM_ONLY,
    Kwargs,
    Routes,
    everyone,
)

BAD_FORM = 400


def _finance(c: Any) -> dict[str, Any]:
    existing = getattr(c, "finance_matrix", None)
    if existing is not None:
        return existing
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from icc.finance.models import Application, Call, SavedSearch
    from icc.roadmaps.models import Action, Opportunity

    today = timezone.localdate()
    call = Call.objects.create(
        programme=c.programme,
        identifier="LIFE-2027-CET-LOCAL",
        funding_programme="LIFE",
        title="Local clean energy transition",
        opens_on=today - dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=60),
        co_funding_rate=95,
        max_amount=Decimal(1_500_000),
    )
    call.themes.add(c.city_a.track)
    opportunity = Opportunity.objects.create(city=c.city_a, title="Warm schools", need="Cold classrooms")
    action = Action.objects.create(
        city=c.city_a,
        opportunity=opportunity,
        title="Retrofit three schools",
        starts_on=today,
        ends_on=today + dt.timedelta(days=400),
        budget=Decimal(900_000),
    )
    application = Application.objects.create(
        city=c.city_a, action=action, call=call, amount_requested=Decimal(400_000), applied_on=today
    )
    search = SavedSearch.objects.create(person=c.person("rep_a"), programme=c.programme, name="Energy", alerts=True)
    c.finance_matrix = {"call": call, "action": action, "application": application, "search": search}
    return c.finance_matrix


CALL: Kwargs = lambda c: {"pk": _finance(c)["call"].pk}  # noqa: E731
ACTION: Kwargs = lambda c: {"pk": _finance(c)["action"].pk}  # noqa: E731
APPLICATION: Kwargs = lambda c: {"pk": _finance(c)["application"].pk}  # noqa: E731
SEARCH: Kwargs = lambda c: {"pk": _finance(c)["search"].pk}  # noqa: E731
CITY_A: Kwargs = lambda c: (_finance(c), {"pk": c.city_a.pk})[1]  # noqa: E731


def _as(status: int, table: dict[str, int]) -> dict[str, int]:
    return {p: status if s == OK else s for p, s in table.items()}


# The catalogue's keepers: the programme team and the transversal expert.
KEEPERS = {**_as(FORBIDDEN, PROGRAMME_MEMBERS), "organiser": OK, "transversal_expert": OK}
# Saving a search: everyone taking part (an empty one goes back to the catalogue with the reason).
SAVERS = _as(REDIRECT, PROGRAMME_MEMBERS)
# City A's representative's own saved search.
OWNER = {**everyone(NOT_FOUND), "rep_a": REDIRECT, "anonymous": REDIRECT}

ROUTES: Routes = {
    "finance:catalogue": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "finance:call": ("get", CALL, PROGRAMME_MEMBERS),
    "finance:call_add": [("get", PROGRAMME, KEEPERS), ("post", PROGRAMME, _as(BAD_FORM, KEEPERS))],
    "finance:import": [("get", PROGRAMME, KEEPERS), ("post", PROGRAMME, _as(BAD_FORM, KEEPERS))],
    "finance:call_edit": [("get", CALL, KEEPERS), ("post", CALL, _as(BAD_FORM, KEEPERS))],
    "finance:call_remove": ("post", CALL, _as(REDIRECT, KEEPERS)),
    "finance:searches": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "finance:search_save": ("post", PROGRAMME, SAVERS),
    "finance:search_alerts": ("post", SEARCH, OWNER),
    "finance:search_remove": ("post", SEARCH, OWNER),
    "finance:statistics": ("get", PROGRAMME, TEAM_ONLY),
    "finance:matches": ("get", CITY_A, CITY_A_READ),
    "finance:application_add": [("get", CITY_A, CITY_A_WRITE), ("post", CITY_A, _as(BAD_FORM, CITY_A_WRITE))],
    "finance:action_funding": ("get", ACTION, CITY_A_READ),
    "finance:application_edit": [
        ("get", APPLICATION, CITY_A_WRITE),
        ("post", APPLICATION, _as(BAD_FORM, CITY_A_WRITE)),
    ],
    "finance:application_remove": ("post", APPLICATION, _as(REDIRECT, CITY_A_WRITE)),
}
