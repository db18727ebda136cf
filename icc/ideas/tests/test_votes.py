"""The vote on a shortlist: one vote per browser per idea, only for ideas on the shortlist,
only while the vote is open, counts public only once the city closes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from icc.ideas.actions import voter_key
from icc.ideas.models import CallStatus, Idea, IdeaCall, IdeaState, IdeaVote
from icc.ideas.tests.conftest import IdeasCast, make_idea
from icc.public.participation import VISITOR_COOKIE, visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(ideas: IdeasCast) -> tuple[Idea, Idea, Idea]:
    return (
        make_idea(ideas.vote, "Trees and shade", IdeaState.SHORTLISTED),
        make_idea(ideas.vote, "Safe cycle routes", IdeaState.SHORTLISTED),
        make_idea(ideas.vote, "Fountains", IdeaState.PUBLISHED),
    )


def _vote(ideas: IdeasCast, client: Client, idea: Idea) -> str:
    """Vote as a browser does and return the page it is sent back to."""
    response = client.post(ideas.public("idea_vote", call=idea.call_id, idea=idea.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#idea-{idea.pk}")
    return client.get(response["Location"]).content.decode()


def test_one_vote_per_browser_per_idea(ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea]) -> None:
    trees, routes, _fountains = shortlist
    browser = Client()
    page = _vote(ideas, browser, trees)
    assert "Your vote for “Trees and shade” is counted." in page
    assert VISITOR_COOKIE in browser.cookies
    assert "You voted for this idea." in page
    again = _vote(ideas, browser, trees)
    assert "You have already voted for this idea; it is counted once." in again
    _vote(ideas, browser, routes)  # another idea of the shortlist takes a vote of its own
    _vote(ideas, Client(), trees)  # and so does another browser
    assert (trees.votes.count(), routes.votes.count()) == (2, 1)


def test_a_vote_for_an_idea_off_the_shortlist_is_refused(ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea]) -> None:
    page = _vote(ideas, Client(), shortlist[2])
    assert "Only ideas on the shortlist can get votes." in page
    assert not IdeaVote.objects.exists()


@pytest.mark.parametrize("state", [IdeaState.PENDING, IdeaState.DECLINED])
def test_a_vote_for_a_hidden_idea_is_a_404(ideas: IdeasCast, state: str) -> None:
    idea = make_idea(ideas.vote, "Hidden", state)
    response = Client().post(ideas.public("idea_vote", call=idea.call_id, idea=idea.pk))
    assert response.status_code == 404
    assert not IdeaVote.objects.exists()


def _move(call: IdeaCall, **fields: object) -> None:
    IdeaCall.objects.filter(pk=call.pk).update(**fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"voting_closes_on": "yesterday", "voting_opens_on": "last week"}, "The vote is closed"),
        ({"status": CallStatus.CLOSED, "vote_closed_at": "now"}, "The vote is closed"),
        ({"voting_opens_on": "tomorrow", "voting_closes_on": "next week"}, "The vote is not open"),
        ({"status": CallStatus.CLOSED}, "The vote is not open"),
    ],
)
def test_a_vote_outside_the_vote_is_refused(
    ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea], fields: dict[str, object], message: str
) -> None:
    today = timezone.localdate()
    days = {
        "yesterday": today - dt.timedelta(days=1),
        "last week": today - dt.timedelta(days=7),
        "tomorrow": today + dt.timedelta(days=1),
        "next week": today + dt.timedelta(days=7),
        "now": timezone.now(),
    }
    _move(ideas.vote, **{k: days.get(v, v) if isinstance(v, str) else v for k, v in fields.items()})
    page = _vote(ideas, Client(), shortlist[0])
    assert message in page and "your vote was not counted" in page
    assert not IdeaVote.objects.exists()


def test_two_racing_votes_of_one_browser_count_once(ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea]) -> None:
    """Two tabs send the vote at once: the one that commits second meets the unique key."""
    trees = shortlist[0]
    browser = Client()
    browser.get(ideas.call_url())
    _vote(ideas, browser, shortlist[1])  # the browser has its identifier now
    key = voter_key(ideas.vote, visitor(_request_with(browser)) or "")
    # The other tab's vote is committed between this request's checks and its insert.
    IdeaVote.objects.create(idea=trees, participant=key)
    page = _vote(ideas, browser, trees)
    assert "You have already voted for this idea" in page
    assert trees.votes.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaVote.objects.create(idea=trees, participant=key)


def _request_with(client: Client) -> HttpRequest:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request


def test_a_flood_of_votes_from_one_address_is_refused(
    ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea], settings: object
) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 2  # type: ignore[attr-defined]
    for _n in range(2):
        _vote(ideas, Client(), shortlist[0])
    page = _vote(ideas, Client(), shortlist[0])
    assert "Too many answers came from your network" in page
    assert shortlist[0].votes.count() == 2


def test_counts_stay_hidden_until_the_city_closes_the_vote(
    ideas: IdeasCast, shortlist: tuple[Idea, Idea, Idea]
) -> None:
    trees = shortlist[0]
    for _n in range(3):
        _vote(ideas, Client(), trees)
    running = Client().get(ideas.call_url(ideas.vote)).content.decode()
    assert "3 votes" not in running and "The counts are shown when the vote closes." in running
    assert "Votes" not in Client().get(ideas.idea_url(trees)).content.decode()
    # The city team sees the tally on its own page.
    assert "3 votes" in ideas.cast.client_for("rep_a").get(ideas.vote.get_absolute_url()).content.decode()
    _move(ideas.vote, status=CallStatus.CLOSED, vote_closed_at=timezone.now())
    closed = Client().get(ideas.call_url(ideas.vote)).content.decode()
    assert "3 votes" in closed and "0 votes" in closed
    assert "Votes" in Client().get(ideas.idea_url(trees)).content.decode()
