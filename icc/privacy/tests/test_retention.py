"""Retention: accounts unused for the period, and personal answers left in consultations,
go only once their period has passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import Cast
from icc.consultations.models import Answer, Consultation, Question, Status, Submission
from icc.core.models import AuditEntry, AuditKind
from icc.privacy.actions import apply_retention
from tests.factories import PersonFactory


def test_an_account_goes_only_after_its_period_without_sign_in(cast: Cast, settings: Any) -> None:
    settings.ICC_RETENTION_INACTIVE_ACCOUNT_DAYS = 3 * 365
    now = timezone.now()
    recent = PersonFactory.create(last_login=now - dt.timedelta(days=3 * 365 - 1))
    idle = PersonFactory.create(last_login=now - dt.timedelta(days=3 * 365 + 1))
    never = PersonFactory.create(date_joined=now - dt.timedelta(days=3 * 365 + 1))
    done = apply_retention(now=now)
    assert done.accounts == 2
    for person in (recent, idle, never):
        person.refresh_from_db()
    assert recent.email.endswith("@example.org")
    assert idle.email == f"erased-{idle.pk}@invalid"
    assert never.email == f"erased-{never.pk}@invalid"
    assert AuditEntry.objects.filter(action=AuditKind.RETENTION_APPLIED).count() == 2
    assert apply_retention(now=now).accounts == 0, "an erased account is not erased again"


def test_the_last_programme_team_member_is_kept(cast: Cast) -> None:
    organiser = cast.person("organiser")
    organiser.last_login = timezone.now() - dt.timedelta(days=5 * 365)
    organiser.save()
    done = apply_retention()
    organiser.refresh_from_db()
    assert done.kept_for_team == 1
    assert organiser.email == "organiser@example.org"


def _consultation(cast: Cast, closed_days_ago: int) -> Consultation:
    closes = timezone.now() - dt.timedelta(days=closed_days_ago)
    consultation = Consultation.objects.create(
        city=cast.city_a,
        status=Status.CLOSED,
        title={"en": "Parks"},
        opens_at=closes - dt.timedelta(days=30),
        closes_at=closes,
    )
    personal = Question.objects.create(consultation=consultation, type="short_text", personal=True, text={"en": "Name"})
    plain = Question.objects.create(consultation=consultation, type="short_text", text={"en": "Idea"})
    submission = Submission.objects.create(
        consultation=consultation, participant_key=f"key-{closed_days_ago}", created_at=closes
    )
    Answer.objects.create(submission=submission, question=personal, text="Rosalind Ferncastle")
    Answer.objects.create(submission=submission, question=plain, text="More trees")
    return consultation


def test_personal_answers_go_only_after_the_period(cast: Cast, settings: Any) -> None:
    settings.ICC_RETENTION_CONTACT_DATA_DAYS = 365
    kept = _consultation(cast, 364)
    gone = _consultation(cast, 366)
    done = apply_retention()
    assert done.consultations == 1
    assert Answer.objects.filter(submission__consultation=kept, question__personal=True).exists()
    assert not Answer.objects.filter(submission__consultation=gone, question__personal=True).exists()
    assert Answer.objects.filter(submission__consultation=gone, text="More trees").exists()
    gone.refresh_from_db()
    assert gone.personal_data_erased_at is not None


def test_the_daily_run_applies_retention(cast: Cast) -> None:
    from icc.inbox.tasks import daily

    idle = PersonFactory.create(last_login=timezone.now() - dt.timedelta(days=10 * 365))
    daily.call(reschedule=False)
    idle.refresh_from_db()
    assert idle.email == f"erased-{idle.pk}@invalid"
