"""Demo consultations for the cities the demo publishes: the demo city representative's
city, Berlin, and the first EU core city with a track (by name) in France, Spain, Italy
and Poland (the same choice as the public pages' demo, made here too so that it works
whichever runs first).

Each gets the main survey at the start, open, with its texts in English and the city's
language; and the quick poll on a public transport app, closed a fortnight ago with its
results published: sixty answers, a few “Other” answers in the city's language, three
shown and one hidden by moderation (it gave a phone number). Everything goes through the
app's actions; a city that already has its demo consultations is left alone, so running
it again changes nothing, and the answers follow a fixed pattern.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City
from icc.consultations import actions
from icc.consultations.actions.answers import key_of
from icc.consultations.blueprints.poll import TRANSPORT_APP
from icc.consultations.blueprints.starting import STARTING
from icc.consultations.clock import city_zone
from icc.consultations.models import Answer, Consultation, Moderation, Status, Submission
from icc.programmes.models import Programme
from icc.public.demo import demo_cities
from icc.public.languages import language_of_country

POLL_ANSWERS = 60
# The features most people pick first and second, in an order that repeats.
FIRST_PICKS = (0, 0, 3, 1, 0, 2, 4, 0, 3, 1, 0, 5)
SECOND_PICKS = (3, 1, 2, 3, 4, 3, 1, 2, 5, 3)
# Which answers chose “Other” (the last one is hidden: it gave a phone number).
OTHER_AT = (7, 19, 33, 48)

OTHER_TEXTS = {
    "en": (
        "How full the bus or tram is right now",
        "Maps that work offline in the underground",
        "Night buses straight on the home screen",
        "Call me on 0170 1234567, I drive for the bus company",
    ),
    "de": (
        "Anzeige, wie voll Bus und Bahn gerade sind",
        "Karten, die in der U-Bahn auch ohne Netz funktionieren",
        "Nachtbusse direkt auf der Startseite",
        "Ruft mich an unter 0170 1234567, ich fahre selbst Bus",
    ),
    "fr": (
        "Savoir si le bus ou le tram est plein en ce moment",
        "Des plans consultables sans réseau dans le métro",
        "Les bus de nuit dès la page d'accueil",
        "Appelez-moi au 06 12 34 56 78, je suis chauffeur de bus",
    ),
    "es": (
        "Saber si el autobús o el tranvía va lleno ahora mismo",
        "Mapas que funcionen sin conexión en el metro",
        "Los autobuses nocturnos en la pantalla de inicio",
        "Llamadme al 612 345 678, soy conductor de autobús",
    ),
    "it": (
        "Sapere quanto sono pieni autobus e tram in questo momento",
        "Mappe che funzionano offline in metropolitana",
        "Gli autobus notturni subito nella schermata iniziale",
        "Chiamatemi al 333 1234567, guido gli autobus",
    ),
    "pl": (
        "Informacja, jak bardzo zatłoczony jest teraz autobus lub tramwaj",
        "Mapy działające w metrze bez zasięgu",
        "Nocne autobusy od razu na ekranie głównym",
        "Zadzwońcie do mnie: 600 123 456, jestem kierowcą autobusu",
    ),
}


def _at(city: City, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=city_zone(city))


def _languages(city: City) -> list[str]:
    return list(dict.fromkeys([language_of_country(city.country), "en"]))


def _open_survey(city: City, today: dt.date, by: Person | None) -> Consultation:
    languages = _languages(city)
    survey = actions.create_consultation(city=city, start=STARTING.key, title={}, languages=languages, by=by)
    opens, closes = _at(city, today - dt.timedelta(days=10), 9), _at(city, today + dt.timedelta(days=40), 18)
    actions.save_settings(
        consultation=survey,
        title=survey.title,
        introduction=survey.introduction,
        opens_at=opens,
        closes_at=closes,
        needs_confirmation=False,
        personal_data_until=None,
        by=by,
    )
    survey = actions.open_consultation(consultation=survey, default_language=languages[0], by=by)
    Consultation.objects.filter(pk=survey.pk).update(opens_at=opens)
    return survey


def _poll_answers(poll: Consultation, city: City, language: str) -> None:
    question = poll.questions.get()
    choices = list(question.choices.order_by("order"))
    offset = sum(map(ord, city.name)) % len(FIRST_PICKS)
    texts = OTHER_TEXTS.get(language, OTHER_TEXTS["en"])
    stamp = poll.opens_at or timezone.now()
    submissions = Submission.objects.bulk_create(
        Submission(
            consultation=poll,
            participant_key=key_of(poll, f"demo-{poll.pk}-{index}"),
            created_at=stamp.replace(minute=0, second=0, microsecond=0),
        )
        for index in range(POLL_ANSWERS)
    )
    answers: list[Answer] = []
    for index, submission in enumerate(submissions):
        first = FIRST_PICKS[(index + offset) % len(FIRST_PICKS)]
        second = SECOND_PICKS[(index + offset) % len(SECOND_PICKS)]
        answers.append(Answer(submission=submission, question=question, choice=choices[first]))
        if index in OTHER_AT:
            text = texts[OTHER_AT.index(index)]
            answers.append(
                Answer(submission=submission, question=question, other=True, text=text, moderation=Moderation.PENDING)
            )
        elif second != first:
            answers.append(Answer(submission=submission, question=question, choice=choices[second]))
    Answer.objects.bulk_create(answers)


def _closed_poll(city: City, today: dt.date, by: Person | None) -> Consultation:
    languages = _languages(city)
    poll = actions.create_consultation(city=city, start=TRANSPORT_APP.key, title={}, languages=languages, by=by)
    opens, closes = _at(city, today - dt.timedelta(days=45), 8), _at(city, today - dt.timedelta(days=15), 20)
    actions.save_settings(
        consultation=poll,
        title=poll.title,
        introduction=poll.introduction,
        opens_at=opens,
        closes_at=_at(city, today + dt.timedelta(days=1), 20),
        needs_confirmation=False,
        personal_data_until=None,
        by=by,
    )
    poll = actions.open_consultation(consultation=poll, default_language=languages[0], by=by)
    Consultation.objects.filter(pk=poll.pk).update(opens_at=opens)
    poll.opens_at = opens
    _poll_answers(poll, city, languages[0])
    Consultation.objects.filter(pk=poll.pk).update(status=Status.CLOSED, closes_at=closes)
    poll = actions.publish_results(consultation=poll, by=by)
    others = list(Answer.objects.filter(submission__consultation=poll, other=True).order_by("submission_id"))
    for index, answer in enumerate(others):
        answer.question.consultation = poll
        actions.moderate(answer=answer, show=index < len(others) - 1, by=by)
    return poll


@transaction.atomic
def record_demo_consultations(*, programme: Programme) -> int:
    """Give each demo city its open start survey and its closed poll; returns how many
    consultations were made (0 when they exist already)."""
    by = Person.objects.filter(email=PERSONA_EMAILS["organiser"]).first()
    today = timezone.localdate()
    made = 0
    for city in demo_cities(programme):
        existing = set(Consultation.objects.filter(city=city).values_list("template", flat=True))
        if STARTING.key not in existing:
            _open_survey(city, today, by)
            made += 1
        if TRANSPORT_APP.key not in existing:
            _closed_poll(city, today, by)
            made += 1
    return made
