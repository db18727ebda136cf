"""A citizen sends an idea without an account: what is saved, what they see, and every way
a bad or abusive submission is refused with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from icc.ideas.models import CallStatus, Idea, IdeaState
from icc.ideas.tests.conftest import IdeasCast

pytestmark = pytest.mark.django_db


def test_a_citizen_sends_an_idea_and_lands_on_its_private_page(ideas: IdeasCast) -> None:
    client = Client()
    response = ideas.send(client, title="LED street lights", text="Dim them at night.\nBrighten on motion.")
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ideas.private_url(idea)
    assert (idea.state, idea.language, idea.reply_language, idea.email) == (IdeaState.PENDING, "en", "en", "")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Thank you: your idea is sent." in body
    assert "LED street lights" in body and "Dim them at night." in body
    assert "Waiting for the city to read it." in body
    assert page["Cache-Control"] == "private, no-store"
    # Not on the call's page, but counted there.
    call_page = client.get(ideas.call_url()).content.decode()
    assert "LED street lights" not in call_page
    assert "1 idea is waiting for the city to read it." in call_page
    # Its public address is a 404 until the city publishes it.
    assert client.get(ideas.idea_url(idea)).status_code == 404


def test_the_idea_keeps_the_page_language_for_its_emails(ideas: IdeasCast) -> None:
    response = ideas.send(Client(), page="fr", language="pt")
    assert response.status_code == 302 and response["Location"].startswith("/fr/")
    idea = Idea.objects.get()
    assert (idea.language, idea.reply_language) == ("pt", "fr")


def test_an_email_needs_consent_and_gets_a_retention_date(ideas: IdeasCast) -> None:
    client = Client()
    response = ideas.send(client, email="ana@example.org")
    assert response.status_code == 200
    assert "Tick this box to leave your e-mail address" in response.content.decode()
    assert not Idea.objects.exists()
    assert ideas.send(client, email="ana@example.org", consent="on").status_code == 302
    idea = Idea.objects.get()
    assert idea.email == "ana@example.org"
    assert idea.email_kept_until == ideas.call.closes_on + dt.timedelta(days=365)


def test_the_consent_line_names_the_date(ideas: IdeasCast) -> None:
    body = Client().get(ideas.call_url()).content.decode()
    kept = ideas.call.closes_on + dt.timedelta(days=365)
    assert f"keeps my e-mail address until {kept.day} " in body


def test_html_and_scripts_are_shown_as_text(ideas: IdeasCast) -> None:
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    ideas.send(Client(), title=script, text=script)
    idea = Idea.objects.get()
    Idea.objects.filter(pk=idea.pk).update(state=IdeaState.PUBLISHED)
    for url in (ideas.call_url(), ideas.idea_url(idea), ideas.private_url(idea)):
        body = Client().get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert" in body


def test_a_one_megabyte_idea_is_refused_and_nothing_is_saved(ideas: IdeasCast) -> None:
    response = ideas.send(Client(), text="x" * 1_000_000)
    assert response.status_code == 200
    assert "This is 1,000,000 characters long; at most 2,000 characters fit." in response.content.decode()
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": CallStatus.CLOSED}, "This call does not take ideas any more"),
        ({"status": CallStatus.VOTING}, "This call does not take ideas any more"),
        ({"closes_on": "yesterday"}, "This call does not take ideas any more"),
        ({"opens_on": "tomorrow"}, "This call does not take ideas any more"),
    ],
)
def test_ideas_after_closing_or_before_opening_are_refused(ideas: IdeasCast, change: dict, message: str) -> None:
    today = timezone.localdate()
    days = {"yesterday": today - dt.timedelta(days=1), "tomorrow": today + dt.timedelta(days=1)}
    values = {k: days.get(v, v) for k, v in change.items()}
    if "closes_on" in values:
        values["opens_on"] = today - dt.timedelta(days=10)
    elif "opens_on" in values:
        values["closes_on"] = today + dt.timedelta(days=10)
    type(ideas.call).objects.filter(pk=ideas.call.pk).update(**values)
    client = Client()
    response = ideas.send(client)
    assert response.status_code == 302
    assert message in client.get(response["Location"]).content.decode()
    assert not Idea.objects.exists()


def test_the_same_idea_twice_is_counted_once(ideas: IdeasCast) -> None:
    client = Client()
    assert ideas.send(client, title="Solar roofs", text="Put solar panels on schools.").status_code == 302
    # A replayed POST, and the same words with other spacing and case from another browser.
    replay = ideas.send(client, title="Solar roofs", text="Put solar panels on schools.")
    again = ideas.send(Client(), title="solar  ROOFS", text="Put solar panels   on schools.")
    for response in (replay, again):
        assert response.status_code == 200
        assert "This idea has already been sent to this call; it is counted once." in response.content.decode()
    assert Idea.objects.count() == 1


def test_a_flood_from_one_address_is_refused_past_the_limit(ideas: IdeasCast, settings: object) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 3  # type: ignore[attr-defined]
    for n in range(3):
        assert ideas.send(Client(), title=f"Idea {n}", text=f"Text {n}").status_code == 302
    refused = ideas.send(Client(), title="Idea 4", text="Text 4")
    assert refused.status_code == 200
    assert "Too many answers came from your network" in refused.content.decode()
    assert Idea.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Fill in this field."),
        ({"text": "   "}, "Fill in this field."),
        ({"language": "xx"}, "Choose one of the options given."),
        ({"title": "t" * 151}, "This is 151 characters long; at most 150 characters fit."),
        ({"email": "not an address", "consent": "on"}, "This is not an e-mail address."),
    ],
)
def test_bad_input_gets_a_message_and_saves_nothing(ideas: IdeasCast, data: dict, message: str) -> None:
    response = ideas.send(Client(), **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Idea.objects.exists()


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        # Django has no Maltese catalogue: these come from the public side's own.
        ("mt", {"title": ""}, "Imla dan il-qasam."),
        ("mt", {"email": "not an address", "consent": "on"}, "Dan mhuwiex indirizz tal-email."),
        ("ga", {"title": ""}, "Líon isteach an réimse seo."),
        ("de", {"title": "t" * 151}, "Dieser Text ist 151 Zeichen lang"),
    ],
)
def test_field_errors_are_in_the_page_language(ideas: IdeasCast, language: str, data: dict, message: str) -> None:
    response = ideas.send(Client(), page=language, **data)
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in html
    assert message in html
    assert "This field is required" not in html and "Enter a valid" not in html
    assert not Idea.objects.exists()
