"""Benchmark: scoring every assessment of a cohort, and rendering the comparison views.

    .venv/bin/python benchmarks/assessments.py              # 136 cities, 20 survey answers each
    .venv/bin/python benchmarks/assessments.py --cities 300

In a fresh SQLite database under benchmarks/.work/ (or the one DATABASE_URL names,
emptied first), every city gets a submitted thematic scan, 20 anonymous local-enablers
answers and its track's indicator values. Then it measures scoring every scan, computing
every survey's results and every peer comparison, and rendering each comparison page
once. Each line: wall time, SQL queries, peak memory Python allocated, process peak RSS.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import measure, setup_django


def make_cohort(size: int, answers_per_survey: int) -> Any:
    import datetime as dt

    from icc.accounts.models import Person
    from icc.assessments.actions import load_default_instruments
    from icc.assessments.indicators import load_indicator_library
    from icc.assessments.models import (
        Answer,
        Indicator,
        IndicatorValue,
        InstrumentKind,
        Question,
        Response,
        SatAnswer,
        SatCampaign,
        SatResponse,
    )
    from icc.cities.models import City, Role, RoleKind
    from icc.programmes.actions import create_programme

    programme = create_programme(name="Benchmark edition", slug="bench", first_month=dt.date(2025, 9, 1))
    themes = list(programme.themes.all())
    City.objects.bulk_create(
        City(
            programme=programme,
            name=f"City {n:04d}",
            country="DE",
            time_zone="Europe/Berlin",
            track=themes[n % len(themes)],
            population=50_000 + (n * 7919) % 900_000,
        )
        for n in range(size)
    )
    cities = list(City.objects.filter(programme=programme))
    instruments = load_default_instruments(programme=programme)
    load_indicator_library(programme=programme)
    scan = next(i for i in instruments if i.kind == InstrumentKind.SCAN)
    enablers = next(i for i in instruments if i.kind == InstrumentKind.ENABLERS)
    scan_questions = list(Question.objects.filter(section__instrument=scan))
    survey_questions = list(Question.objects.filter(section__instrument=enablers))
    indicators = list(Indicator.objects.filter(programme=programme))
    for n, city in enumerate(cities):
        response = Response.objects.create(instrument=scan, city=city, status="submitted")
        Answer.objects.bulk_create(
            Answer(response=response, question=q, value=1 + (n + i) % 5) for i, q in enumerate(scan_questions)
        )
        campaign = SatCampaign.objects.create(instrument=enablers, city=city, closes_on=dt.date(2026, 1, 31))
        sheets = SatResponse.objects.bulk_create(SatResponse(campaign=campaign) for _ in range(answers_per_survey))
        SatAnswer.objects.bulk_create(
            SatAnswer(
                response=sheet, question=q, value="funding and broadband" if q.type == "text" else 1 + (r + i) % 5
            )
            for r, sheet in enumerate(sheets)
            for i, q in enumerate(survey_questions)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                city=city, indicator=ind, value=10 + (n * 13 + i) % 50, year=2025, source="bench", submitted=True
            )
            for i, ind in enumerate(indicators)
            if ind.theme_id == city.track_id
        )
    organiser = Person.objects.create_user(email="organiser@bench.example", full_name="Organiser")
    Role.objects.create(person=organiser, programme=programme, kind=RoleKind.PROGRAMME_TEAM)
    return cities, scan, organiser


def run(size: int, answers_per_survey: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from icc.assessments import indicators, survey
    from icc.assessments.models import Response, SatCampaign
    from icc.assessments.results import scan_result

    print(f"\n{size} cities, {answers_per_survey} anonymous survey answers each", flush=True)
    started = time.perf_counter()
    cities, scan, organiser = make_cohort(size, answers_per_survey)
    print(f"  (cohort built in {time.perf_counter() - started:.1f} s)", flush=True)
    responses = list(Response.objects.filter(instrument=scan).select_related("instrument", "city"))
    campaigns = list(SatCampaign.objects.select_related("instrument", "city"))
    measure(
        "score every thematic scan", lambda: f"{sum(len(scan_result(r)['ranking']) for r in responses)} themes ranked"
    )
    measure(
        "results of every stakeholder survey", lambda: f"{sum(1 for c in campaigns if survey.results(c))} surveys shown"
    )
    measure(
        "peer comparison of every city",
        lambda: (
            f"{sum(len(indicators.comparison(c, indicators.indicators_for(c), 'baseline', viewer=None)) for c in cities)} rows"
        ),
    )
    client = Client()
    client.force_login(organiser)
    city = cities[0]
    pages = {
        "render the scan result": reverse(
            "assessments:result", kwargs={"pk": city.pk, "instrument_pk": scan.pk, "round": "baseline"}
        ),
        "render the survey results": reverse("assessments:survey_manage", kwargs={"pk": city.pk, "round": "baseline"}),
        "render the peer comparison": reverse("assessments:peers", kwargs={"pk": city.pk}),
        "render baseline against re-run": reverse(
            "assessments:compare", kwargs={"pk": city.pk, "instrument_pk": scan.pk}
        ),
    }
    for label, url in pages.items():
        client.get(url)

        def render(url: str = url) -> str:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return f"{len(response.content) // 1024} KiB"

        measure(label, render)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=136)
    parser.add_argument("--answers", type=int, default=20, help="anonymous survey answers per city")
    args = parser.parse_args()
    setup_django(f"assessments-{args.cities}")
    run(args.cities, args.answers)


if __name__ == "__main__":
    main()
