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
    Pick,
    Project,
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
    run = formation.run(programme=programme, min_size=5, max_size=7, by=None)
    if run.status == "infeasible":
        return 0
    count = formation.adopt(run=run, by=None)
    for tag in Tag.objects.filter(programme=programme).select_related("theme", "mentor"):
        _tag_history(tag, today)
    _lab(programme, core)
    _awards(programme, core, mentors)
    return count


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
                description="What the city is doing, with whom, and what it has learnt so far.",
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
