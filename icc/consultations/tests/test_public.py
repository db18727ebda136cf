"""Answering without an account: once per browser, within the dates, a limit per address,
every crafted address a 404, every text escaped, and a few queries per answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from icc.consultations import actions
from icc.consultations.answering import parse
from icc.consultations.models import Answer, Consultation, Moderation, QuestionType, Submission
from icc.consultations.structure import read
from icc.consultations.tests.conftest import Site, answer, build, choices_of, poll, question, questions_of
from icc.public.participation import VISITOR_COOKIE
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def _field(consultation: Consultation) -> tuple[str, list[int]]:
    first = questions_of(consultation)[0]
    return f"q{first.pk}", [c.pk for c in choices_of(first)]


def test_an_answer_is_stored_once_and_the_browser_is_thanked_instead_of_asked_again(site: Site) -> None:
    consultation = poll(site)
    url = site.url("consultation", consultation)
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and "Send my answers" in page.content.decode()
    assert VISITOR_COOKIE in page.cookies
    name, choices = _field(consultation)
    sent = client.post(url, {name: choices[:2]})
    assert sent.status_code == 303 and sent["Location"] == url
    thanks = client.get(url)
    assert "your answer is counted" in thanks.content.decode() and "Send my answers" not in thanks.content.decode()
    again = client.post(url, {name: choices[2:]})
    assert again.status_code == 409 and "already counted" in again.content.decode()
    assert Submission.objects.count() == 1
    assert sorted(Answer.objects.values_list("choice_id", flat=True)) == choices[:2]


def test_a_browser_without_a_cookie_counts_as_a_new_one_and_gets_one(site: Site) -> None:
    consultation = poll(site)
    url = site.url("consultation", consultation)
    name, choices = _field(consultation)
    first = Client().post(url, {name: choices[0]})
    assert first.status_code == 303 and VISITOR_COOKIE in first.cookies
    assert Client().post(url, {name: choices[0]}).status_code == 303
    assert Submission.objects.count() == 2


def test_two_submissions_with_the_same_key_store_one(site: Site) -> None:
    """Two tabs sending at once reach the insert together: the unique key refuses the second."""
    consultation = poll(site)
    shape = read(consultation)
    name, choices = _field(consultation)
    request = RequestFactory().post("/", {name: choices[0]})
    parsed = parse(shape, request.POST)
    actions.submit(request=request, consultation=consultation, parsed=parsed, visitor="a" * 32)
    with pytest.raises(actions.AlreadyCounted):
        actions.submit(request=request, consultation=consultation, parsed=parsed, visitor="a" * 32)
    assert Submission.objects.count() == 1 and Answer.objects.count() == 1
    # The database itself refuses the second row, whatever the code above it does.
    existing = Submission.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(
            consultation=consultation, participant_key=existing.participant_key, created_at=timezone.now()
        )


def test_the_limit_per_address_refuses_and_rolls_back_its_count(site: Site, settings: Any) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 2
    consultation = poll(site)
    url = site.url("consultation", consultation)
    name, choices = _field(consultation)
    statuses = [Client().post(url, {name: choices[0]}).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert Submission.objects.count() == 2
    refused = Client().post(url, {name: choices[0]})
    assert refused.status_code == 429 and "Too many answers" in refused.content.decode()


def test_answers_after_the_closing_or_before_the_opening_are_refused(site: Site) -> None:
    later = poll(site, opens_in=dt.timedelta(days=1))
    name, choices = _field(later)
    page = Client().get(site.url("consultation", later))
    assert page.status_code == 200 and "opens on" in page.content.decode()
    assert Client().post(site.url("consultation", later), {name: choices[0]}).status_code == 403
    closed = poll(site)
    actions.close_consultation(consultation=closed, by=site.organiser)
    name, choices = _field(closed)
    response = Client().post(site.url("consultation", closed), {name: choices[0]})
    assert response.status_code == 410 and "closed" in response.content.decode()
    expired = poll(site)
    Consultation.objects.filter(pk=expired.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    name, choices = _field(expired)
    assert Client().post(site.url("consultation", expired), {name: choices[0]}).status_code == 410
    assert Submission.objects.count() == 0


def test_drafts_other_cities_and_crafted_addresses_are_404(site: Site) -> None:
    draft = poll(site, open_it=False)
    opened = poll(site)
    client = Client()
    assert client.get(site.url("consultation", draft)).status_code == 404
    assert client.post(site.url("consultation", draft), {}).status_code == 404
    other_city = CityFactory.create(programme=site.cast.programme, name="Elsewhere")
    Consultation.objects.filter(pk=opened.pk).update(city=other_city)
    assert client.get(site.url("consultation", opened)).status_code == 404
    Consultation.objects.filter(pk=opened.pk).update(city=site.cast.city_a)
    for pk in (0, 999_999, 2**63, 10**30):
        assert client.get(site.url("consultation", None, pk=pk)).status_code == 404
        assert client.get(site.url("consultation_results", None, pk=pk)).status_code == 404
    bad = {"programme": site.cast.programme.slug, "city": "nowhere"}
    assert client.get(f"/en/{bad['programme']}/nowhere/consultations/{opened.pk}/").status_code == 404
    assert client.get(f"/en/elsewhere/{site.publication.slug}/consultations/{opened.pk}/").status_code == 404
    site.publication.published = False
    site.publication.save()
    assert client.get(site.url("consultation", opened)).status_code == 404
    assert client.get(site.url("consultations")).status_code == 404


def test_results_are_404_until_published_after_closing(site: Site) -> None:
    consultation = poll(site)
    url = site.url("consultation_results", consultation)
    assert Client().get(url).status_code == 404
    actions.close_consultation(consultation=consultation, by=site.organiser)
    assert Client().get(url).status_code == 404
    actions.publish_results(consultation=consultation, by=site.organiser)
    assert Client().get(url).status_code == 200
    actions.unpublish_results(consultation=consultation, by=site.organiser)
    assert Client().get(url).status_code == 404


def test_html_written_by_the_city_or_a_visitor_is_escaped(site: Site) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    consultation = build(
        site,
        [question(QuestionType.SINGLE, attack, choices=(attack, "Fine"), required=True)],
        title=attack,
    )
    url = site.url("consultation", consultation)
    page = Client().get(url).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    name, choices = _field(consultation)
    refused = Client().post(url, {name: choices[0], f"{name}-other": attack})
    assert refused.status_code == 200 and "<script>alert" not in refused.content.decode()


def test_a_megabyte_of_text_is_refused_with_a_message_and_nothing_stored(site: Site) -> None:
    consultation = build(site, [question(QuestionType.LONG_TEXT, "Anything else?", required=True)])
    url = site.url("consultation", consultation)
    name = f"q{questions_of(consultation)[0].pk}"
    response = Client().post(url, {name: "x" * 1_000_000})
    assert response.status_code == 200
    assert "1,000,000 characters long; at most 2,000 characters fit" in response.content.decode()
    assert Submission.objects.count() == 0


def test_an_invalid_answer_shows_the_form_again_as_it_was_filled(site: Site) -> None:
    consultation = build(
        site,
        [
            question(QuestionType.SINGLE, "Bus or tram?", choices=("Bus", "Tram"), required=True),
            question(QuestionType.SHORT_TEXT, "Which line?", required=True),
        ],
    )
    first, _second = questions_of(consultation)
    bus = choices_of(first)[0]
    response = Client().post(site.url("consultation", consultation), {f"q{first.pk}": bus.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "Answer this question." in html
    assert f'value="{bus.pk}"\n         id="q{first.pk}-{bus.pk}"\n         checked' in html
    assert Submission.objects.count() == 0


def test_a_conditional_question_says_when_to_answer_it_and_an_answer_not_asked_is_dropped(site: Site) -> None:
    consultation = build(
        site,
        [
            question(QuestionType.SINGLE, "Do you cycle?", choices=("Yes", "No"), required=True),
            question(QuestionType.SHORT_TEXT, "Where?"),
        ],
        open_it=False,
    )
    first, second = questions_of(consultation)
    yes, no = choices_of(first)
    data = actions.QuestionData(
        type=QuestionType.SHORT_TEXT, text={"en": "Where?"}, condition_question=first.pk, condition_choice=yes.pk
    )
    actions.change_question(question=second, data=data, by=site.organiser)
    consultation = actions.open_consultation(consultation=consultation, default_language="en", by=site.organiser)
    url = site.url("consultation", consultation)
    assert "Answer only if you chose “Yes” in question 1." in Client().get(url).content.decode()
    assert Client().post(url, {f"q{first.pk}": no.pk, f"q{second.pk}": "Along the river"}).status_code == 303
    assert list(Answer.objects.values_list("question_id", flat=True)) == [first.pk]


def test_the_page_shows_the_visitors_language_where_the_city_wrote_it_else_the_default(site: Site) -> None:
    consultation = poll(site, open_it=False)
    item = questions_of(consultation)[0]
    actions.change_question(
        question=item,
        data=actions.QuestionData(
            type=QuestionType.SINGLE,
            text={"en": "Which line?", "fr": "Quelle ligne ?"},
            choices=[{"en": "Line 1", "fr": "Ligne 1"}, {"en": "Line 2"}],
            required=True,
        ),
        by=site.organiser,
    )
    consultation = actions.open_consultation(consultation=consultation, default_language="en", by=site.organiser)
    french = Client().get(site.url("consultation", consultation, language="fr")).content.decode()
    assert '<html lang="fr">' in french
    assert "Quelle ligne ?" in french and "Ligne 1" in french
    assert '<span lang="en">Line 2</span>' in french
    assert '<span lang="en">Which bus lines?</span>' in french
    german = Client().get(site.url("consultation", consultation, language="de")).content.decode()
    assert '<span lang="en">Which line?</span>' in german


def test_the_list_shows_open_consultations_and_published_results_only(site: Site) -> None:
    open_one = poll(site, title="Open one")
    poll(site, title="A draft", open_it=False)
    poll(site, title="Coming later", opens_in=dt.timedelta(days=2))
    closed = poll(site, title="Closed, results out")
    actions.close_consultation(consultation=closed, by=site.organiser)
    actions.publish_results(consultation=closed, by=site.organiser)
    hidden = poll(site, title="Closed, results kept")
    actions.close_consultation(consultation=hidden, by=site.organiser)
    response = Client().get(site.url("consultations"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open one" in html and "Closed, results out" in html
    assert "A draft" not in html and "Coming later" not in html and "Closed, results kept" not in html
    assert site.url("consultation", open_one) in html and site.url("consultation_results", closed) in html
    assert response["Cache-Control"] == "public, max-age=60"


def test_answering_a_poll_takes_a_few_queries(site: Site, django_assert_max_num_queries: Any) -> None:
    consultation = poll(site)
    url = site.url("consultation", consultation)
    name, choices = _field(consultation)
    Client().get(url)  # the questions are cached from now on
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, {name: choices[:2]}).status_code == 303
    statements = [q["sql"] for q in captured.captured_queries]
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    # The data version, the submission, its answers, and the savepoint around them.
    assert len(statements) <= 5, statements
    assert len(writes) == 2, writes  # the submission and its answers, in one insert
    assert not any("core_dataversion" in s for s in writes)  # answers change no cached page
    # The consultation and its publication come from the cache, under the data version.
    assert not any("public_publication" in s for s in statements), statements


def test_the_cached_consultation_follows_its_changes(site: Site) -> None:
    consultation = poll(site)
    url = site.url("consultation", consultation)
    name, choices = _field(consultation)
    assert Client().get(url).status_code == 200  # cached from now on
    actions.close_consultation(consultation=consultation, by=site.organiser)
    assert Client().post(url, {name: choices[:1]}).status_code == 410
    assert not Submission.objects.filter(consultation=consultation).exists()
    other = poll(site, title="Another")
    other_url = site.url("consultation", other)
    assert Client().get(other_url).status_code == 200
    site.publication.published = False
    site.publication.save()
    assert Client().get(other_url).status_code == 404
    assert Client().post(other_url, {name: choices[:1]}).status_code == 404


def test_with_the_limit_on_an_answer_still_takes_a_few_queries(site: Site, settings: Any) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 30
    consultation = poll(site)
    url = site.url("consultation", consultation)
    name, choices = _field(consultation)
    Client().get(url)
    with CaptureQueriesContext(connection) as captured:
        assert Client().post(url, {name: choices[0]}).status_code == 303
    # The consultation; the address's count (update, insert in its own savepoint, read);
    # the submission and its answers; the savepoints the test's transaction adds.
    assert len(captured) <= 10, [q["sql"] for q in captured.captured_queries]


def test_free_text_waits_for_moderation(site: Site) -> None:
    consultation = build(site, [question(QuestionType.SHORT_TEXT, "Which line?", required=True)])
    url = site.url("consultation", consultation)
    assert answer(Client(), url, {f"q{questions_of(consultation)[0].pk}": "Line 4"}).status_code == 303
    assert Answer.objects.get().moderation == Moderation.PENDING


def test_a_rate_limit_error_is_a_validation_error_the_action_raises(site: Site, settings: Any) -> None:
    settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    consultation = poll(site)
    name, choices = _field(consultation)
    request = RequestFactory().post("/", {name: choices[0]})
    parsed = parse(read(consultation), request.POST)
    actions.submit(request=request, consultation=consultation, parsed=parsed, visitor="b" * 32)
    with pytest.raises(ValidationError) as refused:
        actions.submit(request=request, consultation=consultation, parsed=parsed, visitor="c" * 32)
    assert refused.value.code == "rate_limited"
    assert Submission.objects.count() == 1
