"""The finance team's readiness self-assessment: a versioned instrument taken like the others."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.assessments.actions import load_default_instruments, save_response
from icc.assessments.models import Instrument, InstrumentKind, Response

pytestmark = pytest.mark.django_db


def _instrument(cast: Any) -> Instrument:
    return next(i for i in load_default_instruments(programme=cast.programme) if i.key == "finance-readiness")


def test_the_instrument_is_loaded_with_the_others(cast: Any) -> None:
    instrument = _instrument(cast)
    assert instrument.kind == InstrumentKind.READINESS and instrument.version == 1
    keys = set(instrument.sections.values_list("key", flat=True))
    assert keys == {"eu-mechanisms", "team", "lifecycle", "sharing"}
    assert instrument.sections.get(key="team").questions.filter(key="team-set-up", required=True).exists()
    load_default_instruments(programme=cast.programme)
    assert Instrument.objects.filter(key="finance-readiness").count() == 1


def test_the_city_team_takes_it_through_the_assessment_flow(cast: Any) -> None:
    instrument = _instrument(cast)
    url = reverse(
        "assessments:response", kwargs={"pk": cast.city_a.pk, "instrument_pk": instrument.pk, "round": "baseline"}
    )
    assert cast.client_for("rep_a").get(url).status_code == 200
    set_up = instrument.sections.get(key="team").questions.get(key="team-set-up")
    response = Response(instrument=instrument, city=cast.city_a, round="baseline")
    save_response(
        response=response, values={set_up.pk: ("A dedicated team or unit", False)}, submit=True, by=cast.person("rep_a")
    )
    page = cast.client_for("rep_a").get(reverse("finance:matches", kwargs={"pk": cast.city_a.pk}))
    assert "submitted its self-assessment" in page.content.decode()
    assert url in page.content.decode()
