from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from conftest import Cast
from icc.accounts.models import Person
from icc.cities.models import Organisation, RoleKind, Sector
from icc.ecosystem.models import Contact, Insight, Interview, Stakeholder
from tests.factories import OrganisationFactory, PersonFactory, give_role

NOTE_WORD = "Zanzibarquartz"  # only ever in a sensitive note
SUMMARY_WORD = "Pelicanharbour"  # only ever in a summary


@dataclass
class Eco:
    cast: Cast
    hub: Organisation
    utility: Organisation
    contact: Contact
    interview: Interview
    other_rep: Person  # a second representative of city A

    def client_for(self, persona: str) -> Any:
        return self.cast.client_for(persona)


@pytest.fixture
def eco(cast: Cast) -> Eco:
    hub = cast.organisation_a
    Stakeholder.objects.create(
        organisation=hub, role="connector", influence=4, interest=5, commitment="high", champion=True, version=1
    )
    utility = OrganisationFactory.create(city=cast.city_a, name="Alphaville Power", sector=Sector.UTILITY)
    Stakeholder.objects.create(organisation=utility, role="infrastructure", influence=5, interest=2, version=1)
    contact = Contact.objects.create(organisation=hub, name="Ana Fictional", title="Director", email="ana@example.org")
    interview = Interview.objects.create(
        city=cast.city_a,
        organisation=hub,
        contact=contact,
        interviewer=cast.person("lead_expert"),
        planned_on=dt.date(2026, 3, 2),
        held_on=dt.date(2026, 3, 2),
        status="held",
        summary=f"Keen to host pilots at {SUMMARY_WORD}.",
        created_by=cast.person("lead_expert"),
        version=1,
    )
    Insight.objects.create(interview=interview, text="Start-ups lack test sites", enabler="local-capabilities")
    other_rep = PersonFactory.create(email="rep-a2@example.org")
    give_role(other_rep, RoleKind.CITY_REP, cast.programme, city=cast.city_a)
    return Eco(cast, hub, utility, contact, interview, other_rep)


def count_queries(client: Any, url: str) -> int:
    """How many queries a page of ``url`` runs."""
    count = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        assert client.get(url).status_code == 200
    return count
