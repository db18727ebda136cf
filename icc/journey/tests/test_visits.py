"""Transversal expert visits: a credit per city (two by default) that is shown and enforced,
also when two bookings arrive at once; each visit is an event of the city's journey."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from icc.cities.models import City, RoleKind
from icc.journey import actions, feeds
from icc.journey.models import EXPERT_VISIT, CalendarFeed, Event, EventStatus, EventType, ExpertVisit, VisitStatus
from tests.factories import PersonFactory, give_role

NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
DAY = dt.date(2026, 12, 10)


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def visits(journey: Any, frozen: Any) -> Any:
    cast = journey.cast
    cast.finance = cast.programme.services.get(slug="finance")
    cast.procurement = cast.programme.services.get(slug="procurement")
    return cast


def _book(cast: Any, persona: str = "rep_a", **changes: Any) -> Any:
    data = {
        "service": cast.finance.pk,
        "expert": cast.person("transversal_expert").pk,
        "day": DAY.isoformat(),
        "purpose": "Check which EU calls can fund the heat network",
        "location": "City hall",
        **changes,
    }
    return cast.client_for(persona).post(reverse("journey:visit_book", kwargs={"pk": cast.city_a.pk}), data)


def test_a_city_books_its_two_visits_and_a_third_is_refused(visits: Any) -> None:
    assert _book(visits).status_code == 302
    assert _book(visits, day="2027-01-12").status_code == 302
    page = visits.client_for("rep_a").get(reverse("journey:visits", kwargs={"pk": visits.city_a.pk}))
    assert "2 used, 0 remaining" in page.content.decode()

    third = _book(visits, day="2027-02-09")
    assert third.status_code == 200
    assert "used all 2 of its transversal expert visits" in third.content.decode()
    assert ExpertVisit.objects.count() == 2
    assert Event.objects.filter(city=visits.city_a, event_type__key=EXPERT_VISIT).count() == 2


def test_a_booked_visit_is_an_event_of_the_city_journey_and_its_calendar(visits: Any) -> None:
    _book(visits)
    visit = ExpertVisit.objects.get()
    event = visit.event
    assert (event.city, event.event_type.key, event.status, event.edited) == (
        visits.city_a,
        EXPERT_VISIT,
        EventStatus.PLANNED,
        True,
    )
    assert event.starts_at.date() == DAY and event.phase.key == "implementation"
    schedule = visits.client_for("rep_a").get(reverse("journey:city", kwargs={"pk": visits.city_a.pk}))
    assert event.get_absolute_url() in schedule.content.decode()
    feed, _token = CalendarFeed.issue(person=visits.person("rep_a"), city=visits.city_a)
    assert event in feeds.feed_events(feed)
    assert b"Transversal expert visit: Access to finance" in feeds.render_calendar(feed)
    page = visits.client_for("lead_expert").get(event.get_absolute_url()).content.decode()
    assert "Check which EU calls can fund the heat network" in page


def test_cancelling_gives_the_credit_back_and_the_calendar_shows_it_cancelled(visits: Any) -> None:
    _book(visits)
    _book(visits, day="2027-01-12")
    first = ExpertVisit.objects.order_by("pk")[0]
    response = visits.client_for("rep_a").post(reverse("journey:visit_cancel", kwargs={"pk": first.pk}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == VisitStatus.CANCELLED and first.event.status == EventStatus.CANCELLED
    assert actions.balance_of(visits.city_a).remaining == 1
    assert _book(visits, day="2027-02-09").status_code == 302
    assert actions.balance_of(visits.city_a).remaining == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2026-11-19"}, "The visit date is in the past"),
        ({"expert": "thematic_expert"}, "not one"),
        ({"service": "procurement"}, "is not a transversal expert for Innovative public procurement"),
        ({"purpose": "x" * 2001}, "at most 2000 characters"),
        ({"day": "2030-01-01"}, "Choose a day within the edition"),
    ],
)
def test_bad_bookings_get_a_clear_message_and_nothing_is_saved(visits: Any, changes: dict, message: str) -> None:
    if changes.get("expert"):
        changes = {**changes, "expert": visits.person(changes["expert"]).pk}
    if changes.get("service"):
        changes = {**changes, "service": visits.procurement.pk}
    response = _book(visits, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExpertVisit.objects.exists()
    assert not Event.objects.filter(event_type__key=EXPERT_VISIT).exists()


def test_an_expert_who_lost_the_transversal_role_cannot_be_booked(visits: Any) -> None:
    expert = PersonFactory.create(full_name="Former Expert")
    with pytest.raises(ValidationError, match="is not a transversal expert of"):
        actions.book_visit(
            city=visits.city_a,
            service=visits.finance,
            expert=expert,
            day=DAY,
            purpose="Finance",
            by=visits.person("rep_a"),
        )


def test_the_credit_is_the_editions_setting(visits: Any) -> None:
    EventType.objects.filter(programme=visits.programme, key=EXPERT_VISIT).update(count=3)
    for day in ("2026-12-10", "2027-01-12", "2027-02-09"):
        assert _book(visits, day=day).status_code == 302
    assert "used all 3" in _book(visits, day="2027-03-09").content.decode()


def test_the_database_refuses_two_live_visits_on_one_credit(visits: Any) -> None:
    _book(visits)
    visit = ExpertVisit.objects.get()
    event = actions.add_city_event(
        city=visits.city_a, event_type=visit.event.event_type, day=DAY, by=visits.person("rep_a")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertVisit.objects.create(
            city=visits.city_a,
            event=event,
            slot=visit.slot,
            service=visits.finance,
            expert=visits.person("transversal_expert"),
            purpose="Twice",
            booked_by=visits.person("rep_a"),
        )


@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_take_the_last_credit_only_once(journey: Any, frozen: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite takes one writer at a time")
    cast = journey.cast
    finance = cast.programme.services.get(slug="finance")
    EventType.objects.filter(programme=cast.programme, key=EXPERT_VISIT).update(count=1)
    barrier, outcomes = threading.Barrier(2), []

    def book(day: dt.date) -> None:
        try:
            barrier.wait()
            actions.book_visit(
                city=City.objects.select_related("programme").get(pk=cast.city_a.pk),
                service=finance,
                expert=cast.person("transversal_expert"),
                day=day,
                purpose="Funding plan",
                by=cast.person("rep_a"),
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(DAY + dt.timedelta(days=n),)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    assert any("used its 1 transversal expert visit" in outcome for outcome in outcomes), outcomes
    assert ExpertVisit.objects.filter(city=cast.city_a).count() == 1
    assert Event.objects.filter(city=cast.city_a, event_type__key=EXPERT_VISIT).count() == 1


def test_the_report_is_written_after_the_visit_by_the_team_or_the_expert(visits: Any) -> None:
    _book(visits)
    visit = ExpertVisit.objects.get()
    url = reverse("journey:visit_report", kwargs={"pk": visit.pk})
    early = visits.client_for("transversal_expert").post(url, {"report": "Went well"})
    assert "has not taken place yet" in early.content.decode()
    with time_machine.travel(dt.datetime(2026, 12, 11, 9, tzinfo=dt.UTC), tick=False):
        response = visits.client_for("transversal_expert").post(url, {"report": "Three EU calls fit the heat network."})
        assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD and visit.event.status == EventStatus.HELD
    assert visit.reported_by == visits.person("transversal_expert")
    assert visits.person("transversal_expert") in visit.event.attendees.all()
    held = visits.client_for("rep_a").post(reverse("journey:visit_cancel", kwargs={"pk": visit.pk}))
    assert held.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    assert visits.client_for("thematic_expert").post(url, {"report": "x"}).status_code == 403


def test_the_general_write_up_cannot_cancel_a_visit_behind_its_credit(visits: Any) -> None:
    _book(visits)
    event = ExpertVisit.objects.get().event
    with pytest.raises(ValidationError, match="cancelled from its own form"):
        actions.record_event(
            event=event,
            status=EventStatus.CANCELLED,
            minutes="",
            outcomes="",
            attendees=[],
            other_attendees=0,
            by=visits.person("rep_a"),
        )


def test_schedules_leave_booked_visits_alone_and_schedule_no_placeholders(visits: Any) -> None:
    assert not Event.objects.filter(event_type__key=EXPERT_VISIT).exists()
    _book(visits)
    actions.generate_schedules(programme=visits.programme)
    assert Event.objects.filter(event_type__key=EXPERT_VISIT).count() == 1
    assert ExpertVisit.objects.get().event.status == EventStatus.PLANNED


def _fill(cast: Any, count: int) -> None:
    event_type = actions.visit_event_type(cast.programme)
    assert event_type is not None
    for n in range(count):
        expert = PersonFactory.create()
        give_role(expert, RoleKind.TRANSVERSAL_EXPERT, cast.programme, service=cast.finance)
        event = actions.add_city_event(city=cast.city_a, event_type=event_type, day=DAY, by=cast.person("rep_a"))
        ExpertVisit.objects.create(
            city=cast.city_a,
            event=event,
            slot=100 + ExpertVisit.objects.count(),
            service=cast.finance,
            expert=expert,
            purpose=f"Visit {n}",
            booked_by=cast.person("rep_a"),
            status=VisitStatus.CANCELLED if n % 2 else VisitStatus.BOOKED,
        )


def _queries(cast: Any) -> int:
    client = cast.client_for("rep_a")
    url = reverse("journey:visits", kwargs={"pk": cast.city_a.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_visits_page_query_count_does_not_grow_with_the_visits(visits: Any) -> None:
    _fill(visits, 1)
    few = _queries(visits)
    _fill(visits, 10)
    assert _queries(visits) <= few
