"""Demo responses: most cities have submitted their baseline thematic scan."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from icc.assessments.models import (
    Answer,
    Instrument,
    InstrumentKind,
    Question,
    Response,
    ResponseStatus,
    Round,
    SatAnswer,
    SatCampaign,
    SatResponse,
)
from icc.cities.models import City
from icc.cities.roles import CITY_SPEAKERS
from icc.programmes.models import Programme


def _number(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


@transaction.atomic
def record_demo_responses(*, programme: Programme) -> None:
    scans = list(Instrument.objects.filter(programme=programme, kind=InstrumentKind.SCAN))
    for instrument in scans:
        questions = list(Question.objects.filter(section__instrument=instrument).select_related("section"))
        done = set(
            Response.objects.filter(instrument=instrument, round=Round.BASELINE).values_list("city_id", flat=True)
        )
        for city in City.objects.filter(programme=programme).exclude(pk__in=done).prefetch_related("roles__person"):
            if _number(city.name, "scan") % 5 == 0:
                continue  # a few cities have not taken the scan
            rep = next((r.person for r in city.roles.all() if r.kind in CITY_SPEAKERS), None)
            response = Response.objects.create(
                instrument=instrument,
                city=city,
                round=Round.BASELINE,
                status=ResponseStatus.SUBMITTED,
                submitted_at=timezone.now(),
                submitted_by=rep,
            )
            answers = []
            for question in questions:
                n = _number(city.name, question.key)
                bias = _number(city.name, question.section.key) % 3  # each city has stronger and weaker themes
                unknown = n % 17 == 0
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        value=None if unknown else 1 + (n + bias) % 5,
                        unknown=unknown,
                    )
                )
            Answer.objects.bulk_create(answers)


@transaction.atomic
def record_demo_survey(*, programme: Programme) -> None:
    """Most cities ran the anonymous stakeholder survey at baseline; a few got too few answers to show."""
    instrument = Instrument.objects.filter(programme=programme, kind=InstrumentKind.ENABLERS).first()
    preparation = programme.phases.filter(key="preparation-assessment").first()
    if instrument is None or preparation is None:
        return
    questions = list(Question.objects.filter(section__instrument=instrument))
    remarks = [
        "Strong university and an active startup scene",
        "Funding is hard to find for pilots",
        "Broadband outside the centre is weak",
        "The city listens to startup founders",
        "Data sharing between departments is slow",
    ]
    done = set(SatCampaign.objects.filter(instrument=instrument).values_list("city_id", flat=True))
    for city in City.objects.filter(programme=programme).exclude(pk__in=done).exclude(type__endswith="mentor"):
        campaign = SatCampaign.objects.create(
            instrument=instrument, city=city, round=Round.BASELINE, closes_on=preparation.ends_on
        )
        count = 3 if _number(city.name, "sat") % 6 == 0 else 6 + _number(city.name, "sat") % 10
        for respondent in range(count):
            response = SatResponse.objects.create(campaign=campaign)
            SatAnswer.objects.bulk_create(
                SatAnswer(
                    response=response,
                    question=question,
                    value=remarks[(respondent + _number(city.name)) % len(remarks)]
                    if question.type == "text"
                    else 1 + _number(city.name, question.key, str(respondent)) % 5,
                )
                for question in questions
            )


DEMO_BASE = {
    "%": 40,
    "t CO2e per resident": 6,
    "µg/m³": 12,
    "datasets": 120,
    "jobs": 8000,
    "nights": 900000,
    "ratio": 2,
    "km²": 5,
    "t CO2e": 90000,
}


@transaction.atomic
def record_demo_indicators(*, programme: Programme) -> None:
    """Baseline values for the track indicators of most cities, submitted; a third agree to be named."""
    from icc.assessments.models import Indicator, IndicatorValue

    indicators = list(Indicator.objects.filter(programme=programme))
    done = set(
        IndicatorValue.objects.filter(indicator__programme=programme).values_list("city_id", flat=True).distinct()
    )
    for city in City.objects.filter(programme=programme, track__isnull=False).exclude(pk__in=done):
        if _number(city.name, "indicators") % 6 == 0:
            continue
        if _number(city.name, "named") % 3 == 0 and not city.named_in_comparisons:
            City.objects.filter(pk=city.pk).update(named_in_comparisons=True)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                city=city,
                indicator=indicator,
                value=round(
                    DEMO_BASE.get(indicator.unit, 10) * (50 + _number(city.name, indicator.key) % 100) / 100, 2
                ),
                year=2025,
                source="City statistics office",
                submitted=True,
            )
            for indicator in indicators
            if indicator.theme_id == city.track_id
        )
