"""The inbox page: newest first, unread marked, read one or all, open a notice, and only
what its reader may still open, in a number of queries that does not grow with the notices."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icc.cities.models import Role, RoleKind
from icc.inbox.actions import notify
from icc.inbox.models import Kind, Notification
from icc.inbox.tests.conftest import World
from tests.factories import CityFactory, give_role

pytestmark = pytest.mark.django_db
INBOX = "/inbox/"


def _titles(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<h2>\s*<a href=\"/inbox/\d+/open/\">(.*?)</a>", html)]


def test_the_page_lists_newest_first_with_the_targets_current_words(world: World) -> None:
    cast = world.cast
    older = world.tell("rep_a", Kind.KPI_LATE)
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    world.roadmap.kpi.name = "Energy use, all public buildings"
    world.roadmap.kpi.save(update_fields=["name"])
    response = cast.client_for("rep_a").get(INBOX)
    html = response.content.decode()
    assert response.status_code == 200
    titles = _titles(html)
    assert titles[0].startswith("Send the map (due")
    assert titles[1].startswith("Energy use, all public buildings: update due")
    assert "Alphaville" in html and html.count('class="badge">unread') == 2
    assert "Inbox" in html and 'inbox-count">2' in html


def test_a_notice_of_another_person_is_a_404_to_open_and_to_mark_read(world: World) -> None:
    notice = world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    other = world.cast.client_for("lead_expert")
    assert other.get(reverse("inbox:open", kwargs={"pk": notice.pk})).status_code == 404
    assert other.post(reverse("inbox:read", kwargs={"pk": notice.pk})).status_code == 404
    assert other.get(reverse("inbox:open", kwargs={"pk": 10**30})).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    assert "Send the map" not in other.get(INBOX).content.decode()


def test_opening_a_notice_marks_it_read_and_goes_to_what_it_is_about(world: World) -> None:
    notice = world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    client = world.cast.client_for("rep_a")
    response = client.get(reverse("inbox:open", kwargs={"pk": notice.pk}))
    assert response.status_code == 302
    assert response["Location"] == world.journey.event_a.get_absolute_url()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.post(reverse("inbox:open", kwargs={"pk": notice.pk})).status_code == 405


def test_mark_one_read_then_all_read_without_javascript(world: World) -> None:
    client = world.cast.client_for("rep_a")
    first, second, third = (world.tell("rep_a", k) for k in (Kind.KPI_DUE, Kind.SIGN_OFF, Kind.REVIEWED))
    response = client.post(reverse("inbox:read", kwargs={"pk": first.pk}), {"show": "unread", "page": "1"})
    assert response.status_code == 302 and response["Location"] == "/inbox/?show=unread"
    assert Notification.objects.filter(read_at=None).count() == 2
    unread_page = client.get(INBOX, {"show": "unread"}).content.decode()
    assert len(_titles(unread_page)) == 2 and "update due" not in unread_page
    assert len(_titles(client.get(INBOX).content.decode())) == 3  # all, the read one among them
    assert client.get(reverse("inbox:read", kwargs={"pk": second.pk})).status_code == 405
    response = client.post(reverse("inbox:read_all"))
    assert response.status_code == 302 and response["Location"] == INBOX
    assert not Notification.objects.filter(read_at=None).exists()
    assert "Nothing unread." in client.get(INBOX, {"show": "unread"}).content.decode()
    assert third.pk  # every notice was read by the one button


def test_a_representative_whose_role_ended_sees_nothing_from_the_city_they_lost(world: World) -> None:
    cast = world.cast
    # They stay in the programme, for a city in no TAG and on another theme.
    elsewhere = CityFactory.create(programme=cast.programme, name="Gammaburg", track=cast.programme.themes.last())
    give_role(cast.person("rep_a"), RoleKind.CITY_REP, cast.programme, city=elsewhere)
    notices = world.tell_everything("rep_a")
    notify(kind=Kind.LIBRARY_ITEM, people=[cast.person("rep_a").pk], programme=cast.programme, target=world.item)
    client = cast.client_for("rep_a")
    before = client.get(INBOX).content.decode()
    assert "Alphaville" in before and "Send the map" in before
    Role.objects.filter(person=cast.person("rep_a"), city=cast.city_a).delete()
    after = client.get(INBOX).content.decode()
    for words in ("Send the map", "Energy use", "heat map", "cycle 1", "Local strategy", "Who has a", "TAG 1"):
        assert words not in after, words
    # Still theirs: the programme-wide toolbox item, and the action they own themselves
    # (whose page names its city: the only mention of Alphaville left).
    assert "Handbook" in after and "Secret retrofit plan" in after
    assert after.count("Alphaville") == 1
    # What they can no longer open is put away as read, so it no longer counts as unread.
    gone = [n for n in notices if n.kind not in (Kind.ACTION_OVERDUE,)]
    assert not Notification.objects.filter(pk__in=[n.pk for n in gone], read_at=None).exists()
    for notice in gone:
        assert client.get(reverse("inbox:open", kwargs={"pk": notice.pk})).status_code == 404


def test_the_page_takes_as_many_queries_with_ten_times_the_notices(world: World) -> None:
    client = world.cast.client_for("rep_a")
    world.tell_everything("rep_a")
    client.get(INBOX)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INBOX).status_code == 200
        return len(captured)

    few = queries()
    world.tell_everything("rep_a", times=10)
    assert queries() == few
    page = client.get(INBOX, {"page": "2"}).content.decode()
    assert "Page 2 of" in page


def test_signed_out_visitors_are_sent_to_sign_in_and_stakeholders_get_an_empty_inbox(world: World) -> None:
    response = world.cast.client_for("anonymous").get(INBOX)
    assert response.status_code == 302 and "sign-in" in response["Location"]
    page = world.cast.client_for("stakeholder").get(INBOX).content.decode()
    assert "Nothing in your inbox yet." in page and "inbox-count" not in page
