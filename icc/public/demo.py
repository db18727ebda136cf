"""Demo publications: the public pages of the demo city representative's city (the first
core city of the first track: Düsseldorf), of Berlin, and of the first EU core city with a
track (by name) in France, Spain, Italy and Poland. The consultations and ideas demos give
Berlin and those four cities their content.

Each is published in its country's language and in English, with an introduction in both,
every KPI of its roadmap, a few of its actions, and the date of the next dashboard update.
It goes through the same actions as the settings page. A city that already has a
publication is left alone, so running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, CityType, Role, RoleKind
from icc.programmes.models import Programme
from icc.public import actions
from icc.public.languages import language_of_country
from icc.public.models import Publication
from icc.roadmaps.models import KPI, Action, ActionStatus

COUNTRIES = ("FR", "ES", "IT", "PL")
ACTIONS_SHOWN = 4

# The introduction, in English and in each demo city's language.
INTRODUCTIONS = {
    "en": (
        "{city} takes part in {programme} to make daily life better with data and new technology. "
        "On these pages we show what we are doing and how far we have come towards our targets. "
        "We update the figures every three to six months."
    ),
    "de": (
        "{city} nimmt am Programm „{programme}“ teil, um den Alltag mit Daten und neuen Technologien "
        "zu verbessern. Auf diesen Seiten zeigen wir, was wir tun und wie weit wir auf dem Weg zu unseren "
        "Zielen gekommen sind. Wir aktualisieren die Zahlen alle drei bis sechs Monate."
    ),
    "fr": (
        "{city} participe au programme « {programme} » pour améliorer la vie quotidienne grâce aux données "
        "et aux nouvelles technologies. Sur ces pages, nous montrons ce que nous faisons et où nous en sommes "
        "par rapport à nos objectifs. Nous mettons les chiffres à jour tous les trois à six mois."
    ),
    "es": (
        "{city} participa en el programa «{programme}» para mejorar la vida diaria con datos y nuevas "
        "tecnologías. En estas páginas mostramos lo que estamos haciendo y cuánto hemos avanzado hacia "
        "nuestros objetivos. Actualizamos las cifras cada tres a seis meses."
    ),
    "it": (
        "{city} partecipa al programma «{programme}» per migliorare la vita quotidiana con i dati e le nuove "
        "tecnologie. In queste pagine mostriamo che cosa stiamo facendo e quanta strada abbiamo fatto verso "
        "i nostri obiettivi. Aggiorniamo i dati ogni tre-sei mesi."
    ),
    "pl": (
        "{city} bierze udział w programie „{programme}”, aby dzięki danym i nowym technologiom poprawić "
        "codzienne życie mieszkańców. Na tych stronach pokazujemy, co robimy i jak daleko zaszliśmy w drodze "
        "do naszych celów. Aktualizujemy dane co trzy do sześciu miesięcy."
    ),
}


def demo_cities(programme: Programme) -> list[City]:
    """The demo city representative's city, Berlin, then the first EU core city with a track
    of each of France, Spain, Italy and Poland, by name."""
    core = City.objects.filter(programme=programme, type=CityType.EU_CORE, track__isnull=False)
    role = (
        Role.objects.filter(programme=programme, kind=RoleKind.CITY_REP, person__email=PERSONA_EMAILS["city_rep"])
        .select_related("city")
        .first()
    )
    candidates = [role.city if role is not None else None, core.filter(name="Berlin", country="DE").first()]
    candidates += [core.filter(country=country).order_by("name").first() for country in COUNTRIES]
    chosen: list[City] = []
    for city in candidates:
        if city is not None and city not in chosen:
            chosen.append(city)
    return chosen


def next_update(today: dt.date) -> dt.date:
    """The first day of the month three months from now: the seeds publish every 3 to 6 months."""
    month = today.month + 3
    return dt.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _shown_actions(city: City) -> list[Action]:
    """The first action of each opportunity, then the next ones, up to a few; nothing dropped."""
    candidates = list(
        Action.objects.filter(city=city)
        .exclude(status=ActionStatus.DROPPED)
        .order_by("opportunity__rank", "starts_on", "pk")
    )
    firsts: list[Action] = []
    seen: set[int] = set()
    for action in candidates:
        if action.opportunity_id not in seen:
            seen.add(action.opportunity_id)
            firsts.append(action)
    rest = [a for a in candidates if a not in firsts]
    return (firsts + rest)[:ACTIONS_SHOWN]


@transaction.atomic
def record_demo_publications(*, programme: Programme, today: dt.date | None = None) -> int:
    """Publish the demo cities' public pages; returns how many were published now."""
    today = today or timezone.localdate()
    count = 0
    for city in demo_cities(programme):
        if Publication.objects.filter(city=city).exists():
            continue
        language = language_of_country(city.country)
        rep = Role.objects.filter(city=city, kind=RoleKind.CITY_REP).select_related("person").order_by("pk").first()
        by = rep.person if rep is not None else None
        words = {"city": city.name, "programme": programme.name}
        introduction = {code: INTRODUCTIONS[code].format(**words) for code in {language, "en"} if code in INTRODUCTIONS}
        publication = actions.save_settings(
            city=city,
            settings=actions.Settings(
                slug=actions.default_slug(city),
                default_language=language,
                languages=["en"],
                # The demo roadmaps are written in English on the programme's pages.
                roadmap_language="en",
                introduction=introduction,
                next_update_on=next_update(today),
                kpis=list(KPI.objects.filter(city=city)),
                actions=_shown_actions(city),
            ),
            by=by,
        )
        actions.publish(publication=publication, by=by)
        count += 1
    return count
