"""Every date a person types has a range: outside it, calendars and timelines would overflow."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from icc.core.validators import validate_day
from icc.journey.models import Event
from icc.roadmaps.models import Action

ROOT = Path(__file__).resolve().parents[1] / "icc"
# Set by the platform itself, never typed: when an entry was made, when someone signed in.
SYSTEM_TIMES = {
    "core.AuditEntry.at",
    "accounts.Person.date_joined",
    "accounts.Person.last_login",
    "accounts.Person.invited_at",
    "public.Publication.published_at",
    "public.AddressWindow.window_ends",
    "api.AccessToken.last_used_at",
    "api.AccessToken.revoked_at",
}


def test_every_date_column_people_fill_in_has_the_range() -> None:
    unbounded = [
        label
        for model in apps.get_models()
        if model.__module__.startswith("icc.")
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField)
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        and (label := f"{model._meta.label}.{field.name}") not in SYSTEM_TIMES
        and validate_day not in field.validators
    ]
    assert unbounded == []


def test_every_date_form_field_has_the_range() -> None:
    found = []
    for path in ROOT.rglob("forms.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"DateField", "DateTimeField"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "forms"
                and not any(k.arg == "validators" for k in node.keywords)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.django_db
def test_an_action_dated_in_year_9999_is_refused_and_the_timeline_still_draws(roadmap: Any) -> None:
    from tests.test_stale_edits import form_data

    cast = roadmap.cast
    url = reverse("roadmaps:action_new", kwargs={"city_pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    data = form_data(
        client.get(url).context["form"],
        opportunity=roadmap.opportunity.pk,
        title="Forever",
        kind="action",
        detail="detailed",
        status="planned",
        starts_on="0001-01-01",
        ends_on="9999-12-31",
        cycle="",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "outside the dates the platform keeps" in response.content.decode()
    assert not Action.objects.filter(title="Forever").exists()
    timeline = client.get(reverse("roadmaps:roadmap", kwargs={"pk": cast.city_a.pk}), {"view": "timeline"})
    assert timeline.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends"), [("9999-12-31T22:00", "9999-12-31T23:59"), ("0001-01-01T00:00", "0001-01-01T01:00")]
)
def test_moving_an_event_to_the_edge_of_the_calendar_is_refused_not_a_500(journey: Any, starts: str, ends: str) -> None:
    event, cast = journey.event_a, journey.cast
    person = cast.people["lead_expert"]
    person.time_zone = "America/Los_Angeles" if starts.startswith("9999") else "Asia/Tokyo"
    person.save()
    url = reverse("journey:event_move", kwargs={"pk": event.pk})
    before = Event.objects.get(pk=event.pk).starts_at
    response = cast.client_for("lead_expert").post(
        url, {"version": event.sequence, "starts_at": starts, "ends_at": ends, "location": ""}
    )
    assert response.status_code == 200
    assert "outside the dates the platform keeps" in response.content.decode()
    assert Event.objects.get(pk=event.pk).starts_at == before


@pytest.mark.django_db
def test_a_survey_cannot_stay_open_for_ever(cast: Any) -> None:
    from icc.assessments.actions import load_default_instruments

    load_default_instruments(programme=cast.programme)
    url = reverse("assessments:survey_open", kwargs={"pk": cast.city_a.pk, "round": "baseline"})
    far = (dt.date.today() + dt.timedelta(days=800)).isoformat()  # noqa: DTZ011 - a date far enough either way
    response = cast.client_for("rep_a").post(url, {"closes_on": far}, follow=True)
    assert "stays open at most 366 days" in response.content.decode()
    from icc.assessments.models import SatCampaign

    assert not SatCampaign.objects.exists()
