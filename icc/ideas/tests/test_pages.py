"""The public pages: what is secret is a 404, a page reads the same in a fixed number of
queries whatever the number of ideas, each visitor reads the city's text in their language
when it exists, and the city team's cycle plan shows the ideas that prepare it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icc.ideas.models import CallStatus, IdeaCall, IdeaState, IdeaVote, Purpose
from icc.ideas.tests.conftest import SLUG, IdeasCast, make_idea
from icc.public.models import Publication

pytestmark = pytest.mark.django_db


def test_secret_and_crafted_addresses_are_404(ideas: IdeasCast) -> None:
    programme = ideas.cast.programme.slug
    draft = IdeaCall.objects.create(
        city=ideas.cast.city_a, question={"pt": "Rascunho"}, opens_on=ideas.call.opens_on,
        closes_on=ideas.call.closes_on, status=CallStatus.DRAFT,
    )  # fmt: skip
    other_city = IdeaCall.objects.create(
        city=ideas.cast.city_b, question={"de": "Andere Stadt"}, opens_on=ideas.call.opens_on,
        closes_on=ideas.call.closes_on, status=CallStatus.OPEN,
    )  # fmt: skip
    pending = make_idea(ideas.call, "Pending", IdeaState.PENDING)
    published = make_idea(ideas.call, "Published")
    elsewhere = make_idea(ideas.vote, "In the other call")

    def url(name: str, **kwargs: Any) -> str:
        return reverse(f"public:{name}", kwargs={"programme": programme, "city": SLUG, **kwargs})

    addresses = [
        url("idea_call", call=draft.pk),
        url("idea_call", call=other_city.pk),
        url("idea_call", call=999_999),
        url("idea_call", call=2**70),
        url("idea", call=ideas.call.pk, idea=pending.pk),
        url("idea", call=ideas.call.pk, idea=elsewhere.pk),
        url("idea", call=draft.pk, idea=published.pk),
        url("idea", call=ideas.call.pk, idea=2**63 + 5),
        url("idea_private", call=ideas.call.pk, idea=pending.pk, key="not-the-key"),
        url("idea_private", call=ideas.vote.pk, idea=pending.pk, key="0" * 32),
        reverse("public:idea_calls", kwargs={"programme": programme, "city": "no-such-city"}),
        reverse("public:idea_calls", kwargs={"programme": "no-such-programme", "city": SLUG}),
    ]
    client = Client()
    for address in addresses:
        assert client.get(address).status_code == 404, address
    for name, kwargs in (("idea_send", {"call": draft.pk}), ("idea_vote", {"call": ideas.vote.pk, "idea": pending.pk})):
        assert client.post(url(name, **kwargs), {"title": "x", "text": "y", "language": "en"}).status_code == 404
    # A city whose page is not published has no public calls, even open ones.
    Publication.objects.filter(pk=ideas.publication.pk).update(published=False)
    assert client.get(ideas.call_url()).status_code == 404
    assert client.get(url("idea_calls")).status_code == 404


def test_the_calls_list_shows_public_calls_and_may_be_cached(ideas: IdeasCast) -> None:
    IdeaCall.objects.create(
        city=ideas.cast.city_a, question={"pt": "Um rascunho secreto"}, opens_on=ideas.call.opens_on,
        closes_on=ideas.call.closes_on, status=CallStatus.DRAFT,
    )  # fmt: skip
    make_idea(ideas.call, "One")
    response = Client().get(ideas.public("idea_calls"))
    body = response.content.decode()
    assert "Como poderia a cidade reduzir" in body and "What should the city do next cycle?" in body
    assert "Um rascunho secreto" not in body
    assert "1 idea published" in body
    assert response["Cache-Control"] == "public, max-age=60"
    signed_in = ideas.cast.client_for("rep_a").get(ideas.public("idea_calls"))
    assert signed_in["Cache-Control"] == "private, no-store"


def test_a_reader_gets_the_citys_text_in_their_language_or_the_default_marked(ideas: IdeasCast) -> None:
    french = Client().get(ideas.call_url(language="fr")).content.decode()
    assert '<html lang="fr">' in french
    assert "Comment réduire ?" in french
    assert '<span lang="fr">Comment' not in french  # in the page's language: no lang of its own
    german = Client().get(ideas.call_url(language="de")).content.decode()
    assert '<span lang="pt">Como poderia a cidade reduzir o consumo de eletricidade?</span>' in german
    # An idea written in another language than the page's is marked with its own.
    make_idea(ideas.call, "Painéis solares", language="pt")
    assert '<span lang="pt">Painéis solares</span>' in Client().get(ideas.call_url(language="de")).content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_call_page_takes_the_same_queries_for_3_or_30_ideas(ideas: IdeasCast, roadmap: Any) -> None:
    IdeaCall.objects.filter(pk=ideas.vote.pk).update(status=CallStatus.CLOSED, vote_closed_at=timezone.now())
    for n in range(3):
        idea = make_idea(ideas.vote, f"Idea {n}", IdeaState.SHORTLISTED, action=roadmap.owned)
        IdeaVote.objects.create(idea=idea, participant=f"p{n}")
    browser = Client()
    url = ideas.call_url(ideas.vote)
    browser.get(url)
    few = _queries(browser, url)
    for n in range(3, 30):
        idea = make_idea(ideas.vote, f"Idea {n}", IdeaState.SHORTLISTED if n % 2 else IdeaState.PUBLISHED)
        make_idea(ideas.vote, f"Duplicate {n}", IdeaState.MERGED, merged_into=idea)
        IdeaVote.objects.create(idea=idea, participant=f"p{n}")
    many = _queries(browser, url)
    assert many == few
    assert few <= 12, few


def test_the_cycle_plan_shows_the_ideas_that_prepare_it(ideas: IdeasCast) -> None:
    trees = make_idea(ideas.vote, "Trees and shade", IdeaState.SHORTLISTED)
    make_idea(ideas.vote, "Not yet read", IdeaState.PENDING)
    for n in range(4):
        IdeaVote.objects.create(idea=trees, participant=f"p{n}")
    url = reverse("roadmaps:cycle", kwargs={"pk": ideas.cast.city_a.pk, "number": 1})
    editor = ideas.cast.client_for("rep_a").get(url).content.decode()
    assert "Citizens' ideas to prepare this cycle's planning" in editor
    assert "Trees and shade" in editor and "Not yet read" not in editor
    assert "<td>4</td>" in editor
    # Those who see the plan but do not run the vote read the counts once it closes.
    mayor = ideas.cast.client_for("mayor_a").get(url).content.decode()
    assert "Trees and shade" in mayor and "<td>4</td>" not in mayor and "shown when the vote closes" in mayor
    # Nor does the order give the tally away: the most voted first for the team only.
    make_idea(ideas.vote, "Cycle routes", IdeaState.SHORTLISTED)
    editor = ideas.cast.client_for("rep_a").get(url).content.decode()
    mayor = ideas.cast.client_for("mayor_a").get(url).content.decode()
    assert editor.index("Trees and shade") < editor.index("Cycle routes")
    assert mayor.index("Cycle routes") < mayor.index("Trees and shade")
    other_cycle = reverse("roadmaps:cycle", kwargs={"pk": ideas.cast.city_a.pk, "number": 2})
    assert "Trees and shade" not in ideas.cast.client_for("rep_a").get(other_cycle).content.decode()


def test_the_team_pages_list_calls_and_ideas(ideas: IdeasCast) -> None:
    make_idea(ideas.call, "Read me first", IdeaState.PENDING, language="pt")
    team = ideas.cast.client_for("lead_expert")
    calls = team.get(reverse("ideas:calls", kwargs={"pk": ideas.cast.city_a.pk})).content.decode()
    assert "Como poderia a cidade reduzir" in calls
    page = team.get(ideas.call.get_absolute_url() + "?state=pending").content.decode()
    assert "Read me first" in page and 'lang="pt"' in page
    assert "Waiting for moderation (1)" in page
    for crafted in ("?state=<script>", "?page=abc", "?page=99999999999999999999"):
        assert team.get(ideas.call.get_absolute_url() + crafted).status_code == 200


def test_a_planning_call_names_its_cycle_in_the_readers_words(ideas: IdeasCast) -> None:
    body = Client().get(ideas.call_url(ideas.vote)).content.decode()
    assert "To prepare the city's planning of cycle 1." in body
    assert ideas.vote.purpose == Purpose.CYCLE_PLANNING


def test_the_call_page_says_when_sending_opens(ideas: IdeasCast) -> None:
    start = timezone.localdate() + dt.timedelta(days=3)
    IdeaCall.objects.filter(pk=ideas.call.pk).update(opens_on=start, closes_on=start + dt.timedelta(days=9))
    body = Client().get(ideas.call_url()).content.decode()
    assert "You can send ideas from" in body and 'name="title"' not in body
