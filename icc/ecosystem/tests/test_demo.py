"""The demo maps the cities' ecosystems once, and keeps the lead expert's notes hers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from icc.cities.demo import ORGANISATIONS, PERSONA_EMAILS
from icc.cities.models import RoleKind
from icc.ecosystem.demo import NOTES, record_demo_ecosystem
from icc.ecosystem.models import Contact, Insight, Interview, SensitiveNote, Stakeholder
from tests.factories import CityFactory, OrganisationFactory, PersonFactory, give_role

pytestmark = pytest.mark.django_db


def test_the_demo_maps_the_ecosystem_once_and_the_notes_stay_with_the_lead_expert(cast: Any) -> None:
    programme = cast.programme
    city = CityFactory.create(programme=programme, name="Demoville", country="ES", track=cast.city_a.track)
    for pattern, sector in ORGANISATIONS:
        OrganisationFactory.create(city=city, name=pattern.format(city=city.name), sector=sector)
    lead = PersonFactory.create(email=PERSONA_EMAILS["lead_expert"])
    rep = PersonFactory.create(email=PERSONA_EMAILS["city_rep"])
    give_role(lead, RoleKind.LEAD_EXPERT, programme, city=city)
    give_role(rep, RoleKind.CITY_REP, programme, city=city)
    added = record_demo_ecosystem(programme)
    assert added >= 4 and record_demo_ecosystem(programme) == 0
    assert Stakeholder.objects.filter(organisation__city=city).count() == len(ORGANISATIONS)
    assert all(c.email.endswith("@example.org") for c in Contact.objects.all())
    assert Insight.objects.filter(interview__city=city).exclude(enabler="").exists()
    assert SensitiveNote.objects.filter(author=lead).count() == len(NOTES)
    interview = Interview.objects.get(city=city, organisation__sector="utility")
    url = reverse("ecosystem:interview", kwargs={"pk": interview.pk})
    as_lead, as_rep = Client(), Client()
    as_lead.force_login(lead)
    as_rep.force_login(rep)
    assert NOTES["utility"] in as_lead.get(url).content.decode()
    page = as_rep.get(url).content.decode()
    assert interview.summary[:40] in page and NOTES["utility"] not in page
    grid = as_rep.get(reverse("ecosystem:map", kwargs={"pk": city.pk})).content.decode()
    assert 'role="img"' in grid
