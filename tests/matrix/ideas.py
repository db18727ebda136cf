"""The ideas' URLs in the permission matrix.

A published city's open calls, their published ideas, sending an idea and voting are open
to everyone, signed in or not (an empty idea form is the page again with its errors; a vote
is counted or refused with a message, and sends the voter back). The author's private page
opens with its key. The city team's pages and writes are for those who may edit the city
and the programme team (CITY_A_WRITE). Each check sets up city A's publication, an open call
with a published idea and a call in the vote with a shortlisted idea, once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.matrix.common import CITY_A, CITY_A_WRITE, OK, REDIRECT, Kwargs, Routes, everyone


def _ideas(c: Any) -> dict[str, Any]:
    """City A's calls and ideas for the checks, made on first use."""
    existing = getattr(c, "ideas_matrix", None)
    if existing is not None:
        return existing
    from django.utils import timezone

    from icc.ideas import keys
    from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, Purpose
    from icc.public.models import Publication

    publication, _created = Publication.objects.get_or_create(
        city=c.city_a, defaults={"programme": c.programme, "slug": "alphaville", "published": True}
    )
    today = timezone.localdate()
    call = IdeaCall.objects.create(
        city=c.city_a,
        question={"en": "How could the city reduce its electricity consumption?"},
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
        status=CallStatus.OPEN,
        version=1,
    )
    vote = IdeaCall.objects.create(
        city=c.city_a,
        question={"en": "What should the city work on in its next cycle?"},
        purpose=Purpose.CYCLE_PLANNING,
        cycle=c.programme.cycles.first(),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=10),
        voting_opens_on=today - dt.timedelta(days=5),
        voting_closes_on=today + dt.timedelta(days=5),
        status=CallStatus.VOTING,
        version=1,
    )

    def idea(on: IdeaCall, title: str, state: str) -> Idea:
        text = f"{title}, said plainly."
        return Idea.objects.create(
            call=on,
            title=title,
            text=text,
            language="en",
            state=state,
            fingerprint=keys.fingerprint(on.pk, title, text),
            secret=keys.new_secret(),
        )

    published = idea(call, "Street lights that dim", IdeaState.PUBLISHED)
    shortlisted = idea(vote, "Trees in the squares", IdeaState.SHORTLISTED)
    c.ideas_matrix = {
        "public": {"programme": publication.programme.slug, "city": publication.slug},
        "call": call,
        "published": published,
        "shortlisted": shortlisted,
        "key": keys.author_key(published),
    }
    return c.ideas_matrix


CITY_PUBLIC: Kwargs = lambda c: _ideas(c)["public"]  # noqa: E731
CALL_PUBLIC: Kwargs = lambda c: {**_ideas(c)["public"], "call": _ideas(c)["call"].pk}  # noqa: E731
IDEA_PUBLIC: Kwargs = lambda c: {**CALL_PUBLIC(c), "idea": _ideas(c)["published"].pk}  # noqa: E731
SHORTLISTED_PUBLIC: Kwargs = lambda c: {  # noqa: E731
    **_ideas(c)["public"],
    "call": _ideas(c)["shortlisted"].call_id,
    "idea": _ideas(c)["shortlisted"].pk,
}
PRIVATE: Kwargs = lambda c: {**IDEA_PUBLIC(c), "key": _ideas(c)["key"]}  # noqa: E731
CALL: Kwargs = lambda c: {"pk": _ideas(c)["call"].pk}  # noqa: E731
IDEA: Kwargs = lambda c: {"pk": _ideas(c)["published"].pk}  # noqa: E731

EVERYONE = everyone(OK)
# A vote is counted, or refused with a message; either way the voter goes back to the call.
EVERYONE_REDIRECTED = everyone(REDIRECT)
# Writes whose empty form is a valid request (a state change, an empty link) redirect.
EDITORS_REDIRECTED = {persona: REDIRECT if status == OK else status for persona, status in CITY_A_WRITE.items()}

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "public:idea_calls": ("get", CITY_PUBLIC, EVERYONE),
    "public:idea_call": ("get", CALL_PUBLIC, EVERYONE),
    "public:idea_send": ("post", CALL_PUBLIC, EVERYONE),
    "public:idea": ("get", IDEA_PUBLIC, EVERYONE),
    "public:idea_vote": ("post", SHORTLISTED_PUBLIC, EVERYONE_REDIRECTED),
    "public:idea_private": ("get", PRIVATE, EVERYONE),
    "ideas:calls": ("get", CITY_A, CITY_A_WRITE),
    "ideas:call_add": ("post", CITY_A, CITY_A_WRITE),
    "ideas:call": ("get", CALL, CITY_A_WRITE),
    "ideas:call_edit": [("get", CALL, CITY_A_WRITE), ("post", CALL, CITY_A_WRITE)],
    "ideas:call_open": ("post", CALL, EDITORS_REDIRECTED),
    "ideas:call_close": ("post", CALL, EDITORS_REDIRECTED),
    "ideas:vote_open": ("post", CALL, EDITORS_REDIRECTED),
    "ideas:vote_close": ("post", CALL, EDITORS_REDIRECTED),
    "ideas:idea_publish": ("post", IDEA, EDITORS_REDIRECTED),
    "ideas:idea_shortlist": ("post", IDEA, EDITORS_REDIRECTED),
    "ideas:idea_decline": ("post", IDEA, CITY_A_WRITE),
    "ideas:idea_merge": ("post", IDEA, CITY_A_WRITE),
    "ideas:idea_link": ("post", IDEA, EDITORS_REDIRECTED),
}
