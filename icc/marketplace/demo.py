"""The demo's marketplace: providers, solutions with deployments (one waiting for its
city), a mentor city's best practice, a challenge shared by another city, a city profile.

Written once; running the demo again finds the first provider and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, RoleKind
from icc.marketplace import actions
from icc.marketplace.models import Challenge, CityProfile, Provider, Review, Solution
from icc.programmes.models import Programme

SOLUTIONS: list[dict[str, Any]] = [
    {
        "name": "Adaptive street lighting",
        "provider": ("Lumenia", "sme", "ES"),
        "summary": "Street lights that dim when streets are empty and report faults on their own.",
        "functions": ["lighting", "sensing", "energy"],
        "mims": ["MIM1", "MIM2"],
        "data_models": ["Streetlight", "StreetlightControlCabinet"],
        "cost_model": "subscription",
        "sdgs": ["7.3", "11.6"],
    },
    {
        "name": "Open urban data platform",
        "provider": ("CivicStack", "company", "DE"),
        "summary": "A context broker and open data portal the city runs itself, with NGSI-LD and DCAT-AP.",
        "functions": ["data-platform", "open-data", "analytics"],
        "mims": ["MIM1", "MIM2", "MIM4"],
        "data_models": ["AirQualityObserved", "OffStreetParking"],
        "cost_model": "open-source",
        "licence": "EUPL-1.2",
        "repository": "https://example.org/civicstack/platform",
        "ngsi_ld": True,
        "sdgs": ["9.c", "16.10"],
    },
    {
        "name": "Smart parking sensors",
        "provider": ("Parko", "sme", "PT"),
        "summary": "Sensors in parking bays and a city app that guides drivers to a free one.",
        "functions": ["sensing", "mobility", "citizen-app"],
        "mims": ["MIM2"],
        "data_models": ["ParkingSpot", "OnStreetParking"],
        "cost_model": "service",
        "sdgs": ["11.2"],
    },
]


def _person(persona: str) -> Person:
    return Person.objects.get(email=PERSONA_EMAILS[persona])


@transaction.atomic
def record_demo_marketplace(*, programme: Programme) -> int:
    """The demo's marketplace content; returns how many solutions were added."""
    if Provider.objects.filter(programme=programme).exists():
        return 0
    organiser, rep, mentor = _person("organiser"), _person("city_rep"), _person("mentor")
    city = City.objects.filter(roles__person=rep, roles__kind=RoleKind.CITY_REP, programme=programme).first()
    mentor_city = City.objects.filter(
        roles__person=mentor, roles__kind=RoleKind.MENTOR_REP, programme=programme
    ).first()
    others = list(
        City.objects.filter(programme=programme)
        .exclude(pk__in=[c.pk for c in (city, mentor_city) if c])
        .order_by("name")[:6]
    )
    added = []
    for spec in SOLUTIONS:
        name, kind, country = spec["provider"]
        provider = Provider.objects.create(
            programme=programme, name=name, kind=kind, country=country, review=Review.PUBLISHED, created_by=organiser
        )
        fields = {k: v for k, v in spec.items() if k != "provider"}
        solution = Solution(programme=programme, provider=provider, **fields)
        solution = actions.save_solution(solution=solution, themes=list(programme.themes.all()[:1]), by=organiser)
        Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED, reviewed_by=organiser)
        added.append(solution)
    lights, platform, parking = added
    for n, other in enumerate(others[:4]):
        deployment = actions.claim_deployment(
            solution=lights if n % 2 == 0 else platform,
            city=other,
            started_on=dt.date(2024, 3 + n, 1),
            scale=f"{(n + 1) * 400} street lights" if n % 2 == 0 else "the whole city",
            outcome="Energy use of street lighting down by a third." if n % 2 == 0 else "42 open datasets published.",
            kpi=None,
            action=None,
            by=organiser,
        )
        actions.confirm_deployment(deployment=deployment, by=organiser)
    if city is not None:
        # Claimed by the programme team, waiting for the demo city to confirm it.
        actions.claim_deployment(
            solution=parking,
            city=city,
            started_on=dt.date(2025, 5, 1),
            scale="300 parking bays in the old town",
            outcome="",
            kpi=None,
            action=None,
            by=organiser,
        )
        profile = CityProfile(
            city=city,
            summary="A port city investing in clean mobility and open data.",
            open_data_portal="https://example.org/open-data",
            open_data_charter=True,
            platforms="FIWARE context broker; CKAN open data portal",
            mims=["MIM1", "MIM2"],
            procurement="Innovation partnerships and pre-commercial procurement through the city's procurement office.",
            procurement_contact="procurement@example.org",
            tenders="Smart parking guidance, second half of the year.",
        )
        actions.save_profile(profile=profile, by=rep)
        CityProfile.objects.filter(pk=profile.pk).update(review=Review.PUBLISHED, reviewed_by=organiser)
        challenge = Challenge(
            city=city,
            title="Our street lights burn all night",
            context="Street lighting is a fifth of the city's electricity bill, and most streets are empty after midnight.",
            theme=programme.themes.first(),
            functions=["lighting", "energy"],
            data_models=["Streetlight"],
            sdgs=["7.3"],
            budget_min=200_000,
            budget_max=600_000,
            needed_by=dt.date(2026, 12, 31),
        )
        actions.save_challenge(challenge=challenge, by=rep)
        Challenge.objects.filter(pk=challenge.pk).update(review=Review.PUBLISHED, reviewed_by=organiser)
        if others:
            challenge.shared_by.add(others[-1])
    if mentor_city is not None:
        provider = Provider.objects.create(
            programme=programme,
            name=mentor_city.name,
            kind="city",
            country=mentor_city.country,
            city=mentor_city,
            review=Review.PUBLISHED,
            created_by=mentor,
        )
        practice = Solution(
            programme=programme,
            provider=provider,
            city=mentor_city,
            name="Citizen reporting app",
            summary="Residents report broken lights, potholes and litter; each report reaches the right team.",
            functions=["citizen-app", "gis"],
            cost_model="open-source",
            licence="MIT",
        )
        practice = actions.save_solution(solution=practice, themes=[], by=mentor)
        actions.claim_deployment(
            solution=practice,
            city=mentor_city,
            started_on=dt.date(2022, 9, 1),
            scale="the whole city, 12,000 reports a year",
            outcome="Three days to fix a report instead of eleven.",
            kpi=None,
            action=None,
            by=mentor,
        )
        actions.submit(item=practice, by=mentor)  # waits in the review queue
    return len(added)
