"""Applications on an action's funding line, and the cohort statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.finance.models import Application, ApplicationStatus
from icc.finance.tests.helpers import make_action, make_call

pytestmark = pytest.mark.django_db


def _data(action: Any, call: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "action": str(action.pk),
        "call_identifier": call.identifier,
        "amount_requested": "250000",
        "status": "applied",
        "amount_secured": "",
        "applied_on": timezone.localdate().isoformat(),
        "decided_on": "",
        "note": "",
        "version": "0",
    }
    data.update(changes)
    return data


def test_the_city_team_records_an_application_and_it_shows_on_the_funding_line(cast: Any) -> None:
    call, action = make_call(cast.programme), make_action(cast.city_a, budget=600_000)
    url = reverse("finance:application_add", kwargs={"pk": cast.city_a.pk})
    response = cast.client_for("rep_a").post(url, _data(action, call))
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.city, application.action, application.call) == (cast.city_a, action, call)
    line = cast.client_for("mayor_a").get(reverse("finance:action_funding", kwargs={"pk": action.pk}))
    page = line.content.decode()
    assert call.title in page and "Applied" in page
    fragment = cast.client_for("rep_a").get(
        reverse("finance:action_funding", kwargs={"pk": action.pk}), {"fragment": "1"}
    )
    assert 'id="funding-line"' in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_an_award_secures_money_and_narrows_the_gap(cast: Any) -> None:
    call, action = make_call(cast.programme), make_action(cast.city_a, budget=600_000)
    today = timezone.localdate()
    url = reverse("finance:application_add", kwargs={"pk": cast.city_a.pk})
    data = _data(
        action,
        call,
        status="awarded",
        amount_secured="200000",
        applied_on=(today - dt.timedelta(days=30)).isoformat(),
        decided_on=today.isoformat(),
    )
    assert cast.client_for("lead_expert").post(url, data).status_code == 302
    line = cast.client_for("rep_a").get(reverse("finance:action_funding", kwargs={"pk": action.pk}))
    assert line.context["secured"] == Decimal(200_000) and line.context["gap"] == Decimal(400_000)


def test_an_application_for_an_action_of_another_city_is_refused(cast: Any) -> None:
    call, other = make_call(cast.programme), make_action(cast.city_b)
    url = reverse("finance:application_add", kwargs={"pk": cast.city_a.pk})
    response = cast.client_for("rep_a").post(url, _data(other, call))
    assert response.status_code == 400
    assert "Choose one of this city&#x27;s own actions." in response.content.decode()
    assert not Application.objects.exists()


def test_an_application_to_a_call_of_another_edition_is_refused(cast: Any) -> None:
    from tests.factories import make_programme

    elsewhere = make_programme("other-edition")
    call, action = make_call(elsewhere, identifier="CEF-2027-OTHER"), make_action(cast.city_a)
    response = cast.client_for("rep_a").post(
        reverse("finance:application_add", kwargs={"pk": cast.city_a.pk}), _data(action, call)
    )
    assert response.status_code == 400
    assert "No call of this edition" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "awarded", "decided_on": "TODAY"}, "Give the amount awarded"),
        ({"status": "awarded", "amount_secured": "300000", "decided_on": "TODAY"}, "more than the amount requested"),
        ({"status": "rejected"}, "Give the day of the decision"),
        ({"amount_secured": "10"}, "Nothing is secured before the decision"),
        ({"amount_requested": "-1"}, "outside the range"),
        ({"applied_on": "FUTURE"}, "cannot be in the future"),
    ],
)
def test_a_wrong_application_is_refused_and_nothing_saved(cast: Any, changes: dict[str, str], message: str) -> None:
    call, action = make_call(cast.programme), make_action(cast.city_a)
    today = timezone.localdate()
    values = {
        k: today.isoformat() if v == "TODAY" else (today + dt.timedelta(days=3)).isoformat() if v == "FUTURE" else v
        for k, v in changes.items()
    }
    url = reverse("finance:application_add", kwargs={"pk": cast.city_a.pk})
    response = cast.client_for("rep_a").post(url, _data(action, call, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_editing_and_removing_an_application(cast: Any) -> None:
    call, action = make_call(cast.programme), make_action(cast.city_a)
    application = Application.objects.create(
        city=cast.city_a, action=action, call=call, amount_requested=Decimal(90_000), applied_on=timezone.localdate()
    )
    url = reverse("finance:application_edit", kwargs={"pk": application.pk})
    data = _data(action, call, status="rejected", decided_on=timezone.localdate().isoformat(), version="0")
    assert cast.client_for("rep_a").post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    stale = cast.client_for("rep_a").post(url, {**data, "note": "again"})
    assert stale.status_code == 400 and "Someone else saved this" in stale.content.decode()
    remove = reverse("finance:application_remove", kwargs={"pk": application.pk})
    assert cast.client_for("rep_b").post(remove).status_code == 404
    assert cast.client_for("rep_a").post(remove).status_code == 302
    assert not Application.objects.exists()


def test_the_cohort_statistics_count_by_funding_programme_and_name_no_city(cast: Any) -> None:
    today = timezone.localdate()
    horizon = make_call(cast.programme, funding_programme="Horizon Europe")
    life = make_call(cast.programme, funding_programme="LIFE")
    for city, call, status, secured in [
        (cast.city_a, horizon, ApplicationStatus.AWARDED, 150_000),
        (cast.city_b, horizon, ApplicationStatus.REJECTED, None),
        (cast.city_b, horizon, ApplicationStatus.APPLIED, None),
        (cast.city_a, life, ApplicationStatus.AWARDED, 40_000),
    ]:
        Application.objects.create(
            city=city,
            action=make_action(city),
            call=call,
            amount_requested=Decimal(200_000),
            status=status,
            amount_secured=secured,
            applied_on=today,
            decided_on=today if status != ApplicationStatus.APPLIED else None,
        )
    response = cast.client_for("organiser").get(reverse("finance:statistics", kwargs={"slug": cast.programme.slug}))
    rows = {r.funding_programme: r for r in response.context["rows"]}
    assert (rows["Horizon Europe"].applications, rows["Horizon Europe"].cities) == (3, 2)
    assert rows["Horizon Europe"].success_rate == 50.0
    assert rows["Horizon Europe"].secured == Decimal(150_000)
    assert rows["LIFE"].success_rate == 100.0
    assert response.context["totals"].secured == Decimal(190_000)
    page = response.content.decode()
    assert cast.city_a.name not in page and cast.city_b.name not in page
    assert (
        cast.client_for("rep_a").get(reverse("finance:statistics", kwargs={"slug": cast.programme.slug})).status_code
        == 403
    )


def test_the_funding_line_tag_renders_on_any_page(cast: Any, rf: Any) -> None:
    from django.template import Context, Template

    call, action = make_call(cast.programme), make_action(cast.city_a)
    Application.objects.create(
        city=cast.city_a, action=action, call=call, amount_requested=Decimal(5_000), applied_on=timezone.localdate()
    )
    request = rf.get("/")
    request.user = cast.person("rep_a")
    html = Template("{% load funding_line %}{% funding_line action %}").render(
        Context({"action": action, "request": request})
    )
    assert 'id="funding-line"' in html and call.title in html and "Record an application" in html
    request.user = cast.person("mayor_a")
    html = Template("{% load funding_line %}{% funding_line action %}").render(
        Context({"action": action, "request": request})
    )
    assert call.title in html and "Record an application" not in html
