"""A calendar address follows the current rights of the person it belongs to."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from icc.cities.models import City, Role, RoleKind
from icc.journey.actions import generate_schedules, install_template
from icc.journey.models import CalendarFeed


@pytest.fixture
def scheduled(cast):
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    return cast


def new_feed(cast, persona: str, city: City | None = None) -> str:
    """Create a calendar address on the calendars page; return its path."""
    response = cast.client_for(persona).post(reverse("journey:calendar_new"), {"city": city.pk if city else ""})
    match = re.search(r'value="https?://[^/"]+(/calendars/[^"]+\.ics)"', response.content.decode())
    assert match is not None
    return match.group(1)


def remove_role(cast, persona: str, kind: RoleKind) -> None:
    role = Role.objects.get(person=cast.people[persona], kind=kind)
    response = cast.client_for("organiser").post(
        reverse("cities:role_remove", kwargs={"slug": cast.programme.slug, "pk": role.pk})
    )
    assert response.status_code == 302


def test_a_city_feed_stops_serving_once_its_owner_loses_the_role(scheduled, client):
    path = new_feed(scheduled, "rep_b", scheduled.city_b)
    before = client.get(path)

    remove_role(scheduled, "rep_b", RoleKind.CITY_REP)
    after = client.get(path)

    assert before.status_code == 200 and "Betatown:" in before.content.decode()
    assert after.status_code == 404
    assert "Betatown" not in after.content.decode()


def test_a_city_feed_serves_again_when_the_role_is_given_back(scheduled, client):
    path = new_feed(scheduled, "rep_b", scheduled.city_b)
    remove_role(scheduled, "rep_b", RoleKind.CITY_REP)

    rep = scheduled.people["rep_b"]
    scheduled.client_for("organiser").post(
        reverse("cities:person_invite", kwargs={"slug": scheduled.programme.slug}),
        {"full_name": rep.full_name, "email": rep.email, "kind": RoleKind.CITY_REP, "city": scheduled.city_b.pk},
    )

    assert client.get(path).status_code == 200


def test_a_programme_team_members_city_feed_stops_when_they_leave_the_team(scheduled, client):
    path = new_feed(scheduled, "organiser", scheduled.city_b)
    colleague = scheduled.people["lead_expert"]
    Role.objects.create(person=colleague, programme=scheduled.programme, kind=RoleKind.PROGRAMME_TEAM)
    role = Role.objects.get(person=scheduled.people["organiser"], kind=RoleKind.PROGRAMME_TEAM)

    scheduled.client_for("lead_expert").post(
        reverse("cities:role_remove", kwargs={"slug": scheduled.programme.slug, "pk": role.pk})
    )

    assert client.get(path).status_code == 404


def test_a_thematic_experts_city_feed_stops_when_the_city_leaves_their_track(scheduled, client):
    path = new_feed(scheduled, "thematic_expert", scheduled.city_a)
    assert client.get(path).status_code == 200

    City.objects.filter(pk=scheduled.city_a.pk).update(track=scheduled.city_b.track)

    assert client.get(path).status_code == 404


def test_a_personal_feed_drops_a_city_once_the_role_for_it_is_removed(scheduled, client):
    path = new_feed(scheduled, "rep_a")
    before = client.get(path).content.decode()

    remove_role(scheduled, "rep_a", RoleKind.CITY_REP)
    after = client.get(path)

    assert "Alphaville:" in before
    assert after.status_code == 200 and "Alphaville" not in after.content.decode()


def test_the_feeds_of_a_deactivated_person_stop(scheduled, client):
    personal = new_feed(scheduled, "rep_a")
    city = new_feed(scheduled, "rep_a", scheduled.city_a)
    rep = scheduled.people["rep_a"]

    rep.is_active = False
    rep.save(update_fields=["is_active"])

    assert client.get(personal).status_code == 404
    assert client.get(city).status_code == 404
    assert CalendarFeed.objects.filter(person=rep, revoked_at__isnull=True).count() == 2


def test_the_calendars_page_says_a_city_calendar_is_paused_once_the_city_is_out_of_reach(cast):
    CalendarFeed.issue(person=cast.people["rep_a"], city=cast.city_a)
    client = cast.client_for("rep_a")
    assert "paused" not in client.get(reverse("journey:calendars")).content.decode()
    remove_role(cast, "rep_a", RoleKind.CITY_REP)
    assert "paused: you can no longer open this city" in client.get(reverse("journey:calendars")).content.decode()
