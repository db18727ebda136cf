"""The demo's ecosystem calls and visits: realistic, consistent with the rules, and added once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from icc.cities.models import City, Organisation, RoleKind, Sector
from icc.journey.actions import balance_of
from icc.journey.demo import record_demo_journey
from icc.journey.models import Agreement, AgreementStatus, ExpertVisit, VisitStatus
from icc.roadmaps.models import Opportunity
from tests.factories import PersonFactory, give_role

NOW = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_the_demo_gives_calls_agreements_and_visits_once(journey: Any) -> None:
    cast = journey.cast
    City.objects.filter(pk=cast.city_a.pk).update(current_phase=cast.programme.phases.get(key="implementation"))
    Organisation.objects.create(city=cast.city_a, name="Alphaville Energy and Water", sector=Sector.INNOVATION_HUB)
    Opportunity.objects.create(city=cast.city_a, title="Cleaner air", need="Traffic fumes")
    procurement = cast.programme.services.get(slug="procurement")
    give_role(PersonFactory.create(), RoleKind.TRANSVERSAL_EXPERT, cast.programme, service=procurement)

    assert record_demo_journey(programme=cast.programme) == 1
    agreements = Agreement.objects.filter(city=cast.city_a)
    assert agreements.count() == 5
    assert agreements.filter(action__isnull=False).count() == 1
    assert agreements.filter(follow_up__isnull=False).count() == 3
    assert agreements.filter(status=AgreementStatus.DONE).count() == 1
    statuses = sorted(ExpertVisit.objects.filter(city=cast.city_a).values_list("status", flat=True))
    assert statuses == [VisitStatus.BOOKED, VisitStatus.HELD]
    assert balance_of(cast.city_a).remaining == 0

    assert record_demo_journey(programme=cast.programme) == 0
    assert Agreement.objects.filter(city=cast.city_a).count() == 5
