"""City A with a published public page, and consultations built through the app's actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import Cast
from icc.consultations import actions
from icc.consultations.actions import QuestionData
from icc.consultations.models import Choice, Consultation, Question, QuestionType
from icc.public.models import Publication


@dataclass
class Site:
    cast: Cast
    publication: Publication

    @property
    def organiser(self) -> Any:
        return self.cast.person("organiser")

    def kwargs(self, consultation: Consultation | None = None) -> dict[str, Any]:
        found: dict[str, Any] = {"programme": self.cast.programme.slug, "city": self.publication.slug}
        if consultation is not None:
            found["pk"] = consultation.pk
        return found

    def url(self, name: str, consultation: Consultation | None = None, language: str = "en", **extra: Any) -> str:
        with translation.override(language):
            return reverse(f"public:{name}", kwargs={**self.kwargs(consultation), **extra})


@pytest.fixture
def site(cast: Cast, settings: Any) -> Site:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 0
    publication = Publication.objects.create(
        city=cast.city_a,
        programme=cast.programme,
        slug="alphaville",
        published=True,
        default_language="en",
        languages=["en", "fr"],
    )
    return Site(cast, publication)


def question(kind: str, text: str, *, choices: tuple[str, ...] = (), **options: Any) -> QuestionData:
    return QuestionData(type=kind, text={"en": text}, choices=[{"en": c} for c in choices], **options)


def build(
    site: Site,
    questions: list[QuestionData],
    *,
    kind: str = "blank-poll",
    title: str = "Which bus lines?",
    open_it: bool = True,
    opens_in: dt.timedelta = dt.timedelta(0),
    lasts: dt.timedelta = dt.timedelta(days=7),
    needs_confirmation: bool = False,
    personal_data_until: dt.date | None = None,
) -> Consultation:
    by = site.organiser
    consultation = actions.create_consultation(
        city=site.cast.city_a, start=kind, title={"en": title}, languages=["en", "fr"], by=by
    )
    for data in questions:
        actions.add_question(consultation=consultation, data=data, by=by)
    now = timezone.now()
    actions.save_settings(
        consultation=consultation,
        title=consultation.title,
        introduction={"en": "Tell us."},
        opens_at=now + opens_in,
        closes_at=now + opens_in + lasts,
        needs_confirmation=needs_confirmation,
        personal_data_until=personal_data_until,
        by=by,
    )
    if open_it:
        consultation = actions.open_consultation(consultation=consultation, default_language="en", by=by)
    return Consultation.objects.get(pk=consultation.pk)


def poll(site: Site, **kwargs: Any) -> Consultation:
    """One multiple-choice question: the 2 most important features, with “Other”."""
    return build(
        site,
        [
            question(
                QuestionType.MULTIPLE,
                "What are the 2 most important features?",
                choices=("Real-time departures", "Tickets", "Accessibility"),
                picks=2,
                required=True,
                allow_other=True,
            )
        ],
        **kwargs,
    )


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("order"))


def choices_of(item: Question) -> list[Choice]:
    return list(item.choices.order_by("order"))


def answer(client: Client, url: str, data: dict[str, Any]) -> Any:
    """GET the page first, as a browser does (it gives the browser its identifier), then POST."""
    client.get(url)
    return client.post(url, data)
