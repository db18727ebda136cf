"""The demo's calls for ideas: the same on every run, and once only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from icc.cities.models import RoleKind
from icc.ideas.demo import record_demo_ideas
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, IdeaVote, Purpose
from icc.public.models import Publication
from tests.factories import CityFactory, PersonFactory, give_role

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def _snapshot() -> list[tuple[Any, ...]]:
    ideas = Idea.objects.order_by("pk").values_list("call__city__name", "title", "language", "state", "action__title")
    return [*ideas, ("votes", IdeaVote.objects.count())]


def test_demo_ideas_are_deterministic_and_recorded_once(cast: Any) -> None:
    from icc.assessments.indicators import load_indicator_library
    from icc.roadmaps.demo import record_demo_roadmaps

    load_indicator_library(programme=cast.programme)
    themes = {theme.slug: theme for theme in cast.programme.themes.all()}
    berlin = CityFactory.create(programme=cast.programme, name="Berlin", country="DE", track=themes["skills"])
    angers = CityFactory.create(programme=cast.programme, name="Angers", country="FR", track=themes["tourism"])
    besancon = CityFactory.create(programme=cast.programme, name="Besançon", country="FR", track=themes["tourism"])
    for city in (berlin, angers, besancon):
        give_role(PersonFactory.create(), RoleKind.CITY_REP, cast.programme, city=city)
    with time_machine.travel(TODAY):
        record_demo_roadmaps(programme=cast.programme)
        assert record_demo_ideas(programme=cast.programme) == 2
        first = _snapshot()
        assert record_demo_ideas(programme=cast.programme) == 0
        assert _snapshot() == first
    assert set(IdeaCall.objects.values_list("city__name", flat=True)) == {"Berlin", "Angers"}

    energy = IdeaCall.objects.get(city=berlin, purpose=Purpose.PROJECTS)
    assert energy.status == CallStatus.OPEN
    assert energy.question["en"] == "How could the city reduce its electricity consumption?"
    assert energy.question["de"] == "Wie könnte die Stadt ihren Stromverbrauch senken?"
    languages = set(energy.ideas.values_list("language", flat=True))
    assert languages == {"de", "en"}
    merged = energy.ideas.get(state=IdeaState.MERGED)
    assert merged.merged_into is not None and merged.merged_into.state == IdeaState.PUBLISHED
    declined = energy.ideas.get(state=IdeaState.DECLINED)
    assert declined.decline_reason.startswith("Die Straßenbeleuchtung")

    planning = IdeaCall.objects.get(city=angers, purpose=Purpose.CYCLE_PLANNING)
    assert planning.status == CallStatus.VOTING and planning.cycle is not None
    with time_machine.travel(TODAY):
        assert planning.takes_votes(TODAY) and energy.takes_ideas(TODAY)
    shortlist = planning.ideas.filter(state=IdeaState.SHORTLISTED)
    assert shortlist.count() == 4 and all(idea.votes.exists() for idea in shortlist)
    taken = planning.ideas.get(action__isnull=False)
    assert taken.action is not None and taken.action.city == angers
    assert taken.action.title == "Off-season events calendar" and taken.language == "fr"

    # The demo's pages render for citizens once the city's page is published.
    Publication.objects.create(
        city=angers, programme=cast.programme, slug="angers", published=True, default_language="fr", languages=["en"]
    )
    url = reverse("public:idea_call", kwargs={"programme": cast.programme.slug, "city": "angers", "call": planning.pk})
    with time_machine.travel(TODAY):
        page = Client().get(url.replace("/en/", "/fr/", 1)).content.decode()
    assert "Un calendrier d&#x27;événements hors saison" in page
