"""Demo calls for ideas for the cities whose public pages the demo publishes: Berlin, and the
first EU core city with a track (by name) in France, Spain, Italy and Poland.

Each gets an open call for project ideas on energy, with ideas in the city's language and in
English (published, one merged into a similar one, one declined with a reason, one waiting for
moderation), and a call to prepare the next cycle's planning whose shortlist is in the vote,
with votes, one of its ideas taken up as an action of the city's roadmap. Everything is
derived from the city's name and the day, and a city that already has the calls is left
alone, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from icc.cities.models import City, CityType
from icc.ideas import demo_content as content
from icc.ideas import keys
from icc.ideas.actions import email_kept_until
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, IdeaVote, Purpose
from icc.programmes.models import Cycle, Programme
from icc.public.languages import language_of_country, page_languages
from icc.public.models import Publication
from icc.public.participation import participant_key
from icc.roadmaps.models import Action

COUNTRIES = ("FR", "ES", "IT", "PL")
# The demo's authors leave addresses under example.org, which never receives mail.
AUTHOR_DOMAIN = "example.org"


def _number(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)


def demo_cities(programme: Programme) -> list[City]:
    """Berlin, then the first EU core city with a track of each of France, Spain, Italy and Poland."""
    core = City.objects.filter(programme=programme, type=CityType.EU_CORE, track__isnull=False).select_related("track")
    chosen = list(core.filter(name="Berlin", country="DE")[:1])
    for country in COUNTRIES:
        chosen.extend(core.filter(country=country).order_by("name")[:1])
    return chosen


@transaction.atomic
def record_demo_ideas(*, programme: Programme, today: dt.date | None = None) -> int:
    """Give the demo cities their calls for ideas; returns how many cities got them."""
    today = today or timezone.localdate()
    cycles = list(Cycle.objects.filter(programme=programme))
    count = 0
    for city in demo_cities(programme):
        if IdeaCall.objects.filter(city=city).exists():
            continue
        publication = Publication.objects.filter(city=city).first()
        language = publication.default_language if publication else language_of_country(city.country)
        _energy_call(city, language, today)
        _planning_call(city, language, _next_cycle(cycles, today), today)
        count += 1
    return count


def _next_cycle(cycles: list[Cycle], today: dt.date) -> Cycle | None:
    upcoming = [c for c in cycles if c.starts_on > today]
    return upcoming[0] if upcoming else (cycles[-1] if cycles else None)


def _texts(texts: content.Texts, language: str) -> dict[str, str]:
    return {code: texts[code] for code in dict.fromkeys((language, "en")) if code in texts}


def _words(idea: content.Idea, language: str) -> tuple[str, str, str]:
    """The idea in the city's language when it exists, else in English."""
    code = language if language in idea else "en"
    return (*idea[code], code)


def _add(call: IdeaCall, title: str, text: str, language: str, state: str, day: int, **fields: object) -> Idea:
    idea = Idea.objects.create(
        call=call,
        title=title,
        text=text,
        language=language,
        reply_language=language if language in page_languages() else "en",
        state=state,
        fingerprint=keys.fingerprint(call.pk, title, text),
        secret=hashlib.sha256(f"demo|{call.pk}|{title}".encode()).hexdigest()[:32],
        **fields,
    )
    sent = timezone.make_aware(dt.datetime.combine(call.opens_on + dt.timedelta(days=day), dt.time(9 + day % 9)))
    Idea.objects.filter(pk=idea.pk).update(created_at=sent, moderated_at=None if state == "pending" else sent)
    return idea


def _energy_call(city: City, language: str, today: dt.date) -> None:
    call = IdeaCall.objects.create(
        city=city,
        question=_texts(content.ENERGY_QUESTION, language),
        description=_texts(content.ENERGY_DESCRIPTION, language),
        purpose=Purpose.PROJECTS,
        opens_on=today - dt.timedelta(days=21),
        closes_on=today + dt.timedelta(days=39),
        status=CallStatus.OPEN,
        opened_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=21), dt.time(8))),
        version=1,
    )
    _add(call, *_words(content.DIMMED_LIGHTS, language), IdeaState.PUBLISHED, 1)
    solar = _add(call, *_words(content.SCHOOL_SOLAR, language), IdeaState.PUBLISHED, 2)
    _add(call, *content.OFFICES_AT_NIGHT, "en", IdeaState.PUBLISHED, 3)
    _add(call, *_words(content.SCHOOL_CONTEST, language), IdeaState.PUBLISHED, 5)
    _add(call, *content.BUILDINGS_ONLINE, "en", IdeaState.PUBLISHED, 8)
    _add(call, *_words(content.SCHOOL_SOLAR_AGAIN, language), IdeaState.MERGED, 9, merged_into=solar)
    reason_language = language if language in content.LIGHTS_OFF_REASON else "en"
    _add(
        call,
        *_words(content.LIGHTS_OFF, language),
        IdeaState.DECLINED,
        11,
        decline_reason=content.LIGHTS_OFF_REASON[reason_language],
    )
    name = city.name.lower().replace(" ", "-")
    _add(
        call,
        *_words(content.ENERGY_ADVICE, language),
        IdeaState.PENDING,
        19,
        email=f"resident.{_number(name) % 900 + 100}@{AUTHOR_DOMAIN}",
        email_kept_until=email_kept_until(call, today),
    )


def _planning_call(city: City, language: str, cycle: Cycle | None, today: dt.date) -> None:
    if cycle is None:
        return
    call = IdeaCall.objects.create(
        city=city,
        question=_texts(content.PLANNING_QUESTION, language),
        description=_texts(content.PLANNING_DESCRIPTION, language),
        purpose=Purpose.CYCLE_PLANNING,
        cycle=cycle,
        opens_on=today - dt.timedelta(days=75),
        closes_on=today - dt.timedelta(days=30),
        voting_opens_on=today - dt.timedelta(days=14),
        voting_closes_on=today + dt.timedelta(days=16),
        status=CallStatus.VOTING,
        opened_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=75), dt.time(8))),
        version=1,
    )
    track = city.track.slug if city.track else "green-economy"
    action_title, taken = content.TAKEN_UP.get(track, content.TAKEN_UP["green-economy"])
    action = (
        Action.objects.filter(city=city, title=action_title).first()
        or Action.objects.filter(city=city).order_by("pk").first()
    )
    shortlist = [
        _add(call, *_words(taken, language), IdeaState.SHORTLISTED, 2, action=action),
        _add(call, *_words(content.SHADE, language), IdeaState.SHORTLISTED, 6),
        _add(call, *_words(content.SCHOOL_ROUTES, language), IdeaState.SHORTLISTED, 12),
        _add(call, *content.ONE_APP, "en", IdeaState.SHORTLISTED, 20),
    ]
    _add(call, *content.FOUNTAINS, "en", IdeaState.PUBLISHED, 27)
    votes = []
    for rank, idea in enumerate(shortlist):
        for n in range(40 + _number(city.name, idea.title) % 60 + (30 if rank == 0 else 0)):
            visitor = hashlib.sha256(f"demo|{city.name}|{n}".encode()).hexdigest()[:32]
            votes.append(IdeaVote(idea=idea, participant=participant_key(f"idea-call:{call.pk}", visitor)))
    IdeaVote.objects.bulk_create(votes)
