"""A call's days begin and end where its city is, whatever the server's or the reader's
clock says; and the author's e-mail has a one-line subject whatever the idea's title holds."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from icc.ideas.models import Idea, IdeaState
from icc.ideas.tests.conftest import IdeasCast, make_idea

pytestmark = pytest.mark.django_db

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


@pytest.fixture
def lisbon(ideas: IdeasCast) -> IdeasCast:
    """City A is in Portugal: an hour behind the server's Brussels."""
    ideas.cast.city_a.time_zone = "Europe/Lisbon"
    ideas.cast.city_a.save(update_fields=["time_zone"])
    return ideas


def _at(day: dt.date, hour: int, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LISBON)


def test_ideas_are_taken_until_the_end_of_the_last_day_in_the_city(lisbon: IdeasCast) -> None:
    last = lisbon.call.closes_on
    with time_machine.travel(_at(last, 23), tick=False):  # already the next day in Brussels
        assert "Send your idea" in Client().get(lisbon.call_url()).content.decode()
        lisbon.send(Client(), title="Late idea", text="Sent at half past eleven in Lisbon.")
    assert Idea.objects.filter(title="Late idea").exists()
    with time_machine.travel(_at(last + dt.timedelta(days=1), 0), tick=False):
        late = Client()
        refused = late.get(lisbon.send(late, title="Too late", text="Sent after midnight.")["Location"])
    assert "does not take ideas any more" in refused.content.decode()
    assert not Idea.objects.filter(title="Too late").exists()


def test_the_vote_runs_until_the_end_of_its_last_day_in_the_city(lisbon: IdeasCast) -> None:
    idea = make_idea(lisbon.vote, "Trees and shade", IdeaState.SHORTLISTED)
    vote = lisbon.public("idea_vote", call=idea.call_id, idea=idea.pk)
    assert lisbon.vote.voting_closes_on is not None
    with time_machine.travel(_at(lisbon.vote.voting_closes_on, 23), tick=False):
        browser = Client()
        assert "Vote for this idea" in browser.get(lisbon.call_url(lisbon.vote)).content.decode()
        page = browser.get(browser.post(vote)["Location"]).content.decode()
    assert "is counted" in page and idea.votes.count() == 1
    with time_machine.travel(_at(lisbon.vote.voting_closes_on + dt.timedelta(days=1), 0), tick=False):
        late = Client()
        page = late.get(late.post(vote)["Location"]).content.decode()
    assert "The vote is closed; your vote was not counted." in page and idea.votes.count() == 1


def test_a_title_sent_on_two_lines_still_reaches_its_author(ideas: IdeasCast) -> None:
    ideas.send(Client(), title="Solar roofs\r\nBcc: someone@example.net", email="ana@example.org", consent="on")
    idea = Idea.objects.get()
    team = ideas.cast.client_for("rep_a")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert team.post(reverse("ideas:idea_publish", kwargs={"pk": idea.pk})).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"] and not message.bcc
    assert message.subject == "Your idea “Solar roofs Bcc: someone@example.net” is published"
