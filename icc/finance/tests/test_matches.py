"""Stored matches: computed in the background, recomputed on changes, read by the city's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.finance import matched
from icc.finance.models import Application, ApplicationStatus, FundingMatch
from icc.finance.tasks import recompute_matches
from icc.finance.tests.helpers import make_action, make_call
from icc.roadmaps.models import ActionStatus, FundingStatus

pytestmark = pytest.mark.django_db
BOUND = 20  # queries of a list page, whatever the amount of data


def test_the_background_job_stores_each_actions_matches(cast: Any) -> None:
    call = make_call(cast.programme, countries="PT")
    german_only = make_call(cast.programme, countries="DE")
    action = make_action(cast.city_a)
    make_action(cast.city_a, budget=None)
    make_action(cast.city_a, status=ActionStatus.DONE)
    make_action(cast.city_a, funding_status=FundingStatus.SECURED)
    result = recompute_matches.enqueue(programme_id=cast.programme.pk)
    assert result.return_value == 1
    stored = FundingMatch.objects.get()
    assert (stored.action_id, stored.call_id, stored.city_id, stored.gap) == (
        action.pk,
        call.pk,
        cast.city_a.pk,
        Decimal(500_000),
    )
    assert german_only.pk not in {m.call_id for m in FundingMatch.objects.all()}
    assert [r["code"] for r in stored.reasons][:3] == ["theme", "any-city-type", "country"]


def test_awarded_amounts_reduce_the_gap_and_a_full_award_ends_the_matches(cast: Any) -> None:
    call = make_call(cast.programme)
    action = make_action(cast.city_a, budget=300_000)
    Application.objects.create(
        city=cast.city_a,
        action=action,
        call=call,
        amount_requested=Decimal(100_000),
        amount_secured=Decimal(100_000),
        status=ApplicationStatus.AWARDED,
        applied_on=timezone.localdate(),
        decided_on=timezone.localdate(),
    )
    matched.recompute(programme_id=cast.programme.pk)
    assert FundingMatch.objects.get().gap == Decimal(200_000)
    assert matched.secured_of(action) == Decimal(100_000)
    Application.objects.filter(action=action).update(amount_secured=Decimal(300_000))
    matched.recompute(programme_id=cast.programme.pk)
    assert not FundingMatch.objects.exists()


def test_an_action_marked_secured_counts_as_fully_secured(cast: Any) -> None:
    action = make_action(cast.city_a, budget=80_000, funding_status=FundingStatus.SECURED)
    assert matched.secured_of(action) == Decimal(80_000)


def test_changing_an_action_recomputes_its_citys_matches(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    make_call(cast.programme)
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(cast.city_a)
    assert FundingMatch.objects.filter(action=action).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        action.budget = None
        action.save()
    assert not FundingMatch.objects.exists()


def test_adding_a_call_recomputes_every_citys_matches(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    action_a, action_b = make_action(cast.city_a), make_action(cast.city_b)
    themes = list(cast.programme.themes.all())
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    today = timezone.localdate()
    data = {
        "identifier": "INTERREG-EUROPE-2027-5",
        "funding_programme": "Interreg Europe",
        "title": "Fifth call for project proposals",
        "themes": [themes[0].pk, themes[1].pk],
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat(),
        "co_funding_rate": "80",
        "version": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert cast.client_for("organiser").post(url, data).status_code == 302
    assert set(FundingMatch.objects.values_list("action_id", flat=True)) == {action_a.pk, action_b.pk}


def test_the_matches_page_words_the_reasons(cast: Any) -> None:
    call = make_call(cast.programme, countries="PT", max_amount=Decimal(200_000), co_funding_rate=70)
    make_action(cast.city_a, title="Solar roofs on schools")
    matched.recompute(programme_id=cast.programme.pk)
    response = cast.client_for("rep_a").get(reverse("finance:matches", kwargs={"pk": cast.city_a.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Solar roofs on schools" in page and call.title in page
    assert "Open to cities in PT" in page
    assert "covers part of the gap" in page
    assert "Co-funds 70 %" in page
    assert "Record an application to this call" in page


def test_a_call_past_its_deadline_drops_off_the_page_before_the_next_computation(cast: Any) -> None:
    call = make_call(cast.programme)
    make_action(cast.city_a)
    matched.recompute(programme_id=cast.programme.pk)
    call.deadline = timezone.localdate() - dt.timedelta(days=1)
    call.opens_on = call.deadline - dt.timedelta(days=10)
    call.save()
    response = cast.client_for("rep_a").get(reverse("finance:matches", kwargs={"pk": cast.city_a.pk}))
    assert call.title not in response.content.decode()


def test_the_mayor_sees_the_matches_but_may_not_record(cast: Any) -> None:
    make_call(cast.programme)
    make_action(cast.city_a)
    matched.recompute(programme_id=cast.programme.pk)
    page = cast.client_for("mayor_a").get(reverse("finance:matches", kwargs={"pk": cast.city_a.pk}))
    assert page.status_code == 200 and "Record an application" not in page.content.decode()
    assert cast.client_for("rep_b").get(reverse("finance:matches", kwargs={"pk": cast.city_a.pk})).status_code == 404


def test_matches_page_query_count_does_not_grow_with_the_data(cast: Any, django_assert_max_num_queries: Any) -> None:
    url = reverse("finance:matches", kwargs={"pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    for _n in range(2):
        make_call(cast.programme)
    make_action(cast.city_a)
    matched.recompute(programme_id=cast.programme.pk)
    client.get(url)
    with django_assert_max_num_queries(BOUND):
        assert client.get(url).status_code == 200
    for _n in range(18):
        make_call(cast.programme)
    for _n in range(9):
        make_action(cast.city_a)
    matched.recompute(programme_id=cast.programme.pk)
    assert FundingMatch.objects.count() == 50
    with django_assert_max_num_queries(BOUND):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
