"""Who may open and change a city's consultations, and what the public may see of them.

The city team manages its consultations: those who may change the city (its
representatives, its lead expert, the programme team). Someone who may open the city but
not change it gets 403 on every page here; someone who may not open it, 404. On the
public side a consultation exists only once it is opened, in a city whose public page is
published: a draft, another city's consultation or a crafted id is a 404, exactly like an
address that never existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.http import Http404

from icc.cities.access import get_city_for_user
from icc.consultations.models import Answer, Consultation, Moderation, Phase, Question, Status
from icc.consultations.results import released_text_ids
from icc.core import dataversion
from icc.core.params import MAX_ID

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from icc.accounts.models import Person
    from icc.cities.models import City

    Someone = Person | AnonymousUser


def _id(pk: int) -> int:
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def get_city_for_team(person: Someone, city_pk: int) -> City:
    """The city whose consultations ``person`` manages."""
    return get_city_for_user(person, _id(city_pk), write=True)


def _team_city(person: Someone, city_id: int) -> City:
    return get_city_for_user(person, city_id, write=True)


def get_consultation_for_user(person: Someone, pk: int) -> Consultation:
    consultation = Consultation.objects.filter(pk=_id(pk)).first()
    if consultation is None:
        raise Http404
    consultation.city = _team_city(person, consultation.city_id)
    return consultation


def get_question_for_user(person: Someone, pk: int) -> Question:
    question = Question.objects.select_related("consultation").filter(pk=_id(pk)).first()
    if question is None:
        raise Http404
    question.consultation.city = _team_city(person, question.consultation.city_id)
    return question


def get_answer_to_moderate(person: Someone, pk: int) -> Answer:
    """A text answer (or the words of an “Other”), never one to a personal question."""
    answer = (
        Answer.objects.select_related("question__consultation")
        .filter(pk=_id(pk), question__personal=False)
        .exclude(moderation=Moderation.NONE)
        .first()
    )
    if answer is None:
        raise Http404
    answer.question.consultation.city = _team_city(person, answer.question.consultation.city_id)
    # A text not yet released to the moderators is not there for them, so that probing ids
    # cannot tell when a new one arrived (see icc.consultations.results).
    if answer.pk not in released_text_ids(answer.question.consultation, answer.question_id):
        raise Http404
    return answer


# Slugs longer than this are no address of a programme or city (their fields hold 80).
_SLUG_LENGTH = 80


def _read_public_consultation(programme: str, city: str, pk: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("city__publication__programme")
        .filter(
            pk=pk,
            city__publication__programme__slug=programme,
            city__publication__slug=city,
            city__publication__published=True,
        )
        .exclude(status=Status.DRAFT)
        .first()
    )


def get_public_consultation(programme: str, city: str, pk: int, request: HttpRequest | None = None) -> Consultation:
    """An opened consultation of a published city, with its city, publication and programme.

    A poll on the evening news takes hundreds of answers a second, each needing this
    lookup: it is cached under the data version (which any change to the consultation,
    its city or their publication raises), so an answer costs one small query here
    instead of building a four-table one. What is not public is looked up every time and
    never cached.
    """
    _id(pk)
    if len(programme) > _SLUG_LENGTH or len(city) > _SLUG_LENGTH:
        raise Http404
    key = f"icc:public-consultation:{dataversion.current(request)}:{programme}:{city}:{pk}"
    consultation = cache.get(key)
    if not isinstance(consultation, Consultation):
        consultation = _read_public_consultation(programme, city, pk)
        if consultation is None:
            raise Http404
        cache.set(key, consultation, dataversion.FRAGMENT_SECONDS)
    return consultation


def get_public_results(programme: str, city: str, pk: int, request: HttpRequest | None = None) -> Consultation:
    """A closed consultation whose results the city published."""
    consultation = get_public_consultation(programme, city, pk, request)
    if not consultation.results_published or consultation.phase() != Phase.CLOSED:
        raise Http404
    return consultation
