"""City A with a published public page, an open call for project ideas and a call whose
shortlist is in the vote; helpers that send ideas the way a browser does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Cast
from icc.ideas import keys
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, Purpose
from icc.public.models import Publication

SLUG = "alphaville"


@dataclass
class IdeasCast:
    cast: Cast
    publication: Publication
    call: IdeaCall
    vote: IdeaCall

    def public(self, name: str, language: str = "en", **kwargs: Any) -> str:
        from django.utils import translation

        with translation.override(language):
            return reverse(f"public:{name}", kwargs={"programme": self.cast.programme.slug, "city": SLUG, **kwargs})

    def call_url(self, call: IdeaCall | None = None, language: str = "en") -> str:
        return self.public("idea_call", language, call=(call or self.call).pk)

    def idea_url(self, idea: Idea, language: str = "en") -> str:
        return self.public("idea", language, call=idea.call_id, idea=idea.pk)

    def private_url(self, idea: Idea, language: str = "en") -> str:
        return self.public("idea_private", language, call=idea.call_id, idea=idea.pk, key=keys.author_key(idea))

    def send(self, client: Client, call: IdeaCall | None = None, page: str = "en", **data: Any) -> Any:
        """Send the idea form as a browser on the ``page`` language's address does."""
        form = {"title": "Solar roofs", "text": "Put solar panels on schools.", "language": "en", **data}
        return client.post(self.public("idea_send", page, call=(call or self.call).pk), form)


def make_idea(call: IdeaCall, title: str, state: str = IdeaState.PUBLISHED, **fields: Any) -> Idea:
    text = fields.pop("text", f"{title}: the whole idea, in a few plain sentences.")
    return Idea.objects.create(
        call=call,
        title=title,
        text=text,
        language=fields.pop("language", "en"),
        state=state,
        fingerprint=keys.fingerprint(call.pk, title, text),
        secret=keys.new_secret(),
        **fields,
    )


@pytest.fixture
def ideas(cast: Cast) -> IdeasCast:
    today = timezone.localdate()
    publication = Publication.objects.create(
        city=cast.city_a,
        programme=cast.programme,
        slug=SLUG,
        published=True,
        default_language="pt",
        languages=["pt", "en", "fr"],
    )
    call = IdeaCall.objects.create(
        city=cast.city_a,
        question={"pt": "Como poderia a cidade reduzir o consumo de eletricidade?", "fr": "Comment réduire ?"},
        description={"pt": "Envie as suas ideias."},
        purpose=Purpose.PROJECTS,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=20),
        status=CallStatus.OPEN,
        version=1,
    )
    vote = IdeaCall.objects.create(
        city=cast.city_a,
        question={"pt": "O que fazer no próximo ciclo?", "en": "What should the city do next cycle?"},
        purpose=Purpose.CYCLE_PLANNING,
        cycle=cast.programme.cycles.get(number=1),
        opens_on=today - dt.timedelta(days=40),
        closes_on=today - dt.timedelta(days=20),
        voting_opens_on=today - dt.timedelta(days=3),
        voting_closes_on=today + dt.timedelta(days=10),
        status=CallStatus.VOTING,
        version=1,
    )
    return IdeasCast(cast, publication, call, vote)
