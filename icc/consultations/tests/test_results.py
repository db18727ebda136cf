"""Results: counts and shares, Borda points, ratings, moderated texts; nothing for a
question with too few answers, never a personal answer, only confirmed submissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icc.consultations import actions, results
from icc.consultations.answering import parse
from icc.consultations.models import Answer, Consultation, Moderation, QuestionType, Submission
from icc.consultations.structure import read
from icc.consultations.tests.conftest import Site, build, choices_of, question, questions_of

pytestmark = pytest.mark.django_db


def _survey(site: Site, **kwargs: Any) -> Consultation:
    return build(
        site,
        [
            question(QuestionType.SINGLE, "Bus or tram?", choices=("Bus", "Tram"), allow_other=True),
            question(QuestionType.RANKING, "Top 2 needs", choices=("Housing", "Transport", "Air"), picks=2),
            question(
                QuestionType.RATING, "How happy?", scale=5, low_label={"en": "Not at all"}, high_label={"en": "Very"}
            ),
            question(QuestionType.LONG_TEXT, "Anything else?"),
            question(QuestionType.SHORT_TEXT, "Your e-mail", personal=True),
        ],
        kind="blank-survey",
        personal_data_until=timezone.localdate() + dt.timedelta(days=30),
        **kwargs,
    )


def _send(consultation: Consultation, visitor: str, values: dict[str, Any]) -> None:
    request = RequestFactory().post("/", values)
    parsed = parse(read(consultation), request.POST)
    assert parsed.ok, parsed.problems
    actions.submit(request=request, consultation=consultation, parsed=parsed, visitor=visitor)


def _answers(site: Site, consultation: Consultation, rows: list[tuple[Any, ...]]) -> None:
    single, ranking, rating, text, _personal = questions_of(consultation)
    bus, tram = choices_of(single)
    housing, transport, air = choices_of(ranking)
    pick = {"bus": bus.pk, "tram": tram.pk, "other": "other"}
    need = {"housing": housing.pk, "transport": transport.pk, "air": air.pk}
    for index, (mode, first, second, point, words) in enumerate(rows):
        values: dict[str, Any] = {f"q{single.pk}": pick[mode], f"q{rating.pk}": point}
        if mode == "other":
            values[f"q{single.pk}-other"] = "Bike"
        if first:
            values[f"q{ranking.pk}-1"], values[f"q{ranking.pk}-2"] = need[first], need[second]
        if words:
            values[f"q{text.pk}"] = words
        _send(consultation, f"{index:032d}", values)


ROWS = [
    ("bus", "housing", "air", 5, "More night buses"),
    ("bus", "housing", "transport", 4, "Safer crossings"),
    ("tram", "transport", "housing", 4, "My neighbour Ana at 12 Main Street complains"),
    ("bus", "air", "housing", 2, ""),
    ("other", "housing", "air", 1, ""),
]


def test_counts_shares_points_and_means(site: Site) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation))
    assert found.respondents == 5
    single, ranking, rating, text = found.questions
    assert [(c.count, round(c.share, 2), c.other) for c in single.choices] == [
        (3, 0.6, False),
        (1, 0.2, False),
        (1, 0.2, True),
    ]
    # Borda: 2 points for a first place, 1 for a second.
    assert [(c.label["en"], c.points, c.first, c.count) for c in ranking.choices] == [
        ("Housing", 2 + 2 + 1 + 1 + 2, 3, 5),
        ("Air", 1 + 2 + 1, 1, 3),
        ("Transport", 1 + 2, 1, 2),
    ]
    assert rating.points == [(1, 1), (2, 1), (3, 0), (4, 2), (5, 1)] and rating.mean == pytest.approx(16 / 5)
    # No text is shown before a moderator shows it, and the waiting ones are counted.
    assert text.texts == [] and text.pending == 3 and text.hidden == 0
    # The personal question is not in the results at all.
    assert [r.question.text["en"] for r in found.questions] == [
        "Bus or tram?",
        "Top 2 needs",
        "How happy?",
        "Anything else?",
    ]


def test_a_question_with_fewer_answers_than_the_minimum_shows_no_figures(site: Site, settings: Any) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS[:4])
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation))
    assert not any(r.shown for r in found.questions)
    assert all(r.choices == [] and r.points == [] and r.mean is None for r in found.questions)
    # The team that runs it is held to the same minimum.
    team = results.compute(consultation, read(consultation), team=True)
    assert not any(r.shown for r in team.questions) and all(r.choices == [] for r in team.questions)
    settings.ICC_CONSULTATION_MIN_ANSWERS = 3
    assert all(r.shown for r in results.compute(consultation, read(consultation)).questions)
    team = results.compute(consultation, read(consultation), team=True)
    assert team.questions[0].choices[0].count == 3


def test_while_open_the_team_sees_no_figure_that_one_answer_would_change(site: Site, settings: Any) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    team = results.compute(consultation, read(consultation), team=True)
    assert team.withheld and team.respondents == 5
    assert all(not r.shown and r.answered is None and r.choices == [] and r.mean is None for r in team.questions)
    page = site.cast.client_for("rep_a").get(reverse("consultations:results", kwargs={"pk": consultation.pk}))
    html = page.content.decode()
    assert "No figures while the consultation is open" in html and "<table" not in html
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    team = results.compute(consultation, read(consultation), team=True)
    assert not team.withheld and team.questions[0].shown and team.questions[0].answered == 5


def test_texts_reach_the_moderators_in_batches_while_answers_come_in(site: Site, settings: Any) -> None:
    settings.ICC_CONSULTATION_MIN_ANSWERS = 2
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    text_question = next(q for q in read(consultation).public_questions if q.is_text)
    written = Answer.objects.filter(question_id=text_question.pk).exclude(moderation=Moderation.NONE)
    assert written.count() == 3
    found = {r.question.pk: r for r in results.compute(consultation, read(consultation), team=True).questions}
    # Three texts, batches of two: the third waits for a fourth, so it never shows up alone.
    first_two = set(written.order_by("pk").values_list("pk", flat=True)[:2])
    assert {t.pk for t in found[text_question.pk].texts} == first_two
    assert found[text_question.pk].pending == 2
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = {r.question.pk: r for r in results.compute(consultation, read(consultation), team=True).questions}
    assert len(found[text_question.pk].texts) == 3 and found[text_question.pk].pending == 3


def test_only_confirmed_submissions_count(site: Site, settings: Any) -> None:
    settings.ICC_CONSULTATION_MIN_ANSWERS = 3
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    Submission.objects.filter(pk=Submission.objects.order_by("pk").first().pk).update(confirmed=False)  # type: ignore[union-attr]
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation), team=True)
    assert found.respondents == 4 and found.questions[0].answered == 4
    assert sum(c.count for c in found.questions[0].choices) == 4


def test_moderation_shows_chosen_texts_and_counts_the_hidden_ones(site: Site, settings: Any) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    actions.publish_results(consultation=consultation, by=site.organiser)
    client = site.cast.client_for("rep_a")
    texts = {a.text: a for a in Answer.objects.filter(moderation=Moderation.PENDING)}
    for words in ("More night buses", "Safer crossings", "Bike"):
        assert client.post(reverse("consultations:answer_show", kwargs={"pk": texts[words].pk})).status_code == 302
    hide = reverse("consultations:answer_hide", kwargs={"pk": texts["My neighbour Ana at 12 Main Street complains"].pk})
    assert client.post(hide).status_code == 302
    # A choice is not a text to moderate.
    choice = Answer.objects.filter(choice__isnull=False).first()
    assert choice is not None
    assert client.post(reverse("consultations:answer_show", kwargs={"pk": choice.pk})).status_code == 404
    page = Client().get(site.url("consultation_results", consultation)).content.decode()
    # Three people wrote a text: below the minimum of five, the question shows nothing.
    assert "More night buses" not in page and "Bike" in page
    settings.ICC_CONSULTATION_MIN_ANSWERS = 3
    page = Client().get(site.url("consultation_results", consultation)).content.decode()
    assert "More night buses" in page and "Safer crossings" in page and "Bike" in page
    assert "Main Street" not in page
    assert "1 answer hidden by moderation." in page
    team = client.get(reverse("consultations:results", kwargs={"pk": consultation.pk})).content.decode()
    assert "Main Street" in team and "hidden" in team


def test_the_results_page_has_a_chart_with_a_table_and_takes_few_queries(site: Site) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    actions.publish_results(consultation=consultation, by=site.organiser)
    url = site.url("consultation_results", consultation)
    Client().get(url)
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(captured) <= 6, [q["sql"] for q in captured.captured_queries]
    assert html.count('role="img"') == 3 and html.count("<table>") == 3
    assert 'aria-labelledby="chart-' in html and "<title id=" in html and "<desc id=" in html
    assert "style=" not in html
    assert "60%" in html and "Mean: 3.2 on a scale from 1 to 5." in html
    assert response["Cache-Control"] == "public, max-age=60"
    # More answers do not mean more queries.
    reopened = _survey(site)
    _answers(site, reopened, ROWS * 1 + [(m, a, b, p, w) for (m, a, b, p, w) in ROWS])
    actions.close_consultation(consultation=reopened, by=site.organiser)
    actions.publish_results(consultation=reopened, by=site.organiser)
    second = site.url("consultation_results", reopened)
    Client().get(second)
    with CaptureQueriesContext(connection) as again:
        assert Client().get(second).status_code == 200
    assert len(again) == len(captured)


def test_results_in_french_write_shares_the_french_way(site: Site) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    actions.publish_results(consultation=consultation, by=site.organiser)
    html = Client().get(site.url("consultation_results", consultation, language="fr")).content.decode()
    assert "60\u00a0%" in html or "60\u202f%" in html


def test_free_texts_are_not_listed_in_the_order_they_came(site: Site) -> None:
    """Listed in that order, the n-th text of two questions would be one person's, and the
    text just after one's own would be that of whoever answered next."""
    consultation = build(
        site,
        [question(QuestionType.LONG_TEXT, "What first?"), question(QuestionType.LONG_TEXT, "What next?")],
        kind="blank-survey",
    )
    first, second = questions_of(consultation)
    for index in range(12):
        _send(consultation, f"{index:032d}", {f"q{first.pk}": f"first {index}", f"q{second.pk}": f"second {index}"})
    Answer.objects.update(moderation=Moderation.SHOWN)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    actions.publish_results(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation))
    firsts, seconds = ([text.text.split()[1] for text in result.texts] for result in found.questions)
    assert sorted(firsts, key=int) == sorted(seconds, key=int) == [str(n) for n in range(12)]
    assert firsts != [str(n) for n in range(12)] and seconds != [str(n) for n in range(12)]
    # Each list has an order of its own: they do not pair up their authors.
    assert sum(a == b for a, b in zip(firsts, seconds, strict=True)) < 12
    # The page lists them as computed, the same on every load.
    page = Client().get(site.url("consultation_results", consultation)).content.decode()
    assert page.index(f"first {firsts[0]}<") < page.index(f"first {firsts[1]}<")
    again = Client().get(site.url("consultation_results", consultation)).content.decode()
    assert again == page


def test_a_question_asked_after_a_choice_does_not_count_that_choice_below_the_minimum(site: Site) -> None:
    consultation = build(
        site,
        [
            question(QuestionType.SINGLE, "Do you use a wheelchair?", choices=("Yes", "No"), required=True),
            question(QuestionType.SINGLE, "Which stop is hardest?", choices=("Station", "Market")),
            question(QuestionType.SINGLE, "Bus or tram?", choices=("Bus", "Tram")),
        ],
        kind="blank-survey",
        open_it=False,
    )
    wheelchair, stop, mode = questions_of(consultation)
    yes, no = choices_of(wheelchair)
    data = actions.QuestionData(
        type=QuestionType.SINGLE,
        text={"en": "Which stop is hardest?"},
        choices=[{"en": "Station"}, {"en": "Market"}],
        condition_question=wheelchair.pk,
        condition_choice=yes.pk,
    )
    actions.change_question(question=stop, data=data, by=site.organiser)
    consultation = actions.open_consultation(consultation=consultation, default_language="en", by=site.organiser)
    station = choices_of(stop)[0]
    for index, picked in enumerate([yes, no, no, no]):
        values = {f"q{wheelchair.pk}": picked.pk, f"q{stop.pk}": station.pk, f"q{mode.pk}": choices_of(mode)[0].pk}
        _send(consultation, f"{index:032d}", values)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    actions.publish_results(consultation=consultation, by=site.organiser)
    found = {r.question.pk: r for r in results.compute(consultation, read(consultation)).questions}
    assert not found[wheelchair.pk].shown and found[wheelchair.pk].answered == 4
    # One answer to the second question would say that one of the four uses a wheelchair.
    assert found[stop.pk].answered is None
    assert found[mode.pk].answered == 4
    page = Client().get(site.url("consultation_results", consultation)).content.decode()
    section = page[page.index(f'id="question-{stop.pk}"') : page.index(f'id="question-{mode.pk}"')]
    assert "Which stop is hardest?" in section and "1 answer" not in section
    team = results.compute(consultation, read(consultation), team=True)
    assert {r.question.pk: r.answered for r in team.questions}[stop.pk] is None


def test_a_text_not_yet_released_cannot_be_moderated_or_probed(site: Site, settings: Any) -> None:
    consultation = _survey(site)
    _answers(site, consultation, ROWS[:2])  # two texts: below the batch of five
    client = site.cast.client_for("rep_a")
    texts = list(Answer.objects.exclude(moderation=Moderation.NONE))
    assert texts
    for answer in texts:
        assert client.post(reverse("consultations:answer_hide", kwargs={"pk": answer.pk})).status_code == 404
    assert set(Answer.objects.exclude(moderation=Moderation.NONE).values_list("moderation", flat=True)) == {
        Moderation.PENDING
    }
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    assert client.post(reverse("consultations:answer_hide", kwargs={"pk": texts[0].pk})).status_code == 302


def test_texts_of_a_consultation_that_confirms_by_email_wait_for_the_closing(site: Site, settings: Any) -> None:
    settings.ICC_CONSULTATION_MIN_ANSWERS = 2
    consultation = _survey(site)
    _answers(site, consultation, ROWS)
    Consultation.objects.filter(pk=consultation.pk).update(needs_confirmation=True)
    consultation.refresh_from_db()
    found = results.compute(consultation, read(consultation), team=True)
    assert all(r.texts == [] and r.pending == 0 for r in found.questions)
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation), team=True)
    assert any(r.texts for r in found.questions)
