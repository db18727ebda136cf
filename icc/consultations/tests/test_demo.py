"""The demo gives each published demo city an open start survey and a closed poll with
published results, once, the same way each time."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from icc.consultations import results
from icc.consultations.demo import POLL_ANSWERS, record_demo_consultations
from icc.consultations.models import Answer, Consultation, Moderation, Phase, Submission
from icc.consultations.structure import read
from icc.programmes.models import Programme
from icc.public.demo import record_demo_publications
from icc.public.models import Publication

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        "consultations": list(
            Consultation.objects.order_by("pk").values("pk", "city_id", "template", "title", "status")
        ),
        "submissions": list(Submission.objects.order_by("pk").values_list("participant_key", flat=True)),
        "answers": list(Answer.objects.order_by("pk").values_list("choice_id", "text", "moderation")),
    }


def test_each_demo_city_gets_its_survey_and_poll_once() -> None:
    call_command("load_demo", "--quiet-sign-ins", stdout=io.StringIO())
    programme = Programme.objects.get()
    # Six cities, two consultations each (load_demo may have made them already).
    assert record_demo_consultations(programme=programme) in (0, 12)
    assert Consultation.objects.count() == 12
    first = _snapshot()
    assert record_demo_consultations(programme=programme) == 0
    assert _snapshot() == first
    record_demo_publications(programme=programme)
    published = list(Publication.objects.filter(published=True).select_related("city", "programme"))
    assert published and all(Consultation.objects.filter(city=p.city).count() == 2 for p in published)

    for publication in published:
        city, language = publication.city, publication.default_language
        survey = Consultation.objects.get(city=city, template="start")
        poll = Consultation.objects.get(city=city, template="transport-app")
        assert survey.phase() == Phase.OPEN and set(survey.title) == {language, "en"}
        assert poll.phase() == Phase.CLOSED and poll.results_published
        found = results.compute(poll, read(poll))
        assert found.respondents == POLL_ANSWERS and found.questions[0].shown
        assert Answer.objects.filter(submission__consultation=poll, moderation=Moderation.HIDDEN).count() == 1
        assert Answer.objects.filter(submission__consultation=poll, moderation=Moderation.SHOWN).count() == 3

    berlin = next(p for p in published if p.city.name == "Berlin")
    survey = Consultation.objects.get(city=berlin.city, template="start")
    poll = Consultation.objects.get(city=berlin.city, template="transport-app")
    kwargs = {"programme": programme.slug, "city": berlin.slug}
    with translation.override("de"):
        page = Client().get(reverse("public:consultation", kwargs={**kwargs, "pk": survey.pk})).content.decode()
        listing = Client().get(reverse("public:consultations", kwargs=kwargs)).content.decode()
        shown = Client().get(reverse("public:consultation_results", kwargs={**kwargs, "pk": poll.pk}))
    assert "Was sind derzeit die 3 wichtigsten Herausforderungen für die Stadt?" in page
    assert "Unsere Stadt heute: Ihre Prioritäten" in listing and "Eine App für den Nahverkehr" in listing
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "Nachtbusse direkt auf der Startseite" in html and "0170" not in html
    assert "1 answer hidden by moderation." in html or "1 Antwort" in html
