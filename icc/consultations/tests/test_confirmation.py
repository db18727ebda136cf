"""Double opt-in: an answer counts once confirmed from the e-mail, one per address, the
address itself kept nowhere; personal answers need consent and are erased on time."""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.parse
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from icc.consultations import actions, results, tasks
from icc.consultations.models import Answer, Consultation, QuestionType, Submission
from icc.consultations.structure import read
from icc.consultations.tests.conftest import Site, answer, build, choices_of, poll, question, questions_of
from icc.core.models import AuditEntry, AuditKind

pytestmark = pytest.mark.django_db


def _link(message: Any) -> str:
    found = re.search(r"https?://\S+/confirm/\S+/", message.body)
    assert found, message.body
    return urllib.parse.urlsplit(found.group(0)).path


def _answer_with_email(
    site: Site, consultation: Consultation, email: str, client: Client | None = None, language: str = "en"
) -> Any:
    """Answer, and send the e-mail the answer queues once its transaction commits."""
    from django.test import TestCase

    item = questions_of(consultation)[0]
    url = site.url("consultation", consultation, language=language)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return answer(client or Client(), url, {f"q{item.pk}": choices_of(item)[0].pk, "email": email})


def test_an_answer_counts_once_confirmed_from_the_email_in_the_visitors_language(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    client = Client()
    response = _answer_with_email(site, consultation, "Ana@Example.org", client, language="fr")
    assert response.status_code == 303
    submission = Submission.objects.get()
    assert not submission.confirmed and submission.email_key
    (message,) = mail.outbox
    assert message.to == ["Ana@Example.org"]
    assert "Confirmez votre réponse" in message.subject or "Confirm" in message.subject
    assert "/fr/" in message.body
    # Nowhere in the database is the address kept.
    with connection.cursor() as cursor:
        for table in ("consultations_submission", "consultations_answer", "core_auditentry"):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            assert "example.org" not in repr(cursor.fetchall()).lower()
    waiting = client.get(site.url("consultation", consultation, language="fr")).content.decode()
    assert "e-mail" in waiting.lower() or "courriel" in waiting.lower()
    assert results.compute(consultation, read(consultation), team=True).respondents == 0
    link = _link(message)
    page = Client().get(link)
    assert page.status_code == 200 and Submission.objects.get().confirmed is False
    confirmed = Client().post(link)
    assert confirmed.status_code == 200
    assert Submission.objects.get().confirmed
    assert results.compute(consultation, read(consultation), team=True).respondents == 1
    again = Client().post(link)
    assert again.status_code == 200 and Submission.objects.count() == 1


def test_one_confirmed_answer_per_address(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    _answer_with_email(site, consultation, "ana@example.org")
    _answer_with_email(site, consultation, " ANA@example.org ")
    first, second = mail.outbox
    assert Client().post(_link(first)).status_code == 200
    duplicate = Client().post(_link(second))
    assert duplicate.status_code == 409 and "already counted" in duplicate.content.decode()
    assert Submission.objects.count() == 1 and Submission.objects.get().confirmed


def test_a_browser_may_send_again_while_its_answer_waits_for_confirmation(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    client = Client()
    _answer_with_email(site, consultation, "typo@exmple.org", client)
    again = client.get(site.url("consultation", consultation) + "?again=1")
    assert "Send my answers" in again.content.decode()
    assert _answer_with_email(site, consultation, "ana@example.org", client).status_code == 303
    assert Submission.objects.count() == 1 and len(mail.outbox) == 2
    # The first link now names an answer that is gone.
    assert Client().post(_link(mail.outbox[0])).status_code == 404


def test_a_link_expires_is_tampered_with_or_comes_after_the_closing(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    _answer_with_email(site, consultation, "ana@example.org")
    link = _link(mail.outbox[0])
    assert Client().get(link[:-3] + "xx/").status_code == 404
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        expired = Client().get(link)
        assert expired.status_code == 404 and "expired" in expired.content.decode()
    actions.close_consultation(consultation=consultation, by=site.organiser)
    closed = Client().post(link)
    assert closed.status_code == 410 and not Submission.objects.get().confirmed


def test_unconfirmed_answers_are_forgotten_after_the_links_life(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    _answer_with_email(site, consultation, "ana@example.org")
    confirmed = poll(site)
    answer(
        Client(),
        site.url("consultation", confirmed),
        {f"q{questions_of(confirmed)[0].pk}": choices_of(questions_of(confirmed)[0])[0].pk},
    )
    assert tasks.forget_unconfirmed_submissions.enqueue().return_value == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=8, hours=2)):
        assert tasks.forget_unconfirmed_submissions.enqueue().return_value == 1
    assert list(Submission.objects.values_list("consultation_id", flat=True)) == [confirmed.pk]
    assert Answer.objects.filter(submission__consultation=consultation).count() == 0


def _personal(site: Site) -> Consultation:
    closing_day = timezone.localdate() + dt.timedelta(days=7)
    return build(
        site,
        [
            question(QuestionType.SINGLE, "Bus or tram?", choices=("Bus", "Tram"), required=True),
            question(QuestionType.SHORT_TEXT, "Your postcode (for the prize draw)", personal=True),
        ],
        kind="blank-survey",
        personal_data_until=closing_day + dt.timedelta(days=30),
    )


def test_personal_answers_need_consent_and_never_show_in_results(site: Site) -> None:
    consultation = _personal(site)
    single, personal = questions_of(consultation)
    url = site.url("consultation", consultation)
    page = Client().get(url).content.decode()
    date = consultation.personal_data_until.strftime("%-d %b %Y")  # type: ignore[union-attr]
    assert "I agree that the city keeps my answers" in page and date in page
    values = {f"q{single.pk}": choices_of(single)[0].pk, f"q{personal.pk}": "1000"}
    refused = Client().post(url, values)
    assert refused.status_code == 200 and "Tick the consent line" in refused.content.decode()
    assert Submission.objects.count() == 0
    assert Client().post(url, {**values, "consent": "on"}).status_code == 303
    stored = Answer.objects.get(question=personal)
    assert stored.text == "1000"
    found = results.compute(consultation, read(consultation), team=True)
    # While open, not even how many left personal data shows: the last answer would tell.
    assert [r.question.pk for r in found.questions] == [single.pk] and found.personal == []
    consultation = actions.close_consultation(consultation=consultation, by=site.organiser)
    found = results.compute(consultation, read(consultation), team=True)
    assert found.personal[0][1] == 1
    team_page = site.cast.client_for("rep_a").get(reverse("consultations:results", kwargs={"pk": consultation.pk}))
    assert "1000" not in team_page.content.decode().replace(str(consultation.pk), "")
    assert (
        site.cast.client_for("rep_a").post(reverse("consultations:answer_show", kwargs={"pk": stored.pk})).status_code
        == 404
    )


def test_personal_answers_are_erased_by_the_worker_after_their_date(site: Site) -> None:
    consultation = _personal(site)
    single, personal = questions_of(consultation)
    url = site.url("consultation", consultation)
    Client().post(url, {f"q{single.pk}": choices_of(single)[0].pk, f"q{personal.pk}": "1000", "consent": "on"})
    until = consultation.personal_data_until
    assert until is not None
    with time_machine.travel(dt.datetime.combine(until, dt.time(12, 0), tzinfo=dt.UTC)):
        assert tasks.erase_personal_answers.enqueue().return_value == 0
    assert Answer.objects.filter(question=personal).count() == 1
    with time_machine.travel(dt.datetime.combine(until + dt.timedelta(days=1), dt.time(12, 0), tzinfo=dt.UTC)):
        assert tasks.erase_personal_answers.enqueue().return_value == 1
        assert tasks.erase_personal_answers.enqueue().return_value == 0
    assert Answer.objects.filter(question=personal).count() == 0
    assert Answer.objects.filter(question=single).count() == 1
    assert Consultation.objects.get().personal_data_erased_at is not None
    assert AuditEntry.objects.filter(action=AuditKind.PERSONAL_DATA_ERASED).count() == 1


def test_the_daily_command_runs_both(site: Site, capsys: Any) -> None:
    from django.core.management import call_command

    call_command("tidy_consultations")
    assert "personal answers erased: 0; unconfirmed answers forgotten: 0" in capsys.readouterr().out


def test_opening_queues_the_erasure_for_its_day(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[tuple[str, dt.datetime]] = []
    from django.test import TestCase

    monkeypatch.setattr(tasks, "defer", lambda work, when: queued.append((work.name, when)))
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultation = _personal(site)
    assert [name for name, _when in queued] == ["erase_personal_answers"]
    assert consultation.personal_data_until is not None
    assert timezone.localtime(queued[0][1]).date() == consultation.personal_data_until + dt.timedelta(days=1)


def test_a_backend_that_cannot_wait_leaves_the_work_to_the_daily_command(site: Site) -> None:
    tasks.defer(tasks.erase_personal_answers, timezone.now() + dt.timedelta(days=1))  # the in-process backend: no error


@pytest.mark.django_db(transaction=True)
def test_an_email_that_cannot_be_sent_keeps_no_answer_and_says_so(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import smtplib

    from icc.consultations.actions import answers as answers_module

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise smtplib.SMTPRecipientsRefused({"ana@example.org": (550, b"no such mailbox")})

    consultation = poll(site, needs_confirmation=True)
    item = questions_of(consultation)[0]
    url = site.url("consultation", consultation)
    client = Client(raise_request_exception=False)
    monkeypatch.setattr(answers_module, "send_mail", refuse)
    refused = answer(client, url, {f"q{item.pk}": choices_of(item)[0].pk, "email": "ana@example.org"})
    assert refused.status_code == 503
    html = refused.content.decode()
    assert "No e-mail could be sent to this address" in html and "ana@example.org" in html
    assert Submission.objects.count() == 0 and Answer.objects.count() == 0
    # The browser is asked again, not told that an e-mail is on its way.
    assert "Send my answers" in client.get(url).content.decode()
    monkeypatch.undo()
    sent = answer(client, url, {f"q{item.pk}": choices_of(item)[0].pk, "email": "ana@example.org"})
    assert sent.status_code == 303 and len(mail.outbox) == 1 and Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_title_written_on_two_lines_still_gives_a_one_line_subject(site: Site) -> None:
    consultation = poll(site, needs_confirmation=True)
    Consultation.objects.filter(pk=consultation.pk).update(title={"en": "Bus lines\r\nBcc: someone@example.net"})
    item = questions_of(consultation)[0]
    url = site.url("consultation", consultation)
    client = Client(raise_request_exception=False)
    sent = answer(client, url, {f"q{item.pk}": choices_of(item)[0].pk, "email": "ana@example.org"})
    assert sent.status_code == 303
    (message,) = mail.outbox
    assert message.subject == "Confirm your answer: Bus lines Bcc: someone@example.net"
    assert message.to == ["ana@example.org"] and not message.bcc


def test_the_hash_of_an_address_is_forgotten_once_the_consultation_takes_no_more_answers(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While it is kept, whoever holds the database and the site's key can test an address
    and read the answers confirmed from it; once answers stop, nothing needs it."""
    from django.core.management import call_command
    from django.test import TestCase

    queued: list[tuple[str, dt.datetime]] = []
    monkeypatch.setattr(tasks, "defer", lambda work, when: queued.append((work.name, when)))
    with TestCase.captureOnCommitCallbacks(execute=True):
        closed_early = poll(site, needs_confirmation=True)
        running = poll(site, needs_confirmation=True)
    assert ("forget_email_keys", running.closes_at) in queued
    for consultation in (closed_early, running):
        _answer_with_email(site, consultation, "ana@example.org")
    assert Client().post(_link(mail.outbox[0])).status_code == 200
    assert Submission.objects.exclude(email_key="").count() == 2
    actions.close_consultation(consultation=closed_early, by=site.organiser)
    assert list(Submission.objects.filter(consultation=closed_early).values_list("email_key", flat=True)) == [""]
    assert Submission.objects.get(consultation=running).email_key, "still needed while answers come in"
    assert running.closes_at is not None
    with time_machine.travel(running.closes_at - dt.timedelta(minutes=1)):
        assert tasks.forget_email_keys.enqueue().return_value == 0
    with time_machine.travel(running.closes_at + dt.timedelta(minutes=1)):
        assert tasks.forget_email_keys.enqueue().return_value == 1
    assert not Submission.objects.exclude(email_key="").exists()
    # The daily command does the same where no worker waits for the closing.
    Submission.objects.update(email_key="k" * 64)
    with time_machine.travel(running.closes_at + dt.timedelta(days=1)):
        call_command("tidy_consultations", stdout=io.StringIO())
    assert not Submission.objects.exclude(email_key="").exists()
