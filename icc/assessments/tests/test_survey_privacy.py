"""What the local-enablers survey promises the people who answer it, tried the way the city team could.

No one who can see the results can single out one person's answers: not by answering
themselves, not by watching results change, and not through a dimension, a question or a
word fewer than five people gave.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from icc.assessments import disclosure
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import SatCampaign, SatInvitation, SatResponse

TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
AFTER_CLOSING = dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def matched(pattern: str, text: str, flags: int = 0, *, group: int = 1) -> str:
    """The ``group`` of the first match of ``pattern`` in ``text``; the test fails if nothing matches."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} not found"
    return found.group(group)


def manage_url(cast, round="baseline"):
    return reverse("assessments:survey_manage", kwargs={"pk": cast.city_a.pk, "round": round})


def survey_url(cast, verb, round="baseline"):
    """The URL of one write on the survey: open, close, invite or share."""
    return reverse(f"assessments:survey_{verb}", kwargs={"pk": cast.city_a.pk, "round": round})


@pytest.fixture
def no_noise(monkeypatch):
    """Exact released counts, to check which figures show; the noise is tested on its own."""
    monkeypatch.setattr(disclosure, "laplace", lambda scale: 0.0)


def words_shown(page: str) -> str:
    found = re.search(r"Words at least.*?</p>", page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def campaign(cast):
    load_default_instruments(programme=cast.programme)
    with time_machine.travel(TODAY, tick=False):
        cast.client_for("rep_a").post(survey_url(cast, "open"), {"closes_on": "2026-12-31"})
    return SatCampaign.objects.get()


def share_link(cast):
    page = cast.client_for("rep_a").post(survey_url(cast, "share")).content.decode()
    return matched(r'value="http://[^/]+(/survey/s/[^"]+/)"', page)


def questions(campaign, section):
    return list(campaign.instrument.sections.get(key=section).questions.all())


def sheet(campaign, *, level="4", networks=None, finance=None, strength=""):
    """An answer sheet: every 1–5 question at ``level`` unless a section is given its own levels."""
    data = {}
    for section in campaign.instrument.sections.exclude(key="open"):
        for question in section.questions.all():
            data[f"q{question.pk}"] = level
    for section, levels in (("stakeholder-networks", networks), ("finance", finance)):
        if levels is not None:
            for question, given in zip(questions(campaign, section), levels, strict=True):
                data[f"q{question.pk}"] = given
    if strength:
        data[f"q{questions(campaign, 'open')[0].pk}"] = strength
    return data


def close(cast):
    return cast.client_for("rep_a").post(survey_url(cast, "close"), follow=True)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


# Answering one's own city's survey ---------------------------------------------------


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "persona", ["rep_a", "mayor_a", "lead_expert", "organiser", "thematic_expert", "transversal_expert"]
)
def test_people_who_can_see_the_results_cannot_answer_even_through_the_shared_link(cast, campaign, persona):
    link = share_link(cast)
    client = cast.client_for(persona)

    opened = client.get(link)
    posted = client.post(link, sheet(campaign))

    assert opened.status_code == 403 and posted.status_code == 403
    assert "cannot answer" in posted.content.decode()
    assert "Send my answers" not in opened.content.decode()
    assert not SatResponse.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_invitation_opened_by_the_city_team_while_signed_in_stays_unused(
    cast, campaign, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("rep_a").post(survey_url(cast, "invite"), {"emails": "a@org.example"})
    link = matched(r"(/survey/i/[^/\s]+/)", mailoutbox[0].body)

    refused = cast.client_for("rep_a").post(link, sheet(campaign))
    answered = cast.client_for("anonymous").post(link, sheet(campaign), follow=True)

    assert refused.status_code == 403
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()
    assert SatResponse.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("persona", ["rep_b", "mentor", "stakeholder", "outsider", "anonymous"])
def test_people_who_cannot_see_the_results_may_answer_signed_in(cast, campaign, persona):
    response = cast.client_for(persona).post(share_link(cast), sheet(campaign), follow=True)

    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert SatResponse.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
def test_four_dummy_answers_from_the_city_rep_do_not_unlock_one_persons_answers(cast, campaign):
    link = share_link(cast)
    rep = cast.client_for("rep_a")
    for level in "1111":
        rep.post(link, sheet(campaign, level=level))
    cast.client_for("anonymous").post(link, sheet(campaign, level="5", strength="Broadband in the harbour"))
    close(cast)

    page = rep.get(manage_url(cast)).content.decode()
    export = rep.get(manage_url(cast), {"format": "csv"})

    assert SatResponse.objects.count() == 1
    assert "Fewer than 5 people answered" in page and "people answered." not in page
    assert export.status_code == 404


# Watching results change ---------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_results_stay_hidden_while_the_survey_is_open_and_show_once_it_is_closed(cast, campaign, no_noise):
    link = share_link(cast)
    for level in "12345":
        cast.client_for("anonymous").post(link, sheet(campaign, level=level))
    viewer = cast.client_for("lead_expert")

    open_page = viewer.get(manage_url(cast)).content.decode()
    open_csv = viewer.get(manage_url(cast), {"format": "csv"})
    closed = close(cast).content.decode()
    late = cast.client_for("anonymous").post(link, sheet(campaign, level="1"))
    page = viewer.get(manage_url(cast)).content.decode()
    export = csv_rows(viewer.get(manage_url(cast), {"format": "csv"}))

    assert (
        "Results appear once at least 5 people have answered and the survey has closed" in open_page
        and "people answered" not in open_page
    )
    assert open_csv.status_code == 404
    assert "The survey is closed" in closed
    assert late.status_code == 404 and SatResponse.objects.count() == 5
    assert "About 5 people answered" in page
    assert export[1][:5] == ["Stakeholder networks", "15", "0", "3.0", "3"]


@time_machine.travel(TODAY, tick=False)
def test_results_show_once_the_closing_date_has_passed(cast, campaign, no_noise):
    link = share_link(cast)
    for level in "12345":
        cast.client_for("anonymous").post(link, sheet(campaign, level=level))

    with time_machine.travel(AFTER_CLOSING, tick=False):
        page = cast.client_for("lead_expert").get(manage_url(cast)).content.decode()

    assert "About 5 people answered" in page


@time_machine.travel(TODAY, tick=False)
def test_the_page_tells_nothing_new_while_answers_come_in(cast, campaign):
    link = share_link(cast)
    rep = cast.client_for("rep_a")
    for level in "1234":
        cast.client_for("anonymous").post(link, sheet(campaign, level=level))

    before = without_tokens(rep.get(manage_url(cast)).content.decode())
    cast.client_for("anonymous").post(link, sheet(campaign, level="5"))
    after = without_tokens(rep.get(manage_url(cast)).content.decode())

    assert SatResponse.objects.count() == 5
    assert before == after
    assert rep.get(manage_url(cast), {"format": "csv"}).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_survey_whose_results_are_out_cannot_be_reopened_to_compare_before_and_after(cast, campaign):
    link = share_link(cast)
    for level in "12345":
        cast.client_for("anonymous").post(link, sheet(campaign, level=level))
    close(cast)

    reopened = cast.client_for("rep_a").post(survey_url(cast, "open"), {"closes_on": "2026-12-31"})
    answered = cast.client_for("anonymous").post(link, sheet(campaign, level="1"))

    assert "cannot be reopened" in reopened.content.decode()
    assert SatCampaign.objects.get().closed_on == dt.date(2026, 11, 20)
    assert answered.status_code == 404 and SatResponse.objects.count() == 5


def test_only_the_city_team_closes_the_survey(cast, campaign):
    assert cast.client_for("mayor_a").post(survey_url(cast, "close")).status_code == 403
    assert cast.client_for("rep_b").post(survey_url(cast, "close")).status_code == 404
    assert SatCampaign.objects.get().closed_on is None


# Thresholds on real answers, per dimension, question and word ----------------------------


@time_machine.travel(TODAY, tick=False)
def test_sheets_of_only_dont_know_do_not_count_towards_the_threshold(cast, campaign):
    link = share_link(cast)
    for _ in range(4):
        cast.client_for("anonymous").post(link, sheet(campaign, level="unknown"))
    cast.client_for("anonymous").post(link, sheet(campaign, level="2"))
    close(cast)

    page = cast.client_for("rep_a").get(manage_url(cast)).content.decode()

    assert SatResponse.objects.count() == 5
    assert "Fewer than 5 people answered" in page and "people answered." not in page
    assert cast.client_for("rep_a").get(manage_url(cast), {"format": "csv"}).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_dimension_with_too_few_real_answers_shows_no_figures(cast, campaign, no_noise):
    link = share_link(cast)
    # Finance: one person answers, four say "don't know". Networks: everyone answers the
    # first question, only one person the second, no one the third.
    cast.client_for("anonymous").post(
        link, sheet(campaign, level="3", networks=["2", "5", "unknown"], finance=["1", "1", "1"])
    )
    for _ in range(4):
        cast.client_for("anonymous").post(
            link,
            sheet(campaign, level="3", networks=["4", "unknown", "unknown"], finance=["unknown"] * 3),
        )
    close(cast)
    rep = cast.client_for("rep_a")

    results = rep.get(manage_url(cast)).context["results"]
    rows = dict(results["rows"])
    export = {row[0]: row for row in csv_rows(rep.get(manage_url(cast), {"format": "csv"}))}

    # A dimension shows only with as many real answers as five people answering all its questions.
    assert rows["Access to finance"] is None and rows["Stakeholder networks"] is None
    assert export["Access to finance"][1:9] == [""] * 8
    assert export["Access to finance"][-1] == "too few answers to show"
    assert rows["Local capabilities"].answers == 15
    page = rep.get(manage_url(cast)).content.decode()
    assert page.count("too few answers to show") >= 2


@time_machine.travel(TODAY, tick=False)
def test_a_word_shows_only_when_five_different_answers_use_it_and_no_answer_shows_whole(cast, campaign):
    link = share_link(cast)
    texts = [
        "Funding for broadband pilots",
        "Funding and broadband, harbour wifi",
        "Broadband funding is scarce",
        "Funding: broadband again",
        "Funding of the harbour",
    ]
    for text in texts:
        cast.client_for("anonymous").post(link, sheet(campaign, strength=text))
    for _ in range(5):
        cast.client_for("anonymous").post(link, sheet(campaign, strength="Strong university network"))
    close(cast)

    page = cast.client_for("rep_a").get(manage_url(cast)).content.decode()

    words = words_shown(page)
    assert "funding" in words and "(5)" not in words
    assert "broadband" not in words and "harbour" not in words
    # Five identical answers are one answer repeated, not five people sharing a word.
    assert "university" not in words and "network" not in words
    assert not any(text in page for text in [*texts, "Strong university network"])


@time_machine.travel(TODAY, tick=False)
def test_an_open_question_fewer_than_five_people_answered_shows_no_words(cast, campaign):
    link = share_link(cast)
    for n in range(4):
        cast.client_for("anonymous").post(link, sheet(campaign, strength=f"Funding number {n} of the harbour"))
    cast.client_for("anonymous").post(link, sheet(campaign))
    close(cast)

    results = cast.client_for("rep_a").get(manage_url(cast)).context["results"]

    themes = dict(results["themes"])
    assert themes["What is the city's greatest strength for this transformation?"] is None


# Order of answers and who answered ------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_used_invitation_leaves_no_row_telling_who_answered(
    cast, campaign, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("rep_a").post(
            survey_url(cast, "invite"), {"emails": "a@org.example\nb@org.example\nc@org.example"}
        )
    links = [matched(r"(/survey/i/[^/\s]+/)", m.body) for m in mailoutbox]
    before = without_tokens(cast.client_for("rep_a").get(manage_url(cast)).content.decode())

    cast.client_for("anonymous").post(links[1], sheet(campaign))
    again = cast.client_for("anonymous").post(links[1], sheet(campaign))
    after = without_tokens(cast.client_for("rep_a").get(manage_url(cast)).content.decode())

    assert again.status_code == 404 and "not valid or has already been used" in again.content.decode()
    assert "3 invitations sent" in after and before == after
    assert SatInvitation.objects.count() == 2
    assert {f.name for f in SatInvitation._meta.get_fields()} == {"id", "campaign", "token_digest", "expires_on"}
    assert all(isinstance(pk, uuid.UUID) for pk in SatInvitation.objects.values_list("pk", flat=True))


@time_machine.travel(TODAY, tick=False)
def test_results_and_csv_are_the_same_whatever_order_the_answers_came_in(cast, campaign, no_noise):
    rep = cast.client_for("rep_a")
    rep.post(survey_url(cast, "open", "rerun"), {"closes_on": "2026-12-31"})
    sheets = [sheet(campaign, level=level, strength=f"Funding {level} harbour") for level in "12345"]
    exports = []
    for round, order in (("baseline", sheets), ("rerun", sheets[::-1])):
        page = rep.post(survey_url(cast, "share", round)).content.decode()
        link = matched(r'value="http://[^/]+(/survey/s/[^"]+/)"', page)
        for data in order:
            cast.client_for("anonymous").post(link, data)
        rep.post(survey_url(cast, "close", round))
        exports.append(rep.get(manage_url(cast, round), {"format": "csv"}).content)

    assert exports[0] == exports[1]
    assert [row[0] for row in csv_rows_from(exports[0])[1:]] == [
        s.title for s in campaign.instrument.sections.exclude(key="open")
    ]


def csv_rows_from(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@time_machine.travel(TODAY, tick=False)
def test_the_enablers_chain_page_shows_only_what_the_results_page_shows(cast, campaign, no_noise):
    link = share_link(cast)
    cast.client_for("anonymous").post(link, sheet(campaign, level="2", finance=["5", "5", "5"]))
    for _ in range(4):
        cast.client_for("anonymous").post(link, sheet(campaign, level="2", finance=["unknown"] * 3))
    chain = reverse("roadmaps:chain", kwargs={"pk": cast.city_a.pk})
    viewer = cast.client_for("lead_expert")

    while_open = viewer.get(chain).content.decode()
    close(cast)
    closed = viewer.get(chain).content.decode()

    assert "Results appear once enough stakeholders have answered" in while_open
    assert "Skills: 2.0" in closed
    assert "Access to finance: —" in closed and "5.0" not in closed
