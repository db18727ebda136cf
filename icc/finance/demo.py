"""The demo edition's funding catalogue, its matches and two applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import Role
from icc.finance import matched
from icc.finance.models import Application, ApplicationStatus, Call, SavedSearch
from icc.programmes.models import Programme
from icc.roadmaps.models import Action

# identifier, funding programme, call, topic, days open already, days to deadline, rate, min, max, theme slots, city types, countries
CALLS = [
    (
        "HORIZON-MISS-2027-CIT-02",
        "Horizon Europe",
        "Positive clean energy districts in climate-neutral cities",
        "Mission on climate-neutral and smart cities: demonstrating districts that produce more energy than they use",
        30,
        120,
        100,
        2_000_000,
        6_000_000,
        (0, 1),
        "",
        "",
    ),
    (
        "HORIZON-CL5-2027-D6-05",
        "Horizon Europe",
        "Zero-emission urban logistics living labs",
        "Cluster 5: last-mile delivery, consolidation centres and data sharing between carriers and cities",
        10,
        160,
        100,
        1_000_000,
        4_000_000,
        (1,),
        "",
        "",
    ),
    (
        "DIGITAL-2027-CLOUD-AI-07",
        "Digital Europe",
        "Local digital twins towards the CitiVERSE",
        "Interoperable local digital twins on the data space for smart communities",
        20,
        95,
        50,
        100_000,
        3_000_000,
        (2, 0),
        "eu-core eu-mentor",
        "",
    ),
    (
        "DIGITAL-2027-SKILLS-04",
        "Digital Europe",
        "Advanced digital skills for public administrations",
        "Training civil servants in data, AI and cybersecurity",
        5,
        70,
        50,
        50_000,
        1_500_000,
        (2,),
        "",
        "",
    ),
    (
        "LIFE-2027-CET-LOCAL",
        "LIFE",
        "Technical assistance for local clean energy transition",
        "Project development assistance turning sustainable energy plans into investment",
        40,
        150,
        95,
        60_000,
        1_750_000,
        (0,),
        "",
        "",
    ),
    (
        "LIFE-2027-SAP-CLIMA-ADAPT",
        "LIFE",
        "Climate adaptation in urban areas",
        "Nature-based solutions against heat and flooding",
        15,
        200,
        60,
        1_000_000,
        5_000_000,
        (0, 3),
        "",
        "",
    ),
    (
        "ERDF-PT-NORTE-2027-12",
        "ERDF",
        "Norte 2030: smart and sustainable urban mobility",
        "Regional programme support for urban mobility plans and clean public transport",
        10,
        80,
        85,
        50_000,
        4_000_000,
        (1,),
        "eu-core",
        "PT",
    ),
    (
        "INTERREG-EUROPE-2027-5",
        "Interreg Europe",
        "Fifth call for interregional cooperation projects",
        "Policy learning between regions and cities on innovation, green and social priorities",
        25,
        110,
        80,
        100_000,
        2_000_000,
        (0, 1, 2, 3),
        "",
        "",
    ),
    (
        "CEF-T-2027-URBAN-NODES",
        "Connecting Europe Facility",
        "Urban nodes of the trans-European transport network",
        "Multimodal hubs, sustainable urban mobility planning and data for urban nodes",
        35,
        140,
        50,
        1_000_000,
        20_000_000,
        (1,),
        "eu-core eu-mentor",
        "",
    ),
    (
        "EUI-IA-2027-03",
        "European Urban Initiative",
        "Innovative actions: sustainable tourism and culture",
        "Testing bold solutions for urban challenges with a city-led partnership",
        20,
        60,
        80,
        1_000_000,
        5_000_000,
        (3, 2),
        "eu-core",
        "",
    ),
]


def record_demo_finance(programme: Programme) -> list[Call]:
    """A catalogue of calls from real EU programmes, the matches computed, two applications."""
    today = timezone.localdate()
    themes = list(programme.themes.all())
    made = []
    for identifier, funder, title, topic, opened, due, rate, low, high, slots, types, countries in CALLS:
        call, _created = Call.objects.update_or_create(
            programme=programme,
            identifier=identifier,
            defaults={
                "funding_programme": funder,
                "title": title,
                "topic": topic,
                "opens_on": today - dt.timedelta(days=opened),
                "deadline": today + dt.timedelta(days=due),
                "co_funding_rate": rate,
                "min_amount": Decimal(low),
                "max_amount": Decimal(high),
                "city_types": types,
                "countries": countries,
                "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/",
                "version": 1,
            },
        )
        if themes:
            call.themes.set([themes[slot % len(themes)] for slot in slots])
        made.append(call)
    # The demo city representative's city first, so that signing in as them shows the funding line.
    rep_cities = Role.objects.filter(
        programme=programme, person__email=PERSONA_EMAILS["city_rep"], city__isnull=False
    ).values("city")
    funded = Action.objects.filter(city__programme=programme, budget__gt=0).select_related("city")
    actions = list(funded.filter(city__in=rep_cities).order_by("pk")[:2]) or list(funded.order_by("pk")[:2])
    for action, call, status in zip(
        actions, made[4:6], (ApplicationStatus.AWARDED, ApplicationStatus.APPLIED), strict=False
    ):
        if Application.objects.filter(action=action, call=call).exists():
            continue
        requested = min(action.budget or Decimal(0), call.max_amount or Decimal(0)) / 2
        Application.objects.create(
            city=action.city,
            action=action,
            call=call,
            amount_requested=requested.quantize(Decimal("0.01")),
            status=status,
            amount_secured=(requested * Decimal("0.8")).quantize(Decimal("0.01"))
            if status == ApplicationStatus.AWARDED
            else None,
            applied_on=today - dt.timedelta(days=60),
            decided_on=today - dt.timedelta(days=7) if status == ApplicationStatus.AWARDED else None,
            note="Prepared with the access to finance experts' review of the budget."
            if status == ApplicationStatus.AWARDED
            else "",
            version=1,
        )
    rep_role = (
        Role.objects.filter(programme=programme, person__email=PERSONA_EMAILS["city_rep"], city__isnull=False)
        .select_related("person", "city__track")
        .first()
    )
    if rep_role is not None and rep_role.city is not None and rep_role.city.track is not None:
        SavedSearch.objects.get_or_create(
            person=rep_role.person,
            programme=programme,
            name=f"{rep_role.city.track.name}: calls open to {rep_role.city.country}",
            defaults={"filters": {"theme": rep_role.city.track_id, "country": rep_role.city.country}, "alerts": True},
        )
    matched.recompute(programme_id=programme.pk)
    return made
