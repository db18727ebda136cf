"""Ecosystem calls: agenda, stakeholder attendance, agreements that become actions or
follow-ups of the call's city only, and their review at the next call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.cities.models import Organisation, Sector
from icc.journey import actions
from icc.journey.models import (
    ECOSYSTEM_CALL,
    AgendaItem,
    Agreement,
    AgreementStatus,
    Event,
    FollowUp,
)
from icc.roadmaps.models import Action, Opportunity

NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
DUE = "2026-12-15"

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def calls(journey: Any) -> Any:
    """City A's ecosystem calls around now: ``before`` the last one held, then the next ones."""
    cast = journey.cast
    all_calls = list(Event.objects.filter(city=cast.city_a, event_type__key=ECOSYSTEM_CALL).order_by("starts_at"))
    index = max(i for i, call in enumerate(all_calls) if call.starts_at < NOW)
    cast.before, cast.next, cast.after = all_calls[index], all_calls[index + 1], all_calls[index + 2]
    cast.fourth = all_calls[index + 3]
    cast.earlier = all_calls[index - 1]
    cast.opportunity = Opportunity.objects.create(city=cast.city_a, title="Cleaner air", need="Traffic fumes")
    cast.opportunity_b = Opportunity.objects.create(city=cast.city_b, title="Better buses", need="Slow lines")
    cast.org_b = Organisation.objects.create(city=cast.city_b, name="Betatown Chamber", sector=Sector.INNOVATION_HUB)
    return cast


def _add(cast: Any, call: Event, persona: str = "rep_a", **data: Any) -> Any:
    url = reverse("journey:agreement_add", kwargs={"pk": call.pk})
    return cast.client_for(persona).post(url, {"text": "Open the air-quality data", **data})


def test_the_illustrative_agenda_is_copied_with_its_minutes_then_reordered_and_trimmed(calls: Any) -> None:
    client, call = calls.client_for("rep_a"), calls.next
    client.post(reverse("journey:agenda_illustrative", kwargs={"pk": call.pk}))
    items = list(call.agenda_items.all())
    assert [i.duration_minutes for i in items] == [5, 5, 40, 10]
    assert items[0].title == "Agenda and objectives set by the city representative"

    client.post(reverse("journey:agenda_move", kwargs={"pk": items[1].pk}), {"direction": "up"})
    client.post(reverse("journey:agenda_remove", kwargs={"pk": items[3].pk}))
    client.post(
        reverse("journey:agenda_add", kwargs={"pk": call.pk}), {"title": "Funding round-up", "duration_minutes": 10}
    )

    titles = list(AgendaItem.objects.filter(event=call).values_list("title", "position"))
    assert titles == [(items[1].title, 1), (items[0].title, 2), (items[2].title, 3), ("Funding round-up", 4)]
    page = client.get(call.get_absolute_url())
    assert "Funding round-up" in page.content.decode()


def test_an_agenda_item_over_its_length_is_refused_and_nothing_saved(calls: Any) -> None:
    response = calls.client_for("rep_a").post(
        reverse("journey:agenda_add", kwargs={"pk": calls.next.pk}), {"title": "x" * 201}
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_agreement_becomes_a_roadmap_action_of_the_city_in_one_step(calls: Any) -> None:
    response = _add(
        calls,
        calls.before,
        organisation=calls.organisation_a.pk,
        becomes="action",
        owner=f"organisation-{calls.organisation_a.pk}",
        due_on=DUE,
        opportunity=calls.opportunity.pk,
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    action = agreement.action
    assert action is not None and action.city == calls.city_a and action.opportunity == calls.opportunity
    assert action.owner_organisation == calls.organisation_a and action.ends_on == dt.date(2026, 12, 15)
    assert action.title == "Open the air-quality data"
    page = calls.client_for("rep_a").get(calls.before.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page


def test_an_agreement_becomes_a_follow_up_of_the_call(calls: Any) -> None:
    rep = calls.person("rep_a")
    assert _add(calls, calls.before, becomes="follow-up", owner=f"person-{rep.pk}", due_on=DUE).status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.follow_up is not None
    assert (agreement.follow_up.owner, agreement.follow_up.event, agreement.follow_up.city) == (
        rep,
        calls.before,
        calls.city_a,
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("opportunity", "opportunity_b", "That opportunity is not one of Alphaville"),
        ("owner", "rep_b", "The owner must be one of the people or organisations of Alphaville"),
        ("owner", "org_b", "The owner must be one of the people or organisations of Alphaville"),
        ("organisation", "org_b", "Choose an organisation of the ecosystem of Alphaville"),
    ],
)
def test_an_agreement_made_into_something_of_another_city_is_refused_and_nothing_saved(
    calls: Any, field: str, value: str, message: str
) -> None:
    values = {
        "opportunity_b": calls.opportunity_b.pk,
        "rep_b": f"person-{calls.person('rep_b').pk}",
        "org_b": f"organisation-{calls.org_b.pk}",
    }
    data = {
        "becomes": "action",
        "owner": f"person-{calls.person('rep_a').pk}",
        "due_on": DUE,
        "opportunity": calls.opportunity.pk,
    }
    data[field] = values[value] if field != "organisation" else calls.org_b.pk
    response = _add(calls, calls.before, **data)
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert (
        not Agreement.objects.exists()
        and not Action.objects.exists()
        and not FollowUp.objects.filter(event=calls.before).exists()
    )


def test_the_action_itself_refuses_another_citys_opportunity_or_owner(calls: Any) -> None:
    agreement = actions.record_agreement(
        event=calls.before, text="Pilot a school street", organisation=None, by=calls.person("rep_a")
    )
    with pytest.raises(ValidationError, match="belongs to another city"):
        actions.turn_agreement_into(
            agreement=agreement,
            becomes="action",
            owner_person=calls.person("rep_a"),
            due_on=dt.date(2026, 12, 15),
            opportunity=calls.opportunity_b,
            by=calls.person("rep_a"),
        )
    with pytest.raises(ValidationError, match="has no role in Alphaville"):
        actions.turn_agreement_into(
            agreement=agreement,
            becomes="follow-up",
            owner_person=calls.person("rep_b"),
            due_on=dt.date(2026, 12, 15),
            by=calls.person("rep_a"),
        )
    agreement.refresh_from_db()
    assert agreement.action is None and agreement.follow_up is None and not Action.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"becomes": "follow-up", "owner": "org", "due_on": DUE}, "A follow-up is owned by a person"),
        ({"becomes": "follow-up", "owner": "rep", "due_on": "2026-11-01"}, "The due date is in the past."),
        ({"becomes": "action", "owner": "rep", "due_on": DUE}, "Choose the opportunity of Alphaville"),
        ({"becomes": "follow-up", "due_on": DUE}, "Name who owns it"),
        ({"text": "x" * 301}, "at most 300 characters"),
    ],
)
def test_bad_agreements_get_a_clear_message_and_nothing_is_saved(calls: Any, data: dict, message: str) -> None:
    owners = {"org": f"organisation-{calls.organisation_a.pk}", "rep": f"person-{calls.person('rep_a').pk}"}
    if "owner" in data:
        data = {**data, "owner": owners[data["owner"]]}
    response = _add(calls, calls.before, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists() and not Action.objects.exists()


def test_a_cancelled_call_takes_no_agreements(calls: Any) -> None:
    Event.objects.filter(pk=calls.before.pk).update(status="cancelled")
    response = _add(calls, calls.before)
    assert "This call was cancelled" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_next_call_reviews_open_agreements_carried_over_then_done(calls: Any) -> None:
    rep = calls.person("rep_a")
    _add(calls, calls.before, becomes="follow-up", owner=f"person-{rep.pk}", due_on=DUE)
    agreement = Agreement.objects.get()
    client = calls.client_for("rep_a")
    page = client.get(calls.next.get_absolute_url())
    assert [a.pk for a in page.context["to_review"]] == [agreement.pk]
    assert page.context["to_review"][0].here == []

    client.post(
        reverse("journey:agreement_review", kwargs={"pk": calls.next.pk, "agreement_pk": agreement.pk}),
        {"outcome": "carried"},
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN
    later = client.get(calls.after.get_absolute_url()).content.decode()
    assert "carried over once" in later

    client.post(
        reverse("journey:agreement_review", kwargs={"pk": calls.after.pk, "agreement_pk": agreement.pk}),
        {"outcome": "done"},
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    assert agreement.follow_up is not None and agreement.follow_up.done_at is not None
    # Each call that reviewed it still lists it with what that call decided.
    assert [a.here[0].outcome for a in client.get(calls.after.get_absolute_url()).context["to_review"]] == ["done"]
    assert [a.here[0].outcome for a in client.get(calls.next.get_absolute_url()).context["to_review"]] == ["carried"]
    # Once done, the calls after no longer review it.
    assert client.get(calls.fourth.get_absolute_url()).context["to_review"] == []
    # The agreement's page keeps the link to what it became and the history of its reviews.
    detail = client.get(reverse("journey:agreement", kwargs={"pk": agreement.pk})).content.decode()
    assert "Became a follow-up" in detail and "Carried over" in detail


def test_a_call_cannot_review_an_agreement_of_a_later_call_or_another_city(calls: Any) -> None:
    agreement = actions.record_agreement(
        event=calls.next, text="Map the data holders", organisation=None, by=calls.person("rep_a")
    )
    client = calls.client_for("rep_a")
    url = reverse("journey:agreement_review", kwargs={"pk": calls.before.pk, "agreement_pk": agreement.pk})
    assert client.post(url, {"outcome": "done"}).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN


def test_a_later_agreement_can_still_be_turned_into_an_action(calls: Any) -> None:
    agreement = actions.record_agreement(
        event=calls.before, text="Co-fund sensors", organisation=calls.organisation_a, by=calls.person("rep_a")
    )
    client = calls.client_for("lead_expert")
    url = reverse("journey:agreement_convert", kwargs={"pk": agreement.pk})
    response = client.post(
        url,
        {
            "becomes": "action",
            "owner": f"person-{calls.person('rep_a').pk}",
            "due_on": DUE,
            "opportunity": calls.opportunity.pk,
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.action is not None and agreement.action.owner_person == calls.person("rep_a")
    again = client.post(url, {"becomes": "follow-up", "owner": f"person-{calls.person('rep_a').pk}", "due_on": DUE})
    assert again.status_code == 200 and "already became" in again.content.decode()
    assert not FollowUp.objects.filter(event=calls.before).exists()


def test_stakeholder_attendance_is_recorded_with_the_write_up(calls: Any) -> None:
    client, call = calls.client_for("rep_a"), calls.before
    page = client.get(call.get_absolute_url())
    from tests.test_stale_edits import form_data

    data = form_data(page.context["record_form"], status="held", organisations=[calls.organisation_a.pk])
    assert client.post(reverse("journey:event_record", kwargs={"pk": call.pk}), data).status_code == 302
    assert list(call.organisations.all()) == [calls.organisation_a]

    data["organisations"] = [calls.org_b.pk]
    refused = client.post(reverse("journey:event_record", kwargs={"pk": call.pk}), data)
    assert "Choose organisations of the city" in refused.content.decode()
    assert list(call.organisations.all()) == [calls.organisation_a]


def test_an_event_that_is_not_a_call_has_no_agenda_or_agreements(calls: Any) -> None:
    other = Event.objects.filter(city=calls.city_a).exclude(event_type__key=ECOSYSTEM_CALL)[0]
    client = calls.client_for("rep_a")
    assert client.post(reverse("journey:agreement_add", kwargs={"pk": other.pk}), {"text": "x"}).status_code == 404
    assert client.post(reverse("journey:agenda_add", kwargs={"pk": other.pk}), {"title": "x"}).status_code == 404


def test_readers_see_the_agreements_but_get_no_forms(calls: Any) -> None:
    actions.record_agreement(
        event=calls.before, text="Draft the data charter", organisation=None, by=calls.person("rep_a")
    )
    page = calls.client_for("mayor_a").get(calls.before.get_absolute_url())
    assert "Draft the data charter" in page.content.decode()
    assert "agreement_form" not in page.context and "agenda_form" not in page.context
    assert calls.client_for("rep_b").get(calls.before.get_absolute_url()).status_code == 404


def _fill(cast: Any, scale: int) -> None:
    organisations = [
        Organisation(city=cast.city_a, name=f"Partner {scale}-{n}", sector=Sector.INNOVATION_HUB) for n in range(scale)
    ]
    Organisation.objects.bulk_create(organisations)
    for n in range(scale):
        AgendaItem.objects.create(event=cast.next, position=n + 1, title=f"Item {scale}-{n}", duration_minutes=5)
        earlier = actions.record_agreement(
            event=cast.before,
            text=f"Earlier {scale}-{n}",
            organisation=None,
            by=cast.person("rep_a"),
            becomes="follow-up",
            owner_person=cast.person("rep_a"),
            due_on=dt.date(2026, 12, 15),
        )
        actions.review_agreement(event=cast.next, agreement=earlier, outcome="carried", by=cast.person("rep_a"))
        actions.record_agreement(
            event=cast.next,
            text=f"Now {scale}-{n}",
            organisation=cast.organisation_a,
            by=cast.person("rep_a"),
            becomes="action",
            owner_organisation=cast.organisation_a,
            due_on=dt.date(2026, 12, 15),
            opportunity=cast.opportunity,
        )
    cast.next.organisations.add(*Organisation.objects.filter(city=cast.city_a))


def _queries(cast: Any) -> int:
    client = cast.client_for("rep_a")
    client.get(cast.next.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(cast.next.get_absolute_url()).status_code == 200
    return len(captured)


def test_call_page_query_count_does_not_grow_with_its_agenda_and_agreements(calls: Any) -> None:
    _fill(calls, 1)
    few = _queries(calls)
    _fill(calls, 10)
    assert _queries(calls) <= few
