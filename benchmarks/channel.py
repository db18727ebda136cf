"""Benchmark: a theme channel of 50,000 messages with 1,500 people in it.

    .venv/bin/python benchmarks/channel.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/icc_bench_channel .venv/bin/python benchmarks/channel.py

For PostgreSQL the database must exist (``createdb -h 127.0.0.1 -U postgres icc_bench_channel``);
it is emptied first. The benchmark makes an edition whose 136 cities are all on one theme,
1,500 city representatives spread over them (everyone in the theme's channel), and
50,000 messages in that channel: 40,000 posts and 10,000 answers, a fifth of the posts
with reactions and every hundredth pinned. It then opens the channel's page (its latest
messages), an older page, and the thread with the most answers, through Django's test
client as one of the representatives, --repeat times each, and prints the median and
95th percentile and the queries per page. Target: p95 under 100 ms, the same number of
queries whatever the size of the channel.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import setup_django

TARGET_P95_MS = 100.0
WORDS = [
    "energy",
    "data",
    "mobility",
    "heating",
    "district",
    "solar",
    "school",
    "tram",
    "sensor",
    "platform",
    "budget",
    "grant",
    "skills",
]


def build(members: int, posts: int) -> tuple[Any, Any, Any]:
    import datetime as dt

    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from icc.accounts.models import Person
    from icc.channels.actions import ensure_channels
    from icc.channels.models import Channel, Post, Reaction
    from icc.cities.models import City, Role, RoleKind
    from icc.programmes.actions import create_programme

    today = timezone.localdate()
    programme = create_programme(name="Channel benchmark", slug="channel-bench", first_month=dt.date(today.year, 1, 1))
    theme = programme.themes.first()
    City.objects.bulk_create(
        City(programme=programme, name=f"City {n:03d}", country="DE", time_zone="Europe/Berlin", track=theme)
        for n in range(136)
    )
    cities = list(City.objects.filter(programme=programme).values_list("pk", flat=True))
    Person.objects.bulk_create(
        Person(email=f"rep{n}@bench.example", full_name=f"Representative {n}", password="!")  # noqa: S106 - unusable
        for n in range(members)
    )
    people = list(Person.objects.filter(email__endswith="@bench.example").values_list("pk", flat=True))
    Role.objects.bulk_create(
        Role(person_id=pk, programme=programme, kind=RoleKind.CITY_REP, city_id=cities[n % len(cities)])
        for n, pk in enumerate(people)
    )
    ensure_channels(programme)
    channel = Channel.objects.get(theme=theme)
    rng = random.Random(20261201)
    now = timezone.now()
    top_count = posts * 4 // 5
    batch = [
        Post(
            channel=channel,
            author_id=rng.choice(people),
            body=f"**{rng.choice(WORDS).title()}**: " + " ".join(rng.choice(WORDS) for _ in range(40)),
            created_at=now - dt.timedelta(minutes=top_count - n),
            pinned_at=now if n % 100 == 0 else None,
        )
        for n in range(top_count)
    ]
    Post.objects.bulk_create(batch, batch_size=2000)
    tops = list(Post.objects.filter(channel=channel).order_by("-pk").values_list("pk", flat=True))
    busiest = tops[5]
    replies = [
        Post(
            channel=channel,
            parent_id=busiest if n % 2 else rng.choice(tops),
            author_id=rng.choice(people),
            body="Agreed.",
        )
        for n in range(posts - top_count)
    ]
    Post.objects.bulk_create(replies, batch_size=2000)
    for pk, n in Post.objects.filter(parent__isnull=False).values_list("parent").annotate(n=Count("pk")):
        Post.objects.filter(pk=pk).update(reply_count=n)
    Reaction.objects.bulk_create(
        (Reaction(post_id=pk, person_id=rng.choice(people), emoji="thumbs-up") for pk in tops[::5]),
        batch_size=2000,
        ignore_conflicts=True,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("channels_post", "channels_reaction", "cities_role", "accounts_person"):
                cursor.execute(f"ANALYZE {table}")  # as autovacuum would soon after a bulk load
    reader = Person.objects.get(pk=people[0])
    return channel, reader, Post.objects.get(pk=busiest)


def timed(client: Any, url: str, repeat: int) -> tuple[list[float], int]:
    from django.db import connection

    assert client.get(url).status_code == 200  # the first visit is remembered
    captured: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 200
    return times, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1_500)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    if args.members < 1 or args.posts < 10 or args.repeat < 1:
        parser.error("--members and --repeat must be at least 1, --posts at least 10")
    setup_django("channel")
    from django.db import connection
    from django.test import Client

    from icc.channels.models import Post

    started = time.perf_counter()
    channel, reader, busiest = build(args.members, args.posts)
    total = Post.objects.filter(channel=channel).count()
    print(
        f"{connection.vendor}: {total:,} messages, {args.members:,} members, built in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(reader)
    middle = (
        Post.objects.filter(channel=channel, parent=None).order_by("pk").values_list("pk", flat=True)[args.posts // 3]
    )
    pages = [
        ("latest messages", channel.get_absolute_url()),
        ("an older page", f"{channel.get_absolute_url()}?before={middle}"),
        (f"thread ({busiest.reply_count:,} answers)", busiest.get_absolute_url()),
        ("thread, later answers", f"{busiest.get_absolute_url()}?after={busiest.pk + 20_000}"),
    ]
    worst = 0.0
    print(f"{'page':<34} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    for label, url in pages:
        times, queries = timed(client, url, args.repeat)
        p95 = statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]
        worst = max(worst, p95)
        print(f"{label:<34} {queries:>8} {statistics.median(times):>10.1f} {p95:>8.1f}")
    verdict = "met" if worst < TARGET_P95_MS else "MISSED"
    print(f"slowest p95 {worst:.1f} ms; target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
    if worst >= TARGET_P95_MS:
        sys.exit(1)


if __name__ == "__main__":
    main()
