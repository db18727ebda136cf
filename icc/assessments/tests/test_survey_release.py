"""The local-enablers survey's results are released once, with noise, and never counted again.

Open or closed is decided in the city's own time zone, whatever the viewer's; closing is
final; the results are a snapshot taken at release with random noise on every count, so
that answers the city team adds itself cannot single out the one real person's answers.
"""

from __future__ import annotations

import datetime as dt
import re
from statistics import fmean

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from icc.assessments import disclosure, survey
from icc.assessments.models import Question, SatAnswer, SatCampaign, SatResponse
from icc.assessments.tests import test_survey_privacy
from icc.assessments.tests.test_survey_privacy import (
    TODAY,
    close,
    csv_rows,
    manage_url,
    matched,
    questions,
    share_link,
    sheet,
    survey_url,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

campaign = test_survey_privacy.campaign


@pytest.fixture
def no_noise(monkeypatch):
    """Exact counts, to check the shape of the results; the noise itself is tested apart."""
    monkeypatch.setattr(disclosure, "laplace", lambda scale: 0.0)


def set_time_zone(cast, persona, zone):
    person = cast.people[persona]
    return cast.client_for(persona).post("/preferences/", {"full_name": person.full_name, "time_zone": zone})


# Open and closed in one time zone ------------------------------------------------------


def test_a_viewer_whose_own_day_is_ahead_sees_nothing_while_the_city_still_takes_answers(cast, campaign):
    with time_machine.travel(TODAY, tick=False):
        link = share_link(cast)
        for level in "12345":
            Client().post(link, sheet(campaign, level=level))
        set_time_zone(cast, "rep_a", "Pacific/Kiritimati")
    # The last day in Berlin, where the city is; already the next day in Kiritimati.
    with time_machine.travel(dt.datetime(2026, 12, 31, 11, 30, tzinfo=dt.UTC), tick=False):
        rep = cast.client_for("rep_a")
        export = rep.get(manage_url(cast), {"format": "csv"})
        page = rep.get(manage_url(cast)).content.decode()
        late = Client().post(link, sheet(campaign, level="5"))

    assert export.status_code == 404 and "people answered" not in page
    assert late.status_code == 302 and SatResponse.objects.count() == 6


def test_a_viewer_whose_own_day_is_behind_cannot_reopen_a_released_survey(cast, campaign):
    with time_machine.travel(TODAY, tick=False):
        link = share_link(cast)
        for level in "12345":
            Client().post(link, sheet(campaign, level=level))
    # Already the first day after closing in Berlin; still the closing day in Etc/GMT+12.
    with time_machine.travel(dt.datetime(2027, 1, 1, 4, tzinfo=dt.UTC), tick=False):
        released = cast.client_for("lead_expert").get(manage_url(cast)).content.decode()
        set_time_zone(cast, "rep_a", "Etc/GMT+12")
        rep = cast.client_for("rep_a")
        reopened = rep.post(survey_url(cast, "open"), {"closes_on": "2027-01-20"})
        shared = rep.post(survey_url(cast, "share"), follow=True)
        answered = Client().post(link, sheet(campaign, level="5"))

    assert "people answered" in released
    assert "closed for good" in reopened.content.decode()
    assert SatCampaign.objects.get().closes_on == dt.date(2026, 12, 31)
    assert "closed for good" in shared.content.decode()
    assert answered.status_code == 404 and SatResponse.objects.count() == 5
    assert SatCampaign.objects.get().released_at is not None


@time_machine.travel(TODAY, tick=False)
def test_released_results_come_from_the_snapshot_and_never_from_a_new_count(cast, campaign):
    link = share_link(cast)
    for level in "12345":
        Client().post(link, sheet(campaign, level=level))
    close(cast)
    rep = cast.client_for("rep_a")
    first = rep.get(manage_url(cast), {"format": "csv"}).content
    # Whatever happens to the stored answers afterwards, the released figures stay.
    SatAnswer.objects.update(value=1)
    SatResponse.objects.create(campaign=SatCampaign.objects.get())

    again = [rep.get(manage_url(cast), {"format": "csv"}).content for _ in range(3)]
    other = cast.client_for("lead_expert").get(manage_url(cast), {"format": "csv"}).content

    assert again == [first] * 3 and other == first
    assert SatCampaign.objects.get().released_results is not None


@time_machine.travel(TODAY, tick=False)
def test_a_closed_survey_is_closed_for_good_even_before_any_result_showed(cast, campaign):
    link = share_link(cast)
    for level in "1234":
        Client().post(link, sheet(campaign, level=level))
    close(cast)

    reopened = cast.client_for("rep_a").post(survey_url(cast, "open"), {"closes_on": "2026-12-31"})
    answered = Client().post(link, sheet(campaign, level="1"))

    assert "closed for good" in reopened.content.decode()
    assert SatCampaign.objects.get().closed_on == dt.date(2026, 11, 20)
    assert answered.status_code == 404 and SatResponse.objects.count() == 4


# Answers the city team adds itself ------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_four_fake_sheets_from_a_signed_out_rep_do_not_give_away_the_one_real_answer(cast, campaign):
    link = share_link(cast)
    for _ in range(4):
        Client().post(link, sheet(campaign, level="1"))
    Client().post(link, sheet(campaign, level="4"))
    close(cast)

    rows = csv_rows(cast.client_for("rep_a").get(manage_url(cast), {"format": "csv"}))

    header, networks = rows[0], rows[1]
    assert header == ["dimension", "answers", "dont_know", "mean", "n1", "n2", "n3", "n4", "n5", "note"]
    # The exact counts would be 12 answers of 1 and 3 of 4: the three answers of the one real person.
    assert networks[4:9] != ["12", "0", "0", "3", "0"]
    assert all(cell == "" or float(cell) >= 0 for cell in networks[1:9])


def test_the_noise_on_each_count_has_the_documented_scale():
    draws = [disclosure.laplace(3.0) for _ in range(20_000)]

    # A Laplace distribution of scale b has mean 0 and mean absolute value b.
    assert abs(fmean(draws)) < 0.15
    assert 2.85 < fmean(abs(d) for d in draws) < 3.15


@time_machine.travel(TODAY, tick=False)
def test_with_sixty_answers_the_released_means_stay_close_to_the_true_means(cast, campaign):
    link = share_link(cast)
    levels = [str(1 + (n * 7) % 5) if n % 3 else "4" for n in range(60)]
    for n, level in enumerate(levels):
        Client().post(link, sheet(campaign, level=level), REMOTE_ADDR=f"10.0.0.{n}")
    close(cast)

    results = cast.client_for("rep_a").get(manage_url(cast)).context["results"]

    truth = fmean(int(level) for level in levels)
    errors = [abs(row.mean - truth) for _title, row in results["dimensions"]]
    assert len(errors) == len(results["rows"]) and fmean(errors) < 0.3
    assert 50 <= results["responses"] <= 70


@time_machine.travel(TODAY, tick=False)
def test_shared_words_show_no_count_and_need_a_fifth_of_the_answers(cast, campaign):
    link = share_link(cast)
    for n in range(5):
        Client().post(link, sheet(campaign, strength=f"harbour broadband number{'x' * n}"), REMOTE_ADDR=f"10.1.0.{n}")
    for n in range(25):
        Client().post(link, sheet(campaign, strength=f"broadband answer{'y' * n}"), REMOTE_ADDR=f"10.2.0.{n}")
    close(cast)

    page = cast.client_for("rep_a").get(manage_url(cast)).content.decode()
    words = matched(r"Words at least.*?</p>", page, re.S, group=0)

    # "harbour": 5 of 30 different answers, fewer than a fifth; "broadband": all 30.
    assert "broadband" in words and "harbour" not in words
    assert not re.search(r"\(\d+\)", words)


@time_machine.travel(TODAY, tick=False)
def test_the_count_of_answers_is_coarse_beside_the_count_of_invitations(
    cast, campaign, no_noise, mailoutbox, django_capture_on_commit_callbacks
):
    addresses = "\n".join(f"p{n}@org.example" for n in range(7))
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("rep_a").post(survey_url(cast, "invite"), {"emails": addresses})
    for message in mailoutbox:
        Client().post(matched(r"(/survey/i/[^/\s]+/)", message.body), sheet(campaign))
    close(cast)

    page = cast.client_for("rep_a").get(manage_url(cast)).content.decode()

    assert "7 invitations sent" in page and SatResponse.objects.count() == 7
    assert "7 people answered" not in page and "About 5 people answered" in page


# Races and stored values ------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_an_answer_checked_against_a_survey_that_closed_meanwhile_is_refused(cast, campaign, monkeypatch):
    page = cast.client_for("rep_a").post(survey_url(cast, "share")).content.decode()
    token = matched(r"/survey/s/([^/\"]+)/", page)
    stale = SatCampaign.objects.get()
    close(cast)
    monkeypatch.setattr(survey, "campaign_for", lambda kind, token: (stale, None))

    with pytest.raises(survey.SurveyClosed):
        survey.submit_answers(kind="s", token=token, values={})

    assert not SatResponse.objects.exists()


@pytest.mark.parametrize(
    ("proxy", "addresses", "refused"),
    [
        # Behind the proxy every request comes from the proxy: the client is the address it adds.
        (True, [f"203.0.113.{n}" for n in range(11)], False),
        # What the client itself puts in front of the header does not give it a new address.
        (True, [f"198.51.100.{n}, 203.0.113.9" for n in range(11)], True),
        (False, [f"203.0.113.{n}" for n in range(11)], True),
    ],
)
def test_the_shared_link_limit_counts_the_address_the_proxy_saw(cast, campaign, settings, proxy, addresses, refused):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if proxy else None
    with time_machine.travel(TODAY, tick=False):
        link = share_link(cast)
        statuses = [
            Client().post(link, sheet(campaign), REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded).status_code
            for forwarded in addresses
        ]

    assert (statuses[-1] == 429) is refused and statuses[:10] == [302] * 10


@time_machine.travel(TODAY, tick=False)
def test_a_bad_stored_answer_does_not_break_the_results_or_the_chain_page(cast, campaign, no_noise):
    link = share_link(cast)
    for level in "123453":
        Client().post(link, sheet(campaign, level=level))
    first = questions(campaign, "stakeholder-networks")[0]
    stored = list(SatAnswer.objects.filter(question=first).values_list("pk", flat=True))
    SatAnswer.objects.filter(pk=stored[0]).update(value="abc")
    SatAnswer.objects.filter(pk=stored[1]).update(value=9)
    close(cast)
    viewer = cast.client_for("lead_expert")

    page = viewer.get(manage_url(cast))
    chain = viewer.get(reverse("roadmaps:chain", kwargs={"pk": cast.city_a.pk}))

    assert page.status_code == 200 and chain.status_code == 200
    networks = dict(page.context["results"]["rows"])["Stakeholder networks"]
    assert networks.answers == 16


@time_machine.travel(TODAY, tick=False)
def test_the_type_and_levels_of_an_answered_question_cannot_be_changed(cast, campaign):
    link = share_link(cast)
    Client().post(link, sheet(campaign, level="3"))
    question = questions(campaign, "stakeholder-networks")[0]
    url = reverse("assessments:question_edit", kwargs={"slug": cast.programme.slug, "pk": question.pk})
    organiser = cast.client_for("organiser")
    form = organiser.get(url).context["form"]
    data = {"text": "Reworded", "help": "", "allow_unknown": "on", "levels": "a\nb\nc\nd\ne"}

    organiser.post(url, data)
    admin = Client()
    admin.force_login(PersonFactory.create(email="root@example.org", is_staff=True, is_superuser=True))
    change = admin.get(reverse("admin:assessments_question_change", args=[question.pk])).content.decode()

    question.refresh_from_db()
    assert form.fields["levels"].disabled
    assert question.text == "Reworded" and question.levels != ["a", "b", "c", "d", "e"]
    assert 'name="type"' not in change and 'name="levels"' not in change
    assert Question.objects.get(pk=question.pk).type == "scale"
