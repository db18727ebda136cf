"""The cast every test can call on: one edition, its cities, and a persona for each role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from pytest_django import Settings

from icc.accounts.models import Person
from icc.cities.models import City, CityType, Organisation, RoleKind
from icc.programmes.models import Programme
from tests.factories import CityFactory, OrganisationFactory, PersonFactory, give_role, make_programme

if TYPE_CHECKING:
    from icc.assessments.models import Response
    from icc.journey.models import Event, FollowUp, Milestone, Submission
    from icc.roadmaps.models import KPI, Action, Opportunity, Solution
    from icc.tags.models import BrainDate, FormationRun, Lab, Session, Tag


@dataclass
class Cast:
    programme: Programme
    city_a: City
    city_b: City
    mentor_city: City
    organisation_a: Organisation
    people: dict[str, Person | None]

    def person(self, persona: str) -> Person:
        """The signed-in person behind a persona; only ``anonymous`` has none."""
        person = self.people[persona]
        if person is None:
            raise LookupError(f"persona {persona!r} is anonymous")
        return person

    def client_for(self, persona: str) -> Client:
        client = Client()
        person = self.people[persona]
        if person is not None:
            client.force_login(person)
        return client


PERSONAS = [
    "organiser",
    "lead_expert",
    "thematic_expert",
    "transversal_expert",
    "rep_a",
    "rep_b",
    "mayor_a",
    "mentor",
    "stakeholder",
    "outsider",
    "anonymous",
]


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Settings) -> Path:
    """Uploaded files of a test go to its own temporary folder."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    return media


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Rate-limit counters and other cached values do not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def programme(db: None) -> Programme:
    return make_programme()


@pytest.fixture
def cast(programme: Programme) -> Cast:
    themes = list(programme.themes.all())
    city_a = CityFactory.create(programme=programme, name="Alphaville", country="PT", track=themes[0])
    city_b = CityFactory.create(programme=programme, name="Betatown", country="DE", track=themes[1])
    mentor_city = CityFactory.create(
        programme=programme, name="Mentorburg", country="DK", type=CityType.EU_MENTOR, track=themes[0]
    )
    organisation_a = OrganisationFactory.create(city=city_a, name="Alphaville Innovation Hub")
    people: dict[str, Person | None] = {
        name: PersonFactory.create(email=f"{name}@example.org") for name in PERSONAS[:-1]
    }
    people["anonymous"] = None
    cast = Cast(programme, city_a, city_b, mentor_city, organisation_a, people)
    give_role(cast.person("organiser"), RoleKind.PROGRAMME_TEAM, programme)
    give_role(cast.person("lead_expert"), RoleKind.LEAD_EXPERT, programme, city=city_a)
    give_role(cast.person("thematic_expert"), RoleKind.THEMATIC_EXPERT, programme, theme=themes[0])
    give_role(
        cast.person("transversal_expert"), RoleKind.TRANSVERSAL_EXPERT, programme, service=programme.services.first()
    )
    give_role(cast.person("rep_a"), RoleKind.CITY_REP, programme, city=city_a)
    give_role(cast.person("rep_b"), RoleKind.CITY_REP, programme, city=city_b)
    give_role(cast.person("mayor_a"), RoleKind.MAYOR, programme, city=city_a)
    give_role(cast.person("mentor"), RoleKind.MENTOR_REP, programme, city=mentor_city)
    give_role(cast.person("stakeholder"), RoleKind.STAKEHOLDER, programme, city=city_a, organisation=organisation_a)
    return cast


@dataclass
class JourneyCast:
    """The cast with the default journey template installed and a little history."""

    cast: Cast
    event_a: Event
    milestone: Milestone
    submission_a: Submission
    follow_up_a: FollowUp


@pytest.fixture
def journey(cast: Cast) -> JourneyCast:
    from django.core.files.base import ContentFile

    from icc.journey.actions import generate_schedules, install_template
    from icc.journey.demo import DEMO_PDF
    from icc.journey.models import Event, FollowUp, Milestone, Submission

    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme, cities=[cast.city_a])
    event_a = Event.objects.filter(city=cast.city_a).order_by("starts_at").first()
    milestone = Milestone.objects.filter(deliverable_type__programme=cast.programme).order_by("due_on").first()
    assert event_a is not None and milestone is not None, "the default template schedules events and milestones"
    submission = Submission(
        city=cast.city_a,
        milestone=milestone,
        number=1,
        original_name="report.pdf",
        size=len(DEMO_PDF),
        submitted_by=cast.person("rep_a"),
    )
    submission.document.save("report.pdf", ContentFile(DEMO_PDF), save=False)
    submission.save()
    follow_up = FollowUp.objects.create(
        event=event_a,
        city=cast.city_a,
        text="Send the map",
        owner=cast.person("rep_a"),
        due_on=event_a.starts_at.date(),
    )
    return JourneyCast(cast, event_a, milestone, submission, follow_up)


@pytest.fixture
def assessment(cast: Cast) -> Response:
    """The shipped instruments, with a submitted baseline scan for city A."""
    from icc.assessments.actions import load_default_instruments, save_response
    from icc.assessments.models import Response

    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.key == "thematic-scan")
    response = Response(instrument=instrument, city=cast.city_a, round="baseline")
    section = instrument.sections.first()
    first = section.questions.first() if section is not None else None
    assert first is not None, "the thematic scan has questions"
    save_response(response=response, values={first.pk: (3, False)}, submit=True, by=cast.person("rep_a"))
    return response


@dataclass
class RoadmapCast:
    """City A with a strategy, an opportunity, two actions and a measured KPI.

    ``owned`` belongs to the stakeholder's organisation; ``draft`` to the city
    representative, so the stakeholder must not see it.
    """

    cast: Cast
    opportunity: Opportunity
    kpi: KPI
    owned: Action
    draft: Action
    solution: Solution


@pytest.fixture
def roadmap(cast: Cast) -> RoadmapCast:
    import datetime as dt
    from decimal import Decimal

    from icc.roadmaps.models import KPI, Action, Measurement, Opportunity, Solution, Strategy, StrategyVersion

    city = cast.city_a
    cycle = cast.programme.cycles.get(number=1)
    strategy = Strategy.objects.create(city=city, vision="A city that works for everyone", version=1)
    StrategyVersion.objects.create(strategy=strategy, number=1, vision=strategy.vision)
    solution = Solution.objects.create(city=city, name="Smart meters", priority=True)
    opportunity = Opportunity.objects.create(city=city, title="Cut energy use", need="Bills are too high", rank=1)
    kpi = KPI.objects.create(
        city=city,
        name="Energy use of public buildings",
        unit="MWh",
        direction="down",
        baseline_value=Decimal(1000),
        baseline_date=cycle.starts_on - dt.timedelta(days=60),
        baseline_source="Energy agency",
        target_value=Decimal(800),
        target_date=cycle.starts_on + dt.timedelta(days=700),
        frequency="monthly",
        version=1,
    )
    Measurement.objects.create(kpi=kpi, date=cycle.starts_on, value=Decimal(990), source="Meters")
    common = {"city": city, "opportunity": opportunity, "cycle": cycle, "version": 1}
    owned = Action.objects.create(
        title="Audit public buildings",
        owner_organisation=cast.organisation_a,
        starts_on=cycle.starts_on,
        ends_on=cycle.starts_on + dt.timedelta(days=60),
        budget=Decimal(20000),
        **common,
    )
    draft = Action.objects.create(
        title="Secret retrofit plan",
        owner_person=cast.person("rep_a"),
        starts_on=cycle.starts_on + dt.timedelta(days=30),
        ends_on=cycle.ends_on,
        budget=Decimal(50000),
        **common,
    )
    owned.kpis.add(kpi)
    draft.kpis.add(kpi)
    owned.solutions.add(solution)
    return RoadmapCast(cast, opportunity, kpi, owned, draft, solution)


@dataclass
class TagsCast:
    """City A and city B in a TAG led by the mentor city, with sessions; a lab with a brain date; a run."""

    cast: Cast
    tag: Tag
    session: Session
    lab: Lab
    brain_date: BrainDate
    run: FormationRun


@pytest.fixture
def tags(cast: Cast) -> TagsCast:
    import datetime as dt

    from icc.journey.actions import install_template
    from icc.tags.actions import schedule_sessions
    from icc.tags.models import BrainDate, FormationRun, Lab, Membership, Tag

    install_template(programme=cast.programme)
    tag = Tag.objects.create(programme=cast.programme, number=1, mentor=cast.mentor_city, theme=cast.city_a.track)
    Membership.objects.create(tag=tag, city=cast.city_a, explanation="same theme; 1st preference")
    Membership.objects.create(tag=tag, city=cast.city_b, explanation="different theme")
    schedule_sessions(tag=tag)
    lab = Lab.objects.create(
        programme=cast.programme, title="Lab", held_on=dt.date(2026, 12, 10), picks_close_on=dt.date(2026, 12, 1)
    )
    brain_date = BrainDate.objects.create(lab=lab, number=1, explanation="Alphaville picked Betatown (1st)")
    brain_date.cities.set([cast.city_a, cast.city_b])
    run = FormationRun.objects.create(programme=cast.programme, status="infeasible", result={"problems": ["x"]})
    session = tag.sessions.first()
    assert session is not None, "schedule_sessions gives the TAG its sessions"
    return TagsCast(cast, tag, session, lab, brain_date, run)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the translation catalogues that changed, as the set-up does."""
    from icc.core.catalogues import compile_all

    compile_all()
