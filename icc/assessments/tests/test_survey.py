from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from icc.assessments import disclosure
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import SatAnswer, SatCampaign, SatInvitation, SatResponse

TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def matched(pattern: str, text: str, flags: int = 0, *, group: int = 1) -> str:
    """The ``group`` of the first match of ``pattern`` in ``text``; the test fails if nothing matches."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} not found"
    return found.group(group)


@pytest.fixture
def campaign(cast):
    load_default_instruments(programme=cast.programme)
    client = cast.client_for("rep_a")
    with time_machine.travel(TODAY, tick=False):
        client.post(survey_url(cast, "open"), {"closes_on": "2026-12-31"})
    return SatCampaign.objects.get()


def manage_url(cast, round="baseline"):
    return reverse("assessments:survey_manage", kwargs={"pk": cast.city_a.pk, "round": round})


def survey_url(cast, verb, round="baseline"):
    """The URL of one write on the survey: open, close, invite or share."""
    return reverse(f"assessments:survey_{verb}", kwargs={"pk": cast.city_a.pk, "round": round})


def invite(cast, emails, mailoutbox, capture):
    with capture(execute=True):
        cast.client_for("rep_a").post(survey_url(cast, "invite"), {"emails": "\n".join(emails)})
    return [matched(r"(/survey/i/[^/\s]+/)", m.body) for m in mailoutbox[-len(emails) :]]


def answer_data(campaign, level="4"):
    questions = campaign.instrument.sections.first().questions.all()
    data = {f"q{q.pk}": level for q in questions}
    open_question = campaign.instrument.sections.last().questions.first()
    data[f"q{open_question.pk}"] = f"Funding for startups and broadband in the port ({level})"
    return data


@time_machine.travel(TODAY, tick=False)
def test_invited_stakeholders_answer_once_and_anonymously(
    cast, campaign, client, mailoutbox, django_capture_on_commit_callbacks
):
    links = invite(
        cast, ["a@org.example", "B@org.example", "a@org.example"], mailoutbox, django_capture_on_commit_callbacks
    )

    assert len(links) == 2 and {m.to[0] for m in mailoutbox} == {"a@org.example", "b@org.example"}
    first = client.post(links[0], answer_data(campaign), follow=True)
    again = Client().post(links[0], answer_data(campaign))
    guessed = client.get("/survey/i/not-a-real-token/")

    assert first.status_code == 200 and "Thank you" in first.content.decode()
    assert again.status_code == 404 and "not valid or has already been used" in again.content.decode()
    assert guessed.status_code == 404 and "not valid" in guessed.content.decode()
    assert SatResponse.objects.count() == 1
    stored = (
        str(list(SatInvitation.objects.values()))
        + str(list(SatResponse.objects.values()))
        + str(list(SatAnswer.objects.values()))
    )
    assert "org.example" not in stored


def test_an_answer_sheet_has_no_column_that_could_identify_its_author():
    response_fields = {f.name for f in SatResponse._meta.get_fields()}
    answer_fields = {f.name for f in SatAnswer._meta.get_fields()}

    assert response_fields == {"id", "campaign", "answers"}
    assert answer_fields == {"id", "response", "question", "value", "unknown"}


@time_machine.travel(TODAY, tick=False)
def test_expired_invitation_and_closed_survey_record_nothing(
    cast, campaign, client, mailoutbox, django_capture_on_commit_callbacks
):
    links = invite(cast, ["a@org.example"], mailoutbox, django_capture_on_commit_callbacks)

    with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC)):
        response = client.post(links[0], answer_data(campaign))

    assert response.status_code == 404
    assert "expired" in response.content.decode() or "closed" in response.content.decode()
    assert not SatResponse.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_results_appear_only_once_closed_with_five_answers_in_every_channel(cast, campaign, client, monkeypatch):
    monkeypatch.setattr(disclosure, "laplace", lambda scale: 0.0)
    cast.client_for("rep_a").post(survey_url(cast, "share"))
    link = matched(
        r'value="http://[^/]+(/survey/s/[^"]+/)"',
        cast.client_for("rep_a").post(survey_url(cast, "share")).content.decode(),
    )
    viewer = cast.client_for("lead_expert")
    for level in "1234":
        Client().post(link, answer_data(campaign, level))

    Client().post(link, answer_data(campaign, "5"))
    open_page = viewer.get(manage_url(cast)).content.decode()
    open_csv = viewer.get(manage_url(cast), {"format": "csv"})
    cast.client_for("rep_a").post(survey_url(cast, "close"))
    page = viewer.get(manage_url(cast)).content.decode()
    export = viewer.get(manage_url(cast), {"format": "csv"}).content.decode("utf-8-sig").splitlines()

    assert (
        "Results appear once at least 5 people have answered and the survey has closed" in open_page
        and "people answered" not in open_page
    )
    assert open_csv.status_code == 404
    assert "About 5 people answered" in page and re.search(r"Words at least[^<]*funding", page)
    assert export[1].startswith('"Stakeholder networks","15","0","3.0","3","3","3","3","3"')


@time_machine.travel(TODAY, tick=False)
def test_shared_link_is_rate_limited_and_a_replaced_link_stops_working(cast, campaign, client):
    rep = cast.client_for("rep_a")
    old = matched(r'(/survey/s/[^"]+/)"', rep.post(survey_url(cast, "share")).content.decode())
    new = matched(r'(/survey/s/[^"]+/)"', rep.post(survey_url(cast, "share")).content.decode())

    assert client.get(old).status_code == 404
    statuses = [Client().post(new, answer_data(campaign)).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert SatResponse.objects.count() == 10


def test_other_cities_cannot_see_or_run_the_survey(cast, campaign):
    assert cast.client_for("rep_b").get(manage_url(cast)).status_code == 404
    assert cast.client_for("thematic_expert").post(survey_url(cast, "share")).status_code == 403
    assert cast.client_for("rep_a").get(manage_url(cast, round="someday")).status_code == 404


def test_bad_addresses_are_refused_and_nothing_is_sent(cast, campaign, mailoutbox):
    response = cast.client_for("rep_a").post(survey_url(cast, "invite"), {"emails": "ok@org.example\nnot an address"})

    assert "Not e-mail addresses: not an address" in response.content.decode()
    assert not SatInvitation.objects.exists() and mailoutbox == []


def test_a_closed_survey_takes_no_new_invitations_or_links(cast, campaign, mailoutbox):
    rep = cast.client_for("rep_a")
    SatCampaign.objects.update(closes_on=dt.date(2026, 1, 31))

    invited = rep.post(survey_url(cast, "invite"), {"emails": "a@org.example"})
    shared = rep.post(survey_url(cast, "share"), follow=True)

    assert "closed for good" in invited.content.decode()
    assert "closed for good" in shared.content.decode()
    assert not SatInvitation.objects.exists() and mailoutbox == []
    assert SatCampaign.objects.get().share_token_digest == ""


@time_machine.travel(TODAY, tick=False)
def test_a_shared_link_says_thank_you_after_answering_and_takes_one_answer_per_browser(cast, campaign, client):
    rep = cast.client_for("rep_a")
    link = matched(r'(/survey/s/[^"]+/)"', rep.post(survey_url(cast, "share")).content.decode())

    answered = client.post(link, answer_data(campaign))
    again = client.get(link).content.decode()
    twice = client.post(link, answer_data(campaign)).content.decode()

    assert answered.status_code == 302 and answered["Location"] == link
    assert "Thank you" in again and "<form" not in again.split("<main")[1].split("</main>")[0]
    assert "already answered from this browser" in twice
    assert SatResponse.objects.count() == 1
    assert Client().get(link).status_code == 200  # another browser still gets the form
