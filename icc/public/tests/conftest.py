"""City A published with its KPI and one of its two actions; city B with a draft publication."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from conftest import Cast, RoadmapCast
from icc.assessments.models import Indicator
from icc.public import actions
from icc.public.models import Publication
from icc.roadmaps.models import KPI, Measurement


@dataclass
class PublicCast:
    cast: Cast
    roadmap: RoadmapCast
    publication: Publication
    hidden_kpi: KPI
    draft: Publication

    @property
    def programme_slug(self) -> str:
        return self.cast.programme.slug

    def kwargs(self) -> dict[str, str]:
        return {"programme": self.cast.programme.slug, "city": self.publication.slug}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English: a request to /pl/... leaves Polish active in the thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def public(roadmap: RoadmapCast) -> PublicCast:
    cast = roadmap.cast
    theme = cast.city_a.track
    assert theme is not None
    indicator = Indicator.objects.create(
        programme=cast.programme,
        theme=theme,
        key="energy-public-buildings",
        name="Energy use of public buildings",
        definition="Energy the city's own buildings use in a year.",
        unit="MWh",
        direction="down",
        sdg_target="7.3",
    )
    KPI.objects.filter(pk=roadmap.kpi.pk).update(indicator=indicator)
    hidden = KPI.objects.create(
        city=cast.city_a,
        name="Unpublished secret indicator",
        unit="%",
        direction="up",
        baseline_value=Decimal(10),
        baseline_date=roadmap.kpi.baseline_date,
        baseline_source="Internal",
        target_value=Decimal(20),
        target_date=roadmap.kpi.target_date,
    )
    Measurement.objects.create(
        kpi=hidden, date=roadmap.kpi.baseline_date + dt.timedelta(days=40), value=Decimal(12), source="Internal"
    )
    by = cast.person("rep_a")
    publication = actions.save_settings(
        city=cast.city_a,
        settings=actions.Settings(
            slug="alphaville",
            default_language="pt",
            languages=["en"],
            roadmap_language="en",
            introduction={"pt": "Alphaville quer poupar energia.", "en": "Alphaville wants to save energy."},
            next_update_on=dt.date(2027, 3, 1),
            kpis=[roadmap.kpi],
            actions=[roadmap.owned],
        ),
        by=by,
    )
    publication = actions.publish(publication=publication, by=by)
    draft = actions.save_settings(
        city=cast.city_b,
        settings=actions.Settings(slug="betatown", default_language="de"),
        by=cast.person("rep_b"),
    )
    return PublicCast(cast, roadmap, publication, hidden, draft)
