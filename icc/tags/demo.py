"""Demo TAGs, a cross-city lab and award nominations, formed the way a programme office would.

Mentor capacities cover every theme's core cities; each core city names three mentors;
the optimiser forms the TAGs, which are adopted; mentors propose topics and the cities
vote; past sessions have commitments and follow-ups. Derived from the cities' names, so a
second run changes nothing; an edition that already has TAGs is left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from django.db import transaction
from django.utils import timezone

from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, Role, RoleKind
from icc.programmes.models import Programme
from icc.tags import formation
from icc.tags.models import (
    Award,
    Commitment,
    CommitmentStatus,
    Lab,
    MentorCapacity,
    MentorPreference,
    Nomination,
    PairingRule,
    Pick,
    Project,
    RuleKind,
    Session,
    SessionKind,
    Tag,
    Topic,
    TopicVote,
    UseCase,
    Vote,
)

TOPICS = {
    "green-economy": ("Energy communities", "Retrofitting public buildings", "Local green deals with SMEs"),
    "citizen-participation": ("Participatory budgeting", "Once-only digital services", "Open data reuse"),
    "skills": ("Digital skills for SMEs", "Green jobs", "Keeping young talent"),
    "supply-chains": ("Last-mile logistics", "Local supplier networks", "Freight data"),
    "tourism": ("Visitor flows", "Sustainable stays", "Digital tools for small firms"),
}
USE_CASES = ("Smart streetlights", "Mobility data platform", "Energy monitoring of buildings", "Citizen app")
# What a city's lab project does, by topic; "{city}" is the city's name.
PROJECT_WORK = {
    "Energy communities": "{city} helps residents of two districts set up energy communities that share rooftop solar",
    "Retrofitting public buildings": "{city} retrofits its schools and sports halls, starting with the twelve that "
    "use the most heat",
    "Local green deals with SMEs": "{city} signs local green deals in which small firms commit to cut waste and "
    "emissions in return for advice and faster permits",
    "Participatory budgeting": "{city} lets residents propose and vote on how a share of the district budgets is spent",
    "Once-only digital services": "{city} links its registers so residents give the same information to the city "
    "only once",
    "Open data reuse": "{city} opens its mobility, budget and permit data and runs challenges for firms that reuse it",
    "Digital skills for SMEs": "{city} runs a voucher scheme that pays for digital-skills training in small shops "
    "and workshops",
    "Green jobs": "{city} trains jobseekers as heat-pump installers and energy advisers with the local vocational "
    "school",
    "Keeping young talent": "{city} matches graduates of its university with paid placements in local firms",
    "Last-mile logistics": "{city} tests a micro-hub in the old town from which parcels go out by cargo bike",
    "Local supplier networks": "{city} maps local suppliers so its large employers and the city itself can buy nearby",
    "Freight data": "{city} collects delivery and loading-bay data to plan freight access in the centre",
    "Visitor flows": "{city} counts visitors with anonymous sensors and spreads them over more sites and seasons",
    "Sustainable stays": "{city} awards a green label to hotels and guesthouses that cut water and energy use",
    "Digital tools for small firms": "{city} helps small tourism firms take bookings and payments online",
}
PARTNERS = (
    "with the chamber of commerce and two business associations",
    "with the regional energy agency and a housing cooperative",
    "with the university and a local start-up hub",
    "with neighbourhood associations and the city's IT department",
    "with the port authority and three logistics firms",
    "with the tourism board and the regional development agency",
)
LEARNT = (
    "So far it has learnt that a named contact in each department matters more than the budget.",
    "The first pilot showed that people take part when the results are shown back to them quickly.",
    "Getting partners to share data took longer than building the tools.",
    "A small first phase won the council's support for scaling up next year.",
    "Procurement rules slowed the start; a framework contract now saves months.",
)


def _project_description(city: City, topic: str) -> str:
    work = PROJECT_WORK.get(topic, "{city} works on " + topic.lower()).format(city=city.name)
    partners = PARTNERS[_number(city.name, "partners") % len(PARTNERS)]
    learnt = LEARNT[_number(city.name, "learnt") % len(LEARNT)]
    return f"{work}, {partners}. {learnt}"


def _number(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


@transaction.atomic
def record_demo_tags(*, programme: Programme, today: dt.date | None = None) -> int:
    """Form the edition's TAGs and give them a history. Returns how many TAGs were formed."""
    if Tag.objects.filter(programme=programme).exists():
        return 0
    today = today or timezone.localdate()
    core = list(City.objects.filter(programme=programme, type__in=formation.CORE).select_related("track"))
    mentors = list(City.objects.filter(programme=programme, type__in=formation.MENTORS).select_related("track"))
    if not core or not mentors:
        return 0
    demand: dict[int | None, int] = {}
    for city in core:
        demand[city.track_id] = demand.get(city.track_id, 0) + 1
    for mentor in mentors:
        own = [m for m in mentors if m.track_id == mentor.track_id]
        needed = math.ceil(demand.get(mentor.track_id, 0) / 6)
        MentorCapacity.objects.update_or_create(
            city=mentor, defaults={"tags": max(1, math.ceil(needed / len(own)) + (_number(mentor.name) % 2))}
        )
    for city in core:
        same = sorted((m for m in mentors if m.track_id == city.track_id), key=lambda m: _number(city.name, m.name))
        others = sorted((m for m in mentors if m.track_id != city.track_id), key=lambda m: _number(city.name, m.name))
        ranked = (same + others)[:3] if _number(city.name, "pref") % 4 else (others[:1] + same + others[1:])[:3]
        MentorPreference.objects.bulk_create(
            MentorPreference(city=city, mentor=mentor, rank=rank) for rank, mentor in enumerate(ranked, start=1)
        )
    _pin_demo_mentor(core, mentors)
    run = formation.run(programme=programme, min_size=5, max_size=7, by=None)
    if run.status == "infeasible":
        return 0
    count = formation.adopt(run=run, by=None)
    for tag in Tag.objects.filter(programme=programme).select_related("theme", "mentor"):
        _tag_history(tag, today)
    _lab(programme, core)
    _awards(programme, core, mentors)
    return count


def _pin_demo_mentor(core: list[City], mentors: list[City]) -> None:
    """The demo mentor sign-in's city (Aarhus) leads a TAG: the city that ranks it highest is pinned to it."""
    signed_in = Role.objects.filter(person__email=PERSONA_EMAILS["mentor"], kind=RoleKind.MENTOR_REP)
    mentor = next((m for m in mentors if m.pk in set(signed_in.values_list("city_id", flat=True))), None)
    if mentor is None:
        return
    ranked = MentorPreference.objects.filter(mentor=mentor, city__in=core).order_by("rank", "city__name")
    same_theme = [c for c in core if c.track_id == mentor.track_id]
    city = next((p.city for p in ranked.select_related("city")), None) or (same_theme or core)[0]
    PairingRule.objects.get_or_create(city=city, mentor=mentor, defaults={"kind": RuleKind.PIN})


def _tag_history(tag: Tag, today: dt.date) -> None:
    members = [m.city for m in tag.memberships.select_related("city")]
    titles = TOPICS.get(tag.theme.slug if tag.theme else "", ("Data", "Funding", "Procurement"))
    topics = [Topic.objects.create(tag=tag, title=title) for title in titles[:2]]
    if any(s.starts_at.date() < today for s in tag.sessions.all()):
        TopicVote.objects.bulk_create(
            TopicVote(tag=tag, city=city, topic=topics[_number(city.name, "topic") % 2]) for city in members
        )
        Topic.objects.filter(pk=max(topics, key=lambda t: (t.votes.count(), -t.pk)).pk).update(chosen=True)
    past = list(tag.sessions.filter(kind=SessionKind.WORKING, starts_at__date__lt=today).order_by("starts_at"))
    for index, session in enumerate(past):
        Commitment.objects.bulk_create(
            Commitment(session=session, city=city, text=f"Share {city.name}'s progress on {topics[0].title.lower()}")
            for city in members
        )
        if index + 1 < len(past):
            following: Session = past[index + 1]
            for commitment in session.commitments.all():
                outcome = [CommitmentStatus.DONE, CommitmentStatus.PARTLY, CommitmentStatus.NOT_DONE][
                    _number(commitment.city.name, str(session.number)) % 3
                ]
                Commitment.objects.filter(pk=commitment.pk).update(status=outcome, followed_up_in=following)


def _lab(programme: Programme, core: list[City]) -> None:
    implementation = programme.phases.filter(key="implementation").first()
    held = (implementation.starts_on if implementation else programme.starts_on) + dt.timedelta(days=214)
    lab = Lab.objects.create(
        programme=programme,
        title="Second cross-city lab",
        held_on=held,
        picks_close_on=held - dt.timedelta(days=10),
    )
    bringing = [c for c in core if c.track and _number(c.name, "lab") % 3 != 0]
    projects = []
    for city in bringing:
        topics = TOPICS.get(city.track.slug if city.track else "", ("Data",))
        slowest = _number(city.name, "slow") % 5 == 0
        projects.append(
            Project(
                lab=lab,
                city=city,
                title=f"{topics[_number(city.name, 'topic') % len(topics)]} in {city.name}",
                description=_project_description(city, topics[_number(city.name, "topic") % len(topics)]),
                theme=city.track,
                topic=topics[_number(city.name, "topic") % len(topics)],
                slowest=slowest,
                barriers="Procurement rules and a missing data-sharing agreement." if slowest else "",
                questions="How did others get their suppliers to share data?" if slowest else "",
            )
        )
    Project.objects.bulk_create(projects)
    saved = list(Project.objects.filter(lab=lab).select_related("city"))
    picks = []
    for city in bringing:
        peers = sorted(
            (p for p in saved if p.city_id != city.pk),
            key=lambda p: (p.theme_id != city.track_id, _number(city.name, p.title)),
        )
        picks += [Pick(lab=lab, city=city, project=p, rank=rank) for rank, p in enumerate(peers[:5], start=1)]
    Pick.objects.bulk_create(picks)
    UseCase.objects.bulk_create(
        UseCase(lab=lab, city=city, category=USE_CASES[_number(city.name, "buy") % len(USE_CASES)], description="…")
        for city in core
        if _number(city.name, "procure") % 4 == 0
    )
    formation.match_brain_dates(lab=lab, by=None)


def _awards(programme: Programme, core: list[City], mentors: list[City]) -> None:
    voters = list(
        Role.objects.filter(programme=programme, kind=RoleKind.CITY_REP).select_related("person", "city")[:60]
    )
    strategy = Nomination.objects.create(
        programme=programme, award=Award.STRATEGY, city=core[0], reason="A roadmap every department signed up to."
    )
    mentor = Nomination.objects.create(
        programme=programme, award=Award.MENTOR, city=mentors[0], reason="Prepared every session with care."
    )
    for role in voters:
        for nomination in (strategy, mentor):
            if role.city_id != nomination.city_id and _number(role.person.email, nomination.award) % 2:
                Vote.objects.get_or_create(
                    programme=programme, award=nomination.award, voter=role.person, defaults={"nomination": nomination}
                )
