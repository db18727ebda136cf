"""Benchmark: the daily e-mail digest of 1,500 people, built and queued by the worker's code.

    .venv/bin/python benchmarks/digest.py                 # 1,500 people, ~10 unread notices each
    .venv/bin/python benchmarks/digest.py --people 3000 --notices 20

In a fresh SQLite database under benchmarks/.work/ (or the database DATABASE_URL names,
emptied first): an edition of 136 cities in 12 TAGs, each city with a lead expert,
three representatives, a mayor and ecosystem stakeholders, until there are ``--people``
people; every city has KPIs, actions owned by its stakeholders' organisations, a
follow-up per representative, a reviewed deliverable and a post in its theme's channel;
the edition has toolbox items and TAG sessions. Every person gets ``--notices`` unread
notices of the kinds that concern their role (mixed: reviews, sign-offs, KPI updates,
sessions, follow-ups, toolbox items, mentions, actions), each about something they may
open, and chooses the daily digest. Then ``icc.inbox.digest.send_digests`` runs as the
worker's daily task runs it, with Django's in-memory mail backend: every digest is
built (access checked per person, text and HTML rendered) and handed to the backend.
A second run the same day must send nothing. Target: under 60 s for 1,500 people.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import setup_django

CITIES = 136
TAGS = 12


def build(people: int, per_person: int) -> dict[str, Any]:
    from django.utils import timezone

    from icc.accounts.models import Person
    from icc.cities.models import City, CityType, Organisation, Role, RoleKind, Sector
    from icc.inbox.models import Frequency, Kind, Notification, Subscription
    from icc.journey.actions import install_template
    from icc.journey.models import DeliverableType, Event, EventType, FollowUp, Milestone, Review, Submission
    from icc.library.models import Form, Item
    from icc.library.models import Kind as ItemKind
    from icc.programmes.actions import create_programme
    from icc.roadmaps.models import KPI, Action, Opportunity
    from icc.tags.models import Membership, Session, Tag

    programme = create_programme(name="Benchmark edition", slug="bench-digest", first_month=dt.date(2025, 9, 1))
    install_template(programme=programme)
    themes = list(programme.themes.all())
    phase = programme.phases.get(key="implementation")
    City.objects.bulk_create(
        City(programme=programme, name=f"City {n:03d}", country="DE", type=CityType.EU_CORE, track=themes[n % 4])
        for n in range(CITIES)
    )
    cities = list(City.objects.filter(programme=programme).order_by("pk"))
    mentors = City.objects.bulk_create(
        City(programme=programme, name=f"Mentor {n:02d}", country="DK", type=CityType.EU_MENTOR, track=themes[n % 4])
        for n in range(TAGS)
    )
    tags = Tag.objects.bulk_create(
        Tag(programme=programme, number=n + 1, mentor=mentors[n], theme=themes[n % 4]) for n in range(TAGS)
    )
    Membership.objects.bulk_create(Membership(tag=tags[n % TAGS], city=city) for n, city in enumerate(cities))
    tomorrow = timezone.now() + dt.timedelta(days=1)
    sessions = Session.objects.bulk_create(
        Session(
            tag=tag,
            kind="working",
            number=1,
            starts_at=tomorrow,
            ends_at=tomorrow + dt.timedelta(hours=1),
            agenda="Commitments",
        )
        for tag in tags
    )

    # People: per city a lead expert, three representatives, a mayor, then stakeholders.
    per_city = max(6, -(-people // CITIES))
    Person.objects.bulk_create(
        Person(email=f"p{n:05d}@bench.example", full_name=f"Person {n:05d}", password="!")  # noqa: S106
        for n in range(per_city * CITIES)
    )
    persons = list(Person.objects.order_by("pk").values_list("pk", flat=True))[:people]
    organisations = Organisation.objects.bulk_create(
        Organisation(city=city, name=f"Hub {city.pk}", sector=Sector.INNOVATION_HUB) for city in cities
    )
    kinds_in_order = [RoleKind.LEAD_EXPERT, RoleKind.CITY_REP, RoleKind.CITY_REP, RoleKind.CITY_REP, RoleKind.MAYOR]
    roles, who = [], {}
    for index, person in enumerate(persons):
        n, slot = divmod(index, per_city)
        city = cities[n % CITIES]
        kind = kinds_in_order[slot] if slot < len(kinds_in_order) else RoleKind.STAKEHOLDER
        organisation = organisations[n % CITIES] if kind == RoleKind.STAKEHOLDER else None
        roles.append(Role(person_id=person, programme=programme, kind=kind, city=city, organisation=organisation))
        who[person] = (kind, city)
    Role.objects.bulk_create(roles)

    # What the notices are about, per city.
    opportunities = Opportunity.objects.bulk_create(
        Opportunity(city=city, title="Cut energy use", need="Bills") for city in cities
    )
    kpis = KPI.objects.bulk_create(
        KPI(
            city=city,
            name="Energy use",
            unit="MWh",
            direction="down",
            baseline_value=1000,
            baseline_date=dt.date(2026, 1, 1),
            baseline_source="Agency",
            target_value=800,
            target_date=dt.date(2027, 12, 31),
        )
        for city in cities
    )
    actions = Action.objects.bulk_create(
        Action(
            city=city,
            opportunity=opportunity,
            title="Audit public buildings",
            owner_organisation=organisation,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 6, 30),
        )
        for city, opportunity, organisation in zip(cities, opportunities, organisations, strict=True)
    )
    event_type = EventType.objects.filter(programme=programme).first()
    events = Event.objects.bulk_create(
        Event(
            programme=programme,
            event_type=event_type,
            city=city,
            phase=phase,
            starts_at=timezone.now() - dt.timedelta(days=20),
            ends_at=timezone.now() - dt.timedelta(days=20) + dt.timedelta(hours=1),
        )
        for city in cities
    )
    reps = {p: city for p, (kind, city) in who.items() if kind == RoleKind.CITY_REP}
    follow_ups = FollowUp.objects.bulk_create(
        FollowUp(
            event=events[cities.index(city)],
            city=city,
            text="Send the map",
            owner_id=p,
            due_on=timezone.localdate() - dt.timedelta(days=3),
        )
        for p, city in reps.items()
    )
    follow_up_of = {f.owner_id: f for f in follow_ups}
    deliverable = DeliverableType.objects.create(programme=programme, key="bench", name="Report", city_types=["core"])
    milestone = Milestone.objects.create(deliverable_type=deliverable, version="Draft", due_on=dt.date(2026, 3, 1))
    first_rep: dict[int, int] = {}
    for p, city in reps.items():
        first_rep.setdefault(city.pk, p)
    submissions = Submission.objects.bulk_create(
        Submission(
            city=city, milestone=milestone, number=1, original_name="r.pdf", size=1, submitted_by_id=first_rep[city.pk]
        )
        for city in cities
        if city.pk in first_rep
    )
    lead = {city.pk: p for p, (kind, city) in who.items() if kind == RoleKind.LEAD_EXPERT}
    reviews = Review.objects.bulk_create(
        Review(submission=s, author_id=lead[s.city_id], decision="changes-requested", comment="Add maps.")
        for s in submissions
    )
    review_of = {r.submission.submitted_by_id: r for r in reviews}
    organiser = Person.objects.create_user(email="organiser@bench.example", full_name="Organiser")
    Role.objects.create(person=organiser, programme=programme, kind=RoleKind.PROGRAMME_TEAM)
    items = Item.objects.bulk_create(
        Item(programme=programme, kind=ItemKind.GUIDANCE, form=Form.LINK, title=f"Guide {n}", added_by=organiser)
        for n in range(20)
    )
    posts = _posts(programme, themes, organiser)

    # The notices: for each person, the kinds that concern their role, round robin.
    now = timezone.now()
    rows = []
    for index, (person, (kind, city)) in enumerate(who.items()):
        n = cities.index(city)
        options: list[tuple[str, int, dict[str, Any]]] = [(Kind.LIBRARY_ITEM, items[index % 20].pk, {})]
        if kind == RoleKind.STAKEHOLDER:
            options = [(Kind.ACTION_OVERDUE, actions[n].pk, {})]
        else:
            options += [
                (Kind.KPI_LATE, kpis[n].pk, {"due": "2026-11-30"}),
                (Kind.SESSION_TOMORROW, sessions[n % TAGS].pk, {}),
                (Kind.KPI_DUE, kpis[n].pk, {"due": "2026-12-31"}),
            ]
            if city.track_id in posts:
                options.append((Kind.MENTION, posts[city.track_id].pk, {}))
            if kind == RoleKind.MAYOR:
                options.append((Kind.SIGN_OFF, city.pk, {"cycle": 1}))
            if person in follow_up_of:
                options.append((Kind.FOLLOW_UP_OVERDUE, follow_up_of[person].pk, {}))
            if person in review_of:
                options.append((Kind.REVIEWED, review_of[person].pk, {}))
        for k in range(per_person):
            notice_kind, target, params = options[k % len(options)]
            rows.append(
                Notification(
                    person_id=person,
                    programme=programme,
                    kind=notice_kind,
                    target_id=target,
                    params=params,
                    created_at=now - dt.timedelta(minutes=k + 1),
                )
            )
    Notification.objects.bulk_create(rows, batch_size=2_000)
    Subscription.objects.bulk_create(Subscription(person_id=p, frequency=Frequency.DAILY) for p in who)
    return {"people": len(who), "notices": len(rows), "now": now}


def _posts(programme: Any, themes: list[Any], author: Any) -> dict[int, Any]:
    """A post in each theme's channel, by theme."""
    try:
        from icc.channels.models import Channel, Post
    except ImportError:
        return {}
    posts = {}
    for theme in themes:
        channel = Channel.objects.create(programme=programme, kind="theme", theme=theme)
        posts[theme.pk] = Post.objects.create(channel=channel, author=author, body="Who has a heat map to share?")
    return posts


def _counted(work: Any) -> tuple[Any, float, int]:
    """Run ``work``; its result, wall time and SQL queries (counted, not logged)."""
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = work()
    return result, time.perf_counter() - started, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_500)
    parser.add_argument("--notices", type=int, default=10, help="unread notices per person")
    args = parser.parse_args()
    setup_django("digest")
    from django.core import mail
    from django.core.mail import get_connection

    from icc.inbox.digest import send_digests

    print(f"\nDaily digest: {args.people:,} people × {args.notices} unread notices", flush=True)
    world, elapsed, _queries = _counted(lambda: build(args.people, args.notices))
    print(f"  data: {world['people']:,} people, {world['notices']:,} notices, made in {elapsed:.1f} s", flush=True)
    connection = get_connection("django.core.mail.backends.locmem.EmailBackend")
    mail.outbox = []
    now = world["now"] + dt.timedelta(minutes=1)
    [run], elapsed, queries = _counted(lambda: send_digests(frequency="daily", now=now, connection=connection))
    sent = list(mail.outbox)
    [again], _again_time, again_queries = _counted(
        lambda: send_digests(frequency="daily", now=now, connection=connection)
    )
    from icc.inbox.models import Notification

    put_away = Notification.objects.filter(read_at__isnull=False).count()  # none: every notice is openable
    sizes = sorted(len(m.message().as_bytes()) for m in sent)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  build and queue the daily digests: {elapsed:.1f} s, {queries:,} queries, {run.sent:,} sent, {run.empty} empty"
    )
    print(f"  {elapsed / max(run.sent, 1) * 1000:.1f} ms and {queries / max(run.sent, 1):.1f} queries a person")
    print(
        f"  e-mails: {len(sent):,}, median {sizes[len(sizes) // 2] / 1024:.1f} KiB, largest {sizes[-1] / 1024:.1f} KiB"
    )
    print(f"  run again the same day: {again.sent} sent ({again_queries} queries); peak RSS {rss:.0f} MiB")
    print(f"  notices found no longer openable (should be 0): {put_away}")
    met = elapsed < 60 and run.sent == world["people"] and again.sent == 0 and put_away == 0
    print(f"  target (all {args.people:,} in under 60 s, none twice): {'met' if met else 'MISSED'}")
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
