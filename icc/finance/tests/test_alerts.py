"""Saved searches and their alerts: off by default, opt-in, delivered to the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.finance.alerts import alert
from icc.finance.models import SavedSearch
from icc.finance.tests.helpers import make_call
from icc.inbox.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_a_saved_search_has_alerts_off_unless_ticked(cast: Any) -> None:
    url = reverse("finance:search_save", kwargs={"slug": cast.programme.slug})
    client = cast.client_for("rep_a")
    assert client.post(url, {"name": "Portugal", "country": "PT"}).status_code == 302
    search = SavedSearch.objects.get()
    assert search.filters == {"country": "PT"} and search.alerts is False
    client.post(url, {"name": "Energy", "q": "energy", "alerts": "on"})
    assert SavedSearch.objects.get(name="Energy").alerts is True


def test_a_refused_filter_saves_no_search(cast: Any) -> None:
    url = reverse("finance:search_save", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_a").post(url, {"name": "Nowhere", "country": "ZZ"}, follow=True)
    assert "The search was not saved" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_a_new_matching_call_reaches_the_inbox_of_searches_with_alerts_on(cast: Any) -> None:
    theme = cast.programme.themes.first()
    on = SavedSearch.objects.create(
        person=cast.person("rep_a"), programme=cast.programme, name="PT", filters={"country": "PT"}, alerts=True
    )
    SavedSearch.objects.create(
        person=cast.person("rep_b"), programme=cast.programme, name="PT too", filters={"country": "PT"}, alerts=False
    )
    SavedSearch.objects.create(
        person=cast.person("mayor_a"), programme=cast.programme, name="DE", filters={"country": "DE"}, alerts=True
    )
    call = make_call(cast.programme, countries="PT ES", themes=[theme])
    assert alert(programme_id=cast.programme.pk, call_ids=[call.pk]) == 1
    notice = Notification.objects.get()
    assert (notice.person, notice.kind, notice.target_id) == (cast.person("rep_a"), Kind.FUNDING_CALLS, on.pk)
    # The same batch told twice gives one notice.
    alert(programme_id=cast.programme.pk, call_ids=[call.pk])
    assert Notification.objects.count() == 1
    inbox = cast.client_for("rep_a").get(reverse("inbox:inbox"))
    assert "1 new funding call matches “PT”" in inbox.content.decode()


def test_adding_a_call_sends_the_alerts_after_the_commit(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    SavedSearch.objects.create(
        person=cast.person("rep_a"), programme=cast.programme, name="All", filters={}, alerts=True
    )
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    today = timezone.localdate()
    data = {
        "identifier": "CEF-2027-T-URBAN",
        "funding_programme": "Connecting Europe Facility",
        "title": "Urban nodes of the trans-European network",
        "themes": [cast.programme.themes.first().pk],
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat(),
        "co_funding_rate": "50",
        "version": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("organiser").post(url, data)
    assert Notification.objects.filter(person=cast.person("rep_a"), kind=Kind.FUNDING_CALLS).count() == 1


def test_alerts_can_be_turned_off_and_only_by_their_person(cast: Any) -> None:
    search = SavedSearch.objects.create(
        person=cast.person("rep_a"), programme=cast.programme, name="All", filters={}, alerts=True
    )
    url = reverse("finance:search_alerts", kwargs={"pk": search.pk})
    assert cast.client_for("organiser").post(url, {}).status_code == 404
    response = cast.client_for("rep_a").post(url, {}, follow=True)
    assert "Alerts are off" in response.content.decode()
    search.refresh_from_db()
    assert search.alerts is False
    call = make_call(cast.programme)
    assert alert(programme_id=cast.programme.pk, call_ids=[call.pk]) == 0


def test_someone_who_left_the_programme_gets_no_alert(cast: Any) -> None:
    SavedSearch.objects.create(
        person=cast.person("rep_a"), programme=cast.programme, name="All", filters={}, alerts=True
    )
    cast.person("rep_a").roles.all().delete()
    call = make_call(cast.programme)
    assert alert(programme_id=cast.programme.pk, call_ids=[call.pk]) == 0
