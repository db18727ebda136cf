"""The city team builds a draft from scratch or from a ready-made one, edits its questions
while it is a draft, opens it, closes it early and publishes its results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.consultations import actions, blueprints
from icc.consultations.models import Choice, Consultation, Phase, Question, QuestionType, Status
from icc.consultations.tests.conftest import Site, build, choices_of, poll, question, questions_of
from icc.core.models import AuditEntry, AuditKind

pytestmark = pytest.mark.django_db


def _manage(consultation: Consultation) -> str:
    return reverse("consultations:manage", kwargs={"pk": consultation.pk})


def test_the_team_starts_from_the_ready_made_start_survey(site: Site) -> None:
    client = site.cast.client_for("rep_a")
    url = reverse("consultations:create", kwargs={"pk": site.cast.city_a.pk})
    response = client.post(url, {"start": "start", "title": ""})
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == _manage(consultation)
    assert consultation.status == Status.DRAFT and consultation.template == "start"
    # The texts come in the languages the city writes in (English and French), no others.
    assert set(consultation.title) == {"en", "fr"}
    items = questions_of(consultation)
    assert [q.type for q in items] == [q.type for q in blueprints.get("start").questions]  # type: ignore[union-attr]
    ranking = items[0]
    assert ranking.type == QuestionType.RANKING and ranking.picks == 3 and ranking.choices.count() == 8
    assert ranking.text["fr"] == "Quels sont actuellement les 3 défis les plus importants pour la ville ?"
    conditional = items[2]
    assert conditional.condition_question == items[1]
    assert conditional.condition_choice == choices_of(items[1])[0]
    page = client.get(_manage(consultation)).content.decode()
    assert "Asked only after “Yes” in question 2." in page
    assert AuditEntry.objects.filter(action=AuditKind.CREATED, object_id=str(consultation.pk)).exists()


@pytest.mark.parametrize("start", ["end", "transport-app"])
def test_every_ready_made_consultation_opens_as_it_comes(site: Site, start: str) -> None:
    consultation = actions.create_consultation(
        city=site.cast.city_a, start=start, title={}, languages=["de"], by=site.organiser
    )
    assert set(consultation.title) == {"de"}
    now = timezone.now()
    actions.save_settings(
        consultation=consultation,
        title=consultation.title,
        introduction=consultation.introduction,
        opens_at=now,
        closes_at=now + dt.timedelta(days=10),
        needs_confirmation=False,
        personal_data_until=None,
        by=site.organiser,
    )
    opened = actions.open_consultation(consultation=consultation, default_language="de", by=site.organiser)
    assert opened.phase() == Phase.OPEN


def test_a_city_writing_none_of_the_ready_made_languages_gets_english(site: Site) -> None:
    consultation = actions.create_consultation(
        city=site.cast.city_a, start="transport-app", title={}, languages=["pt"], by=site.organiser
    )
    assert set(consultation.title) == {"en"}
    assert actions.readiness(consultation, "pt")[0] == "Write the title in português, the default language."


def test_an_empty_consultation_needs_a_title(site: Site) -> None:
    client = site.cast.client_for("rep_a")
    url = reverse("consultations:create", kwargs={"pk": site.cast.city_a.pk})
    response = client.post(url, {"start": "blank-survey", "title": ""})
    assert response.status_code == 200 and "Give the consultation a title." in response.content.decode()
    assert client.post(url, {"start": "made-up", "title": "x"}).status_code == 200
    assert not Consultation.objects.exists()


def _question_form(**changes: Any) -> dict[str, Any]:
    data = {
        "type": "single",
        "text__en": "Bus or tram?",
        "choices__en": "Bus\nTram\n",
        "condition": "",
        "picks": "",
        "scale": "",
    }
    data.update(changes)
    return data


def test_questions_are_added_edited_moved_and_removed_while_draft(site: Site) -> None:
    client = site.cast.client_for("lead_expert")
    consultation = build(site, [], open_it=False)
    add = reverse("consultations:question_add", kwargs={"pk": consultation.pk})
    assert client.post(add, _question_form()).status_code == 302
    assert (
        client.post(add, _question_form(type="rating", text__en="How happy?", choices__en="", scale="5")).status_code
        == 302
    )
    first, second = questions_of(consultation)
    assert [c.label for c in choices_of(first)] == [{"en": "Bus"}, {"en": "Tram"}]
    assert second.scale == 5 and second.choices.count() == 0
    edit = reverse("consultations:question", kwargs={"pk": first.pk})
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, _question_form(choices__en="Bus\nTram\nBike", choices__fr="Bus\nTram\nVélo", required="on")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.required and [c.label for c in choices_of(first)][2] == {"en": "Bike", "fr": "Vélo"}
    move = reverse("consultations:question_move", kwargs={"pk": second.pk})
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert [q.pk for q in questions_of(consultation)] == [second.pk, first.pk]
    remove = reverse("consultations:question_remove", kwargs={"pk": second.pk})
    assert client.post(remove).status_code == 302
    assert [q.pk for q in questions_of(consultation)] == [first.pk]
    assert questions_of(consultation)[0].order == 1
    kinds = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditKind.QUESTION_ADDED, AuditKind.QUESTION_CHANGED, AuditKind.QUESTION_REMOVED} <= kinds


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"choices__en": "Only one"}, "Give from 2 to 20 choices, one a line."),
        ({"choices__en": "", "choices__fr": "Bus\nTram"}, "Write the choices in English, one a line."),
        ({"choices__fr": "Bus"}, "Give as many lines as in English (2), in the same order."),
        ({"type": "ranking", "picks": "5"}, "Say how many choices to rank: from 2 to the number of choices, 2."),
        ({"type": "multiple", "picks": "3"}, "One may pick at most as many choices as there are."),
        ({"type": "rating", "scale": "11"}, "11 is outside the range 2 to 10."),
        ({"type": "rating", "scale": ""}, "A scale has from 2 to 10 points."),
        ({"personal": "on"}, "Only a short or long text question may ask for personal data."),
        ({"text__en": ""}, "Write this in English, the default language of the page."),
        ({"type": "essay"}, "Select a valid choice."),
        ({"condition": "1:2"}, "Select a valid choice."),
        ({"text__en": "x" * 501}, "at most 500 characters"),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused_with_a_message(
    site: Site, changes: dict[str, str], message: str
) -> None:
    consultation = build(site, [], open_it=False)
    response = site.cast.client_for("rep_a").post(
        reverse("consultations:question_add", kwargs={"pk": consultation.pk}), _question_form(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Question.objects.exists()


def test_a_condition_names_an_earlier_choice_and_keeps_the_order(site: Site) -> None:
    consultation = build(
        site,
        [
            question(QuestionType.SINGLE, "Do you cycle?", choices=("Yes", "No")),
            question(QuestionType.SHORT_TEXT, "Where?"),
        ],
        open_it=False,
    )
    first, second = questions_of(consultation)
    yes = choices_of(first)[0]
    client = site.cast.client_for("rep_a")
    edit = reverse("consultations:question", kwargs={"pk": second.pk})
    form = {"type": "short_text", "text__en": "Where?", "condition": f"{first.pk}:{yes.pk}", "picks": "", "scale": ""}
    assert client.post(edit, form).status_code == 302
    second.refresh_from_db()
    assert (second.condition_question_id, second.condition_choice_id) == (first.pk, yes.pk)
    # The condition keeps the question after the one it depends on, and the choice it names.
    moved = client.post(
        reverse("consultations:question_move", kwargs={"pk": second.pk}), {"direction": "up"}, follow=True
    )
    assert "Question 2 is asked only after an answer to question 1, so it stays after it." in moved.content.decode()
    assert [q.pk for q in questions_of(consultation)] == [first.pk, second.pk]
    removed = client.post(reverse("consultations:question_remove", kwargs={"pk": first.pk}), follow=True)
    assert "change its condition first" in removed.content.decode()
    cut = client.post(
        reverse("consultations:question", kwargs={"pk": first.pk}),
        _question_form(text__en="Do you cycle?", choices__en="No\n"),
    )
    assert Question.objects.count() == 2 and Choice.objects.filter(question=first).count() == 2
    assert cut.status_code == 200
    # A question cannot depend on itself or on a later one.
    self_condition = client.post(
        reverse("consultations:question", kwargs={"pk": first.pk}), _question_form(condition=f"{first.pk}:{yes.pk}")
    )
    assert self_condition.status_code == 200


def test_opening_needs_dates_questions_and_texts_in_the_default_language(site: Site) -> None:
    consultation = actions.create_consultation(
        city=site.cast.city_a,
        start="blank-survey",
        title={"fr": "Seulement en français"},
        languages=["en", "fr"],
        by=site.organiser,
    )
    client = site.cast.client_for("rep_a")
    response = client.post(reverse("consultations:open", kwargs={"pk": consultation.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    for problem in (
        "Write the title in English, the default language.",
        "Set the opening and the closing.",
        "Add at least one question.",
    ):
        assert problem in html
    assert Consultation.objects.get().status == Status.DRAFT


def test_a_consultation_with_personal_questions_needs_a_retention_date(site: Site) -> None:
    items = [
        question(QuestionType.SINGLE, "Bus or tram?", choices=("Bus", "Tram")),
        question(QuestionType.SHORT_TEXT, "Your postcode", personal=True),
    ]
    draft = build(site, items, open_it=False)
    assert "set the date until which those answers are kept" in " ".join(actions.readiness(draft, "en"))
    closing_day = timezone.localtime(draft.closes_at).date()
    too_long = build(site, items, open_it=False, personal_data_until=closing_day + dt.timedelta(days=800))
    assert "at most 730 days" in " ".join(actions.readiness(too_long, "en"))
    fine = build(site, items, personal_data_until=closing_day + dt.timedelta(days=30))
    assert fine.status == Status.OPEN


def test_settings_change_only_while_draft_and_the_closing_moves_while_open(site: Site) -> None:
    consultation = poll(site)
    client = site.cast.client_for("rep_a")
    refused = client.post(
        reverse("consultations:settings", kwargs={"pk": consultation.pk}),
        {"title__en": "New", "opens_at": "2030-01-01T10:00", "closes_at": "2030-01-02T10:00"},
        follow=True,
    )
    assert "questions and settings no longer change" in refused.content.decode()
    assert Consultation.objects.get().title == {"en": "Which bus lines?"}
    added = client.post(reverse("consultations:question_add", kwargs={"pk": consultation.pk}), _question_form())
    assert added.status_code == 302 and Question.objects.count() == 1
    later = (timezone.localtime(consultation.closes_at) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    moved = client.post(reverse("consultations:closing", kwargs={"pk": consultation.pk}), {"closes_at": later})
    assert moved.status_code == 302
    past = client.post(
        reverse("consultations:closing", kwargs={"pk": consultation.pk}), {"closes_at": "2020-01-01T10:00"}
    )
    assert past.status_code == 200 and "The closing is in the past." in past.content.decode()


def test_dates_are_read_in_the_citys_time_zone(site: Site) -> None:
    city = site.cast.city_a
    city.time_zone = "Europe/Lisbon"
    city.save(update_fields=["time_zone"])
    consultation = build(site, [], open_it=False)
    client = site.cast.client_for("rep_a")
    response = client.post(
        reverse("consultations:settings", kwargs={"pk": consultation.pk}),
        {"title__en": "Lines", "opens_at": "2030-07-01T09:00", "closes_at": "2030-07-08T18:00"},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.opens_at == dt.datetime(2030, 7, 1, 8, 0, tzinfo=dt.UTC)


def test_closing_early_is_final_and_results_are_published_only_then(site: Site) -> None:
    consultation = poll(site)
    client = site.cast.client_for("rep_a")
    early = client.post(reverse("consultations:results_publish", kwargs={"pk": consultation.pk}), follow=True)
    assert "Results are published once the consultation has closed." in early.content.decode()
    assert client.post(reverse("consultations:close", kwargs={"pk": consultation.pk})).status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Status.CLOSED
    assert consultation.closes_at is not None and consultation.closes_at <= timezone.now()
    assert client.post(reverse("consultations:open", kwargs={"pk": consultation.pk})).status_code == 200
    assert Consultation.objects.get().status == Status.CLOSED
    assert client.post(reverse("consultations:results_publish", kwargs={"pk": consultation.pk})).status_code == 302
    assert Consultation.objects.get().results_published
    assert client.post(reverse("consultations:results_unpublish", kwargs={"pk": consultation.pk})).status_code == 302
    assert not Consultation.objects.get().results_published
    removed = client.post(reverse("consultations:remove", kwargs={"pk": consultation.pk}), follow=True)
    assert "Only a draft can be removed" in removed.content.decode() and Consultation.objects.exists()


def test_a_draft_is_removed_with_its_questions(site: Site) -> None:
    consultation = poll(site, open_it=False)
    client = site.cast.client_for("rep_a")
    assert client.post(reverse("consultations:remove", kwargs={"pk": consultation.pk})).status_code == 302
    assert not Consultation.objects.exists() and not Question.objects.exists()


def test_the_list_and_manage_pages_show_the_consultations(site: Site) -> None:
    consultation = poll(site, title="Bus lines <b>now</b>")
    client = site.cast.client_for("organiser")
    listing = client.get(reverse("consultations:city", kwargs={"pk": site.cast.city_a.pk})).content.decode()
    assert "Bus lines &lt;b&gt;now&lt;/b&gt;" in listing
    page = client.get(_manage(consultation)).content.decode()
    assert site.url("consultation", consultation) in page and "0 answers counted." in page
