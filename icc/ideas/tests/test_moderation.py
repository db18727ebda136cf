"""The city team moderates: publish, shortlist, decline with a reason its author alone reads,
merge duplicates, link an idea it takes up to a roadmap action of the city; and the authors
who left an e-mail hear of it in the language they wrote from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from icc.core.models import AuditEntry, AuditKind
from icc.ideas.models import CallStatus, Idea, IdeaState
from icc.ideas.tests.conftest import IdeasCast, make_idea
from icc.roadmaps.models import Action

pytestmark = pytest.mark.django_db


def _post(client: Client, verb: str, idea: Idea, data: dict[str, Any] | None = None) -> Any:
    """POST as the city team; the e-mails queued when the write commits are sent as it ends."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(f"ideas:{verb}", kwargs={"pk": idea.pk}), data or {})


@pytest.fixture
def team(ideas: IdeasCast) -> Client:
    return ideas.cast.client_for("rep_a")


def test_publishing_shows_the_idea_and_tells_its_author_in_their_language(ideas: IdeasCast, team: Client) -> None:
    ideas.send(Client(), page="fr", title="Toits solaires", text="Des panneaux sur les écoles.", language="fr",
               email="ana@example.org", consent="on")  # fmt: skip
    idea = Idea.objects.get()
    mail.outbox.clear()
    response = _post(team, "idea_publish", idea)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == IdeaState.PUBLISHED and idea.moderated_at is not None
    assert "Toits solaires" in Client().get(ideas.call_url()).content.decode()
    assert Client().get(ideas.idea_url(idea)).status_code == 200
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Toits solaires" in message.subject
    # The private link and the dates are in the language of the page the idea was sent from.
    assert ideas.private_url(idea, "fr") in message.body
    kept = idea.email_kept_until
    assert kept is not None and f"{kept.day} " in message.body
    assert AuditEntry.objects.for_object(idea).get().action == AuditKind.IDEA_PUBLISHED


def test_no_email_without_an_address(ideas: IdeasCast, team: Client) -> None:
    idea = make_idea(ideas.call, "Quiet idea", IdeaState.PENDING)
    _post(team, "idea_publish", idea)
    assert mail.outbox == []


def test_a_declined_ideas_reason_is_for_its_author_only(ideas: IdeasCast, team: Client) -> None:
    idea = make_idea(ideas.call, "Switch off all lights", IdeaState.PUBLISHED, email="bo@example.org",
                     email_kept_until=dt.date(2030, 1, 1))  # fmt: skip
    refused = _post(team, "idea_decline", idea, {f"i{idea.pk}-reason": ""})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    idea.refresh_from_db()
    assert idea.state == IdeaState.PUBLISHED
    reason = "Street lights keep crossings safe; see the idea on dimmed lights."
    assert _post(team, "idea_decline", idea, {f"i{idea.pk}-reason": reason}).status_code == 302
    idea.refresh_from_db()
    assert (idea.state, idea.decline_reason) == (IdeaState.DECLINED, reason)
    anyone = Client()
    assert anyone.get(ideas.idea_url(idea)).status_code == 404
    call_page = anyone.get(ideas.call_url()).content.decode()
    assert "Switch off all lights" not in call_page and reason not in call_page
    assert "1 idea was not taken forward; its author was told why." in call_page
    author = anyone.get(ideas.private_url(idea)).content.decode()
    assert "Switch off all lights" in author and reason in author
    # A wrong key is no way in.
    wrong = ideas.public("idea_private", call=ideas.call.pk, idea=idea.pk, key="0" * 32)
    assert anyone.get(wrong).status_code == 404
    [message] = mail.outbox
    assert reason in message.body


def test_merging_duplicates_counts_them_together(ideas: IdeasCast, team: Client) -> None:
    solar = make_idea(ideas.call, "Solar panels on every school", IdeaState.PUBLISHED)
    again = make_idea(ideas.call, "Solar roofs for schools", IdeaState.PENDING, email="cy@example.org",
                      email_kept_until=dt.date(2030, 1, 1))  # fmt: skip
    third = make_idea(ideas.call, "PV on schools", IdeaState.PUBLISHED)
    assert _post(team, "idea_merge", third, {f"i{third.pk}-into": again.pk}).status_code == 200  # pending: no target
    assert _post(team, "idea_merge", again, {f"i{again.pk}-into": solar.pk}).status_code == 302
    assert _post(team, "idea_merge", third, {f"i{third.pk}-into": solar.pk}).status_code == 302
    again.refresh_from_db()
    assert (again.state, again.merged_into) == (IdeaState.MERGED, solar)
    page = Client().get(ideas.idea_url(solar)).content.decode()
    assert "2 similar ideas were merged into this one." in page
    merged = Client().get(ideas.idea_url(again)).content.decode()
    assert "Merged into a similar idea." in merged and ideas.idea_url(solar) in merged
    assert "2 ideas were merged into similar ones." in Client().get(ideas.call_url()).content.decode()
    [message] = mail.outbox
    assert ideas.idea_url(solar) in message.body


def test_an_idea_is_not_merged_into_itself_or_into_another_calls_idea(ideas: IdeasCast, team: Client) -> None:
    idea = make_idea(ideas.call, "Here", IdeaState.PUBLISHED)
    other = make_idea(ideas.vote, "Elsewhere", IdeaState.PUBLISHED)
    for target in (idea, other):
        response = _post(team, "idea_merge", idea, {f"i{idea.pk}-into": target.pk})
        assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == IdeaState.PUBLISHED


def test_the_shortlist_takes_published_ideas_and_stays_fixed_during_the_vote(ideas: IdeasCast, team: Client) -> None:
    pending = make_idea(ideas.call, "Pending", IdeaState.PENDING)
    published = make_idea(ideas.call, "Published", IdeaState.PUBLISHED)
    _post(team, "idea_shortlist", pending)
    _post(team, "idea_shortlist", published)
    pending.refresh_from_db()
    published.refresh_from_db()
    assert (pending.state, published.state) == (IdeaState.PENDING, IdeaState.SHORTLISTED)
    # During the vote, no idea joins or leaves the shortlist.
    on_vote = make_idea(ideas.vote, "Voted on", IdeaState.SHORTLISTED)
    newcomer = make_idea(ideas.vote, "Late", IdeaState.PUBLISHED)
    for verb, idea in (("idea_publish", on_vote), ("idea_shortlist", newcomer)):
        response = _post(team, verb, idea)
        assert "The vote is open: the shortlist stays as it is" in team.get(response["Location"]).content.decode()
    decline = _post(team, "idea_decline", on_vote, {f"i{on_vote.pk}-reason": "No"})
    assert "The vote is open" in decline.content.decode()
    on_vote.refresh_from_db()
    newcomer.refresh_from_db()
    assert (on_vote.state, newcomer.state) == (IdeaState.SHORTLISTED, IdeaState.PUBLISHED)


def test_an_idea_taken_up_shows_its_actions_status_in_plain_words(roadmap: Any, ideas: IdeasCast) -> None:
    team = ideas.cast.client_for("rep_a")
    idea = make_idea(ideas.call, "Audit the buildings", IdeaState.PUBLISHED, email="di@example.org",
                     email_kept_until=dt.date(2030, 1, 1), reply_language="de")  # fmt: skip
    action = roadmap.owned
    assert _post(team, "idea_link", idea, {f"i{idea.pk}-action": action.pk}).status_code == 302
    idea.refresh_from_db()
    assert idea.action == action
    page = Client().get(ideas.idea_url(idea)).content.decode()
    assert "Audit public buildings" in page and "The city plans to do this." in page
    Action.objects.filter(pk=action.pk).update(status="in-progress")
    assert "The city is working on it." in Client().get(ideas.idea_url(idea)).content.decode()
    [message] = mail.outbox
    assert "Audit public buildings" in message.body and "/de/" in message.body
    # Unlinking is one more POST; it e-mails nobody.
    assert _post(team, "idea_link", idea, {f"i{idea.pk}-action": ""}).status_code == 302
    idea.refresh_from_db()
    assert idea.action is None and len(mail.outbox) == 1


def test_an_action_of_another_city_cannot_be_linked(roadmap: Any, ideas: IdeasCast) -> None:
    from icc.roadmaps.models import Opportunity

    city_b = ideas.cast.city_b
    opportunity = Opportunity.objects.create(city=city_b, title="B's", need="B's need", rank=1)
    foreign = Action.objects.create(
        city=city_b, opportunity=opportunity, title="B's action", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 1), version=1,
    )  # fmt: skip
    idea = make_idea(ideas.call, "Mine", IdeaState.PUBLISHED)
    response = _post(ideas.cast.client_for("organiser"), "idea_link", idea, {f"i{idea.pk}-action": foreign.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    idea.refresh_from_db()
    assert idea.action is None
    from icc.ideas import actions

    with pytest.raises(Exception, match="city's own roadmap"):
        actions.link_action(idea=idea, action=foreign, by=ideas.cast.person("organiser"))


def test_the_team_opens_closes_and_puts_a_call_to_the_vote(ideas: IdeasCast, team: Client) -> None:
    call = ideas.call
    call.status = CallStatus.DRAFT
    call.save()
    assert Client().get(ideas.call_url()).status_code == 404  # a draft is not public
    url = lambda verb: reverse(f"ideas:{verb}", kwargs={"pk": call.pk})  # noqa: E731
    team.post(url("call_open"))
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and Client().get(ideas.call_url()).status_code == 200
    # No vote without its days and a shortlist.
    response = team.post(url("vote_open"))
    assert "Set the first and the last day of the vote first." in team.get(response["Location"]).content.decode()
    type(call).objects.filter(pk=call.pk).update(voting_opens_on=call.opens_on, voting_closes_on=call.closes_on)
    response = team.post(url("vote_open"))
    assert "Put at least one idea on the shortlist first." in team.get(response["Location"]).content.decode()
    make_idea(call, "Chosen", IdeaState.SHORTLISTED)
    team.post(url("vote_open"))
    call.refresh_from_db()
    assert call.status == CallStatus.VOTING
    team.post(url("vote_close"))
    call.refresh_from_db()
    assert call.status == CallStatus.CLOSED and call.vote_closed_at is not None
    response = team.post(url("vote_open"))
    assert "The vote on this call is over" in team.get(response["Location"]).content.decode()
    kinds = set(AuditEntry.objects.for_object(call).values_list("action", flat=True))
    assert kinds == {AuditKind.IDEA_CALL_OPENED, AuditKind.IDEA_VOTE_OPENED, AuditKind.IDEA_VOTE_CLOSED}


def test_the_team_writes_a_call_in_the_citys_languages(ideas: IdeasCast, team: Client) -> None:
    page = team.get(reverse("ideas:calls", kwargs={"pk": ideas.cast.city_a.pk})).content.decode()
    for code in ("pt", "en", "fr"):
        assert f'name="question__{code}"' in page
    data = {
        "question__en": "How could the city save water?",
        "purpose": "cycle-planning",
        "opens_on": "2027-01-01",
        "closes_on": "2026-12-01",
        "version": "0",
    }
    refused = team.post(reverse("ideas:call_add", kwargs={"pk": ideas.cast.city_a.pk}), data)
    body = refused.content.decode()
    assert "Write this in" in body  # the default language (Portuguese) is required
    assert "Choose the cycle whose planning the ideas prepare." in body
    assert "Sending ideas cannot end before it starts." in body
    cycle = ideas.cast.programme.cycles.get(number=2)
    data.update({"question__pt": "Como poupar água?", "closes_on": "2027-02-01", "cycle": str(cycle.pk)})
    response = team.post(reverse("ideas:call_add", kwargs={"pk": ideas.cast.city_a.pk}), data)
    assert response.status_code == 302
    call = type(ideas.call).objects.latest("pk")
    assert call.question == {"pt": "Como poupar água?", "en": "How could the city save water?"}
    assert (call.status, call.cycle) == (CallStatus.DRAFT, cycle)


def test_a_call_edited_by_two_people_keeps_the_first_save(ideas: IdeasCast, team: Client) -> None:
    url = reverse("ideas:call_edit", kwargs={"pk": ideas.call.pk})
    form = team.get(url).context["form"]
    from tests.test_stale_edits import form_data

    first = form_data(form, **{"question__pt": "Primeira versão"})
    second = form_data(form, **{"question__pt": "Segunda versão"})
    assert team.post(url, first).status_code == 302
    refused = ideas.cast.client_for("lead_expert").post(url, second)
    assert "Someone else saved this while you were editing it" in refused.content.decode()
    ideas.call.refresh_from_db()
    assert ideas.call.question["pt"] == "Primeira versão"


def test_author_emails_appear_on_no_page(ideas: IdeasCast, team: Client) -> None:
    idea = make_idea(ideas.call, "With an address", IdeaState.SHORTLISTED, email="secret.person@example.org",
                     email_kept_until=dt.date(2030, 1, 1))  # fmt: skip
    pages = [
        team.get(ideas.call.get_absolute_url()),
        team.get(reverse("ideas:calls", kwargs={"pk": ideas.cast.city_a.pk})),
        Client().get(ideas.call_url()),
        Client().get(ideas.idea_url(idea)),
        Client().get(ideas.private_url(idea)),
    ]
    for page in pages:
        assert page.status_code == 200
        assert "secret.person" not in page.content.decode()


def test_during_the_vote_only_its_last_day_moves(ideas: IdeasCast, team: Client) -> None:
    from tests.test_stale_edits import form_data

    url = reverse("ideas:call_edit", kwargs={"pk": ideas.vote.pk})
    form = team.get(url).context["form"]
    moved = form_data(form, opens_on=(ideas.vote.opens_on - dt.timedelta(days=1)).isoformat())
    refused = team.post(url, moved)
    assert "last day can still change" in refused.content.decode()
    closes = ideas.vote.voting_closes_on
    assert closes is not None
    later = closes + dt.timedelta(days=2)
    assert team.post(url, form_data(form, voting_closes_on=later.isoformat())).status_code == 302
    ideas.vote.refresh_from_db()
    assert ideas.vote.voting_closes_on == later


def test_a_call_for_projects_keeps_no_cycle(ideas: IdeasCast, team: Client) -> None:
    data = {
        "question__pt": "Como poupar água?",
        "purpose": "projects",
        "cycle": str(ideas.cast.programme.cycles.get(number=1).pk),
        "opens_on": "2027-01-01",
        "closes_on": "2027-02-01",
        "voting_opens_on": "2027-02-02",
        "version": "0",
    }
    refused = team.post(reverse("ideas:call_add", kwargs={"pk": ideas.cast.city_a.pk}), data)
    assert "Give both the first and the last day of the vote, or neither." in refused.content.decode()
    data["voting_closes_on"] = "2027-02-20"
    assert team.post(reverse("ideas:call_add", kwargs={"pk": ideas.cast.city_a.pk}), data).status_code == 302
    assert type(ideas.call).objects.latest("pk").cycle is None
