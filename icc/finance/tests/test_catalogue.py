"""The catalogue: who keeps it, what a call may hold, the search, and the page's queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.core.models import AuditEntry
from icc.finance.models import Application, Call
from icc.finance.tests.helpers import make_action, make_call

pytestmark = pytest.mark.django_db
BOUND = 20  # queries of a list page, whatever the amount of data


def _form(cast: Any, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "identifier": "DIGITAL-2027-CLOUD-AI-04",
        "funding_programme": "Digital Europe",
        "title": "Local digital twins for climate adaptation",
        "topic": "Data spaces and twins for cities",
        "description": "",
        "themes": [cast.programme.themes.first().pk],
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=120)).isoformat(),
        "city_types": ["eu-core"],
        "countries": "PT, DE",
        "co_funding_rate": "50",
        "min_amount": "500000",
        "max_amount": "3000000",
        "url": "https://digital-strategy.ec.europa.eu/",
        "version": "0",
    }
    data.update(changes)
    return data


def test_the_programme_team_adds_a_call(cast: Any) -> None:
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("organiser").post(url, _form(cast))
    assert response.status_code == 302
    call = Call.objects.get(identifier="DIGITAL-2027-CLOUD-AI-04")
    assert call.country_list == ["PT", "DE"] and call.city_type_list == ["eu-core"]
    assert call.co_funding_rate == 50 and call.max_amount == Decimal(3_000_000)
    assert list(call.themes.all()) == [cast.programme.themes.first()]
    assert AuditEntry.objects.filter(object_id=str(call.pk), action="created").exists()


def test_a_transversal_expert_adds_a_call(cast: Any) -> None:
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    assert cast.client_for("transversal_expert").post(url, _form(cast)).status_code == 302
    assert Call.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": "2020-01-31", "opens_on": "2020-01-01"}, "has passed: a new call must still be open"),
        ({"co_funding_rate": "140"}, "140 is outside the range 0 to 100"),
        ({"min_amount": "3000001"}, "The largest grant is smaller than the smallest grant"),
        ({"min_amount": "-5"}, "outside the range"),
        ({"countries": "PT, Atlantis"}, "Unknown countries: Atlantis"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"themes": []}, "This field is required"),
        ({"deadline": "2019-01-01"}, "The deadline is before the call opens"),
    ],
)
def test_a_bad_call_is_refused_with_a_clear_message_and_nothing_saved(
    cast: Any, changes: dict[str, Any], message: str
) -> None:
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("organiser").post(url, _form(cast, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Call.objects.exists()


def test_an_existing_call_may_keep_a_past_deadline_when_edited(cast: Any) -> None:
    today = timezone.localdate()
    call = make_call(cast.programme, opens_on=today - dt.timedelta(days=90), deadline=today - dt.timedelta(days=3))
    url = reverse("finance:call_edit", kwargs={"pk": call.pk})
    data = _form(
        cast,
        identifier=call.identifier,
        opens_on=call.opens_on.isoformat(),
        deadline=call.deadline.isoformat(),
        title="Renamed after closing",
        version=str(call.version),
    )
    assert cast.client_for("organiser").post(url, data).status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed after closing"


def test_a_stale_edit_of_a_call_is_refused(cast: Any) -> None:
    call = make_call(cast.programme)
    url = reverse("finance:call_edit", kwargs={"pk": call.pk})
    client = cast.client_for("organiser")
    client.post(url, _form(cast, identifier=call.identifier, title="First", version="0"))
    response = client.post(url, _form(cast, identifier=call.identifier, title="Second", version="0"))
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    call.refresh_from_db()
    assert call.title == "First"


def test_the_identifier_is_unique_in_the_catalogue(cast: Any) -> None:
    make_call(cast.programme, identifier="LIFE-2027-SAP-NAT")
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("organiser").post(url, _form(cast, identifier="life-2027-sap-nat"))
    assert response.status_code == 400
    assert "Another call of the catalogue has this identifier" in response.content.decode()


def test_a_call_with_applications_is_not_removed(cast: Any) -> None:
    call = make_call(cast.programme)
    action = make_action(cast.city_a)
    Application.objects.create(
        city=cast.city_a, action=action, call=call, amount_requested=10, applied_on=timezone.localdate()
    )
    response = cast.client_for("organiser").post(reverse("finance:call_remove", kwargs={"pk": call.pk}), follow=True)
    assert "stays in the catalogue" in response.content.decode()
    assert Call.objects.filter(pk=call.pk).exists()


def test_a_city_representative_cannot_add_a_call(cast: Any) -> None:
    url = reverse("finance:call_add", kwargs={"slug": cast.programme.slug})
    assert cast.client_for("rep_a").post(url, _form(cast)).status_code == 403
    assert not Call.objects.exists()


def test_search_filters_by_theme_country_type_and_words_and_hides_closed_calls(cast: Any) -> None:
    themes = list(cast.programme.themes.all())
    today = timezone.localdate()
    make_call(cast.programme, title="Energy communities", countries="PT ES", themes=[themes[0]])
    make_call(cast.programme, title="Mobility hubs", countries="DE", themes=[themes[1]])
    make_call(cast.programme, title="Energy for mentors", city_types="eu-mentor", themes=[themes[0]])
    make_call(
        cast.programme,
        title="Energy closed",
        opens_on=today - dt.timedelta(days=100),
        deadline=today - dt.timedelta(days=1),
    )
    url = reverse("finance:catalogue", kwargs={"slug": cast.programme.slug})
    client = cast.client_for("rep_a")

    def titles(**params: str) -> set[str]:
        return {c.title for c in client.get(url, params).context["page"].object_list}

    assert titles() == {"Energy communities", "Mobility hubs", "Energy for mentors"}
    assert titles(country="PT") == {"Energy communities", "Energy for mentors"}
    assert titles(country="PT", city_type="eu-core") == {"Energy communities"}
    assert titles(theme=str(themes[1].pk)) == {"Mobility hubs"}
    assert titles(q="energy", closed="on") == {"Energy communities", "Energy for mentors", "Energy closed"}
    assert titles(country="ZZ") == {"Energy communities", "Mobility hubs", "Energy for mentors"}  # refused filter


def test_catalogue_page_query_count_does_not_grow_with_the_catalogue(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("finance:catalogue", kwargs={"slug": cast.programme.slug})
    client = cast.client_for("rep_a")
    for _n in range(3):
        make_call(cast.programme)
    client.get(url, {"q": "Climate"})
    with django_assert_max_num_queries(BOUND):
        assert client.get(url, {"q": "Climate"}).status_code == 200
    for _n in range(30):
        make_call(cast.programme, funding_programme="LIFE")
    with django_assert_max_num_queries(BOUND):
        response = client.get(url, {"q": "Climate"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 33
