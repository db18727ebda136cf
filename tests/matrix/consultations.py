"""The consultations URLs in the permission matrix.

The city team's pages are for those who may change city A (its representative, its lead
expert, the programme team): others who may open the city get 403, the rest 404, the
anonymous the sign-in. Every write is tried with an empty POST: those allowed get the
page again with the form's errors (200) or, where an empty form is a valid one, the
redirect after the write (302). The public pages are the same for everyone, signed in
or not; a crafted confirmation link is a 404 for all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.matrix.common import CITY_A_WRITE, NOT_FOUND, OK, REDIRECT, Routes, everyone


def _redirected(expected: dict[str, int]) -> dict[str, int]:
    return {persona: REDIRECT if status == OK else status for persona, status in expected.items()}


def _consultation(c: Any, *, opened: bool = False, closed: bool = False, published: bool = False) -> Any:
    """A quick poll of city A with one single-choice and one text question."""
    from django.utils import timezone

    from icc.consultations import actions
    from icc.consultations.models import QuestionType

    by = c.person("organiser")
    consultation = actions.create_consultation(
        city=c.city_a, start="blank-poll", title={"en": "Bus or tram?"}, languages=["en"], by=by
    )
    for data in (
        actions.QuestionData(
            type=QuestionType.SINGLE, text={"en": "Bus or tram?"}, choices=[{"en": "Bus"}, {"en": "Tram"}]
        ),
        actions.QuestionData(type=QuestionType.SHORT_TEXT, text={"en": "Why?"}),
    ):
        actions.add_question(consultation=consultation, data=data, by=by)
    if opened or closed:
        now = timezone.now()
        actions.save_settings(
            consultation=consultation,
            title=consultation.title,
            introduction={},
            opens_at=now,
            closes_at=now + dt.timedelta(days=7),
            needs_confirmation=False,
            personal_data_until=None,
            by=by,
        )
        consultation = actions.open_consultation(consultation=consultation, default_language="en", by=by)
    if closed:
        consultation = actions.close_consultation(consultation=consultation, by=by)
    if published:
        consultation = actions.publish_results(consultation=consultation, by=by)
    return consultation


def _published_city(c: Any) -> dict[str, Any]:
    from icc.public.models import Publication

    publication, _created = Publication.objects.get_or_create(
        city=c.city_a,
        defaults={"programme": c.programme, "slug": "alphaville", "published": True, "default_language": "en"},
    )
    return {"programme": c.programme.slug, "city": publication.slug}


def _text_answer(c: Any) -> dict[str, Any]:
    """A text answer waiting for moderation in city A's poll, closed since (while a poll is
    open its texts reach the moderators only in whole batches)."""
    from icc.consultations import actions
    from icc.consultations.models import Answer, Moderation, Submission

    consultation = _consultation(c, opened=True)
    question = consultation.questions.order_by("order").last()
    submission = Submission.objects.create(
        consultation=consultation, participant_key="m" * 64, created_at=consultation.opens_at
    )
    answer = Answer.objects.create(
        submission=submission, question=question, text="Faster", moderation=Moderation.PENDING
    )
    actions.close_consultation(consultation=consultation, by=c.person("organiser"))
    return {"pk": answer.pk}


CITY = lambda c: {"pk": c.city_a.pk}  # noqa: E731
DRAFT = lambda c: {"pk": _consultation(c).pk}  # noqa: E731
OPEN = lambda c: {"pk": _consultation(c, opened=True).pk}  # noqa: E731
CLOSED = lambda c: {"pk": _consultation(c, closed=True).pk}  # noqa: E731
PUBLISHED = lambda c: {"pk": _consultation(c, closed=True, published=True).pk}  # noqa: E731
QUESTION = lambda c: {"pk": _consultation(c).questions.order_by("order").first().pk}  # noqa: E731
PUBLIC_CITY = _published_city
PUBLIC_OPEN = lambda c: {**_published_city(c), "pk": _consultation(c, opened=True).pk}  # noqa: E731
PUBLIC_DRAFT = lambda c: {**_published_city(c), "pk": _consultation(c).pk}  # noqa: E731
PUBLIC_RESULTS = lambda c: {**_published_city(c), **PUBLISHED(c)}  # noqa: E731
PUBLIC_CONFIRM = lambda c: {**PUBLIC_OPEN(c), "token": "crafted"}  # noqa: E731

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "consultations:city": ("get", CITY, CITY_A_WRITE),
    "consultations:create": ("post", CITY, CITY_A_WRITE),
    "consultations:manage": [("get", DRAFT, CITY_A_WRITE), ("get", OPEN, CITY_A_WRITE)],
    "consultations:settings": ("post", DRAFT, CITY_A_WRITE),
    "consultations:question_add": ("post", DRAFT, CITY_A_WRITE),
    "consultations:question": [("get", QUESTION, CITY_A_WRITE), ("post", QUESTION, CITY_A_WRITE)],
    "consultations:question_move": ("post", QUESTION, _redirected(CITY_A_WRITE)),
    "consultations:question_remove": ("post", QUESTION, _redirected(CITY_A_WRITE)),
    "consultations:open": ("post", DRAFT, CITY_A_WRITE),
    "consultations:close": ("post", OPEN, _redirected(CITY_A_WRITE)),
    "consultations:closing": ("post", OPEN, CITY_A_WRITE),
    "consultations:remove": ("post", DRAFT, _redirected(CITY_A_WRITE)),
    "consultations:results": ("get", OPEN, CITY_A_WRITE),
    "consultations:results_publish": ("post", CLOSED, _redirected(CITY_A_WRITE)),
    "consultations:results_unpublish": ("post", PUBLISHED, _redirected(CITY_A_WRITE)),
    "consultations:answer_show": ("post", _text_answer, _redirected(CITY_A_WRITE)),
    "consultations:answer_hide": ("post", _text_answer, _redirected(CITY_A_WRITE)),
    "public:consultations": ("get", PUBLIC_CITY, everyone(OK)),
    "public:consultation": [
        ("get", PUBLIC_OPEN, everyone(OK)),
        ("post", PUBLIC_OPEN, everyone(OK)),
        ("get", PUBLIC_DRAFT, everyone(NOT_FOUND)),
        ("post", PUBLIC_DRAFT, everyone(NOT_FOUND)),
    ],
    "public:consultation_results": [
        ("get", PUBLIC_RESULTS, everyone(OK)),
        ("get", lambda c: {**_published_city(c), **CLOSED(c)}, everyone(NOT_FOUND)),
    ],
    "public:consultation_confirm": [
        ("get", PUBLIC_CONFIRM, everyone(NOT_FOUND)),
        ("post", PUBLIC_CONFIRM, everyone(NOT_FOUND)),
    ],
}
