"""The demo's marketplace: providers, solutions with deployments (one waiting for its
city), a mentor city's best practice, a challenge shared by another city, a city profile;
and its governance: the challenge taken to a cross-city lab as a joint-procurement group
with a market consultation open, a second challenge the demo city can take further itself,
someone acting for a provider (``provider@icc.example``), the mentor as an editor, a
duplicate waiting to be merged, a logo and a screenshot.

Written once; running the demo again finds the first provider (and the first
consultation) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.demo import DEMO_PASSWORD, PERSONA_EMAILS
from icc.cities.models import City, RoleKind
from icc.marketplace import actions
from icc.marketplace.models import (
    Challenge,
    CityProfile,
    MarketConsultation,
    ProcurementModel,
    Provider,
    ProviderMember,
    Review,
    Screenshot,
    Solution,
)
from icc.programmes.models import Programme
from icc.tags.models import Lab

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
    added = _record_content(programme)
    record_demo_governance(programme=programme)
    return added


def _record_content(programme: Programme) -> int:
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


PROVIDER_PERSON = ("provider@icc.example", "Lucía Lumenia")


def _picture(width: int, height: int, colours: tuple[tuple[int, int, int], ...]) -> bytes:
    """A PNG of vertical bands of ``colours``: the demo's logo and screenshot."""
    band = max(1, width // len(colours))
    row = b"".join(bytes(colours[min(x // band, len(colours) - 1)]) for x in range(width))
    raw = b"".join(b"\x00" + row for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@transaction.atomic
def record_demo_governance(*, programme: Programme) -> bool:
    """What the demo shows of the marketplace's governance; False when it is there already."""
    if MarketConsultation.objects.filter(challenge__city__programme=programme).exists():
        return False
    challenge = Challenge.objects.filter(city__programme=programme, review=Review.PUBLISHED).first()
    lights = Solution.objects.filter(programme=programme, name="Adaptive street lighting").first()
    if challenge is None or lights is None:
        return False
    organiser, rep, mentor = _person("organiser"), _person("city_rep"), _person("mentor")
    today = timezone.localdate()
    lab = Lab.objects.filter(programme=programme, held_on__gte=today).order_by("held_on").first()
    lab = lab or Lab.objects.filter(programme=programme).order_by("-held_on").first()
    if lab is not None and challenge.shared_by.exists():
        actions.form_procurement_group(challenge=challenge, lab=lab, model=ProcurementModel.LEAD_BUYER, by=rep)
    consultation = actions.open_consultation(
        challenge=challenge,
        question="How would your solution dim our 9,000 street lights by presence, and what would it cost a year?",
        closes_on=today + dt.timedelta(days=30),
        by=rep,
    )
    # Someone of Lumenia, invited by the demo city's team, answers it.
    email, name = PROVIDER_PERSON
    person = Person.objects.filter(email=email).first() or Person.objects.create_user(email=email, full_name=name)
    if not person.has_usable_password():
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
    ProviderMember.objects.get_or_create(
        provider=lights.provider, person=person, defaults={"city": challenge.city, "invited_by": rep}
    )
    actions.respond_to_consultation(
        consultation=consultation,
        solution=lights,
        note="Presence sensors on every third pole; lights dim to 20% on empty streets. "
        "A subscription per light point, maintenance included.",
        by=person,
    )
    # A second need the demo city can take further itself.
    schools = Challenge(
        city=challenge.city,
        title="Schools that heat empty classrooms",
        context="Our 30 schools heat every room all day, whether pupils are in them or not.",
        theme=challenge.theme,
        functions=["energy", "sensing"],
        sdgs=["7.3"],
        budget_min=100_000,
        budget_max=400_000,
        needed_by=today + dt.timedelta(days=365),
    )
    actions.save_challenge(challenge=schools, by=rep)
    Challenge.objects.filter(pk=schools.pk).update(review=Review.PUBLISHED, reviewed_by=organiser)
    schools.shared_by.set(challenge.shared_by.all())
    # The mentor reviews with the programme team.
    actions.appoint_editor(programme=programme, person=mentor, by=organiser)
    # The demo city described Lumenia's solution again: the reviewers see a duplicate to merge.
    Solution.objects.create(
        programme=programme,
        provider=lights.provider,
        city=challenge.city,
        name="Adaptive Street Lighting",
        summary="The street lights of our old town dim when nobody is there.",
        functions=["lighting"],
        cost_model=lights.cost_model,
        review=Review.SUBMITTED,
        created_by=rep,
    )
    logo = _picture(240, 80, ((245, 178, 0), (28, 56, 92)))
    actions.set_logo(provider=lights.provider, upload=ContentFile(logo, name="lumenia.png"), by=person)
    screen = _picture(640, 400, ((28, 56, 92), (238, 242, 246), (238, 242, 246), (245, 178, 0)))
    shot = Screenshot(
        solution=lights,
        caption="The map of the street lights, each coloured by how far it is dimmed",
        content_type="image/png",
        width=640,
        height=400,
        size=len(screen),
        added_by=person,
    )
    shot.file.save("screen.png", ContentFile(screen), save=False)
    shot.save()  # demo content, published with the solution
    return True
