"""Authors' e-mail addresses are erased after their date, by the worker or by the daily command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks import default_task_backend

from icc.ideas import tasks
from icc.ideas.models import IdeaState
from icc.ideas.tests.conftest import IdeasCast, make_idea

pytestmark = pytest.mark.django_db


def test_the_worker_erases_addresses_past_their_date_and_only_those(ideas: IdeasCast) -> None:
    today = timezone.localdate()
    expired = make_idea(ideas.call, "Old", email="old@example.org", email_kept_until=today - dt.timedelta(days=1))
    today_s = make_idea(ideas.call, "Today", email="today@example.org", email_kept_until=today)
    later = make_idea(ideas.call, "Later", email="later@example.org", email_kept_until=today + dt.timedelta(days=30))
    assert tasks.erase_expired_emails.call() == 1
    for idea in (expired, today_s, later):
        idea.refresh_from_db()
    assert (expired.email, expired.email_kept_until) == ("", None)
    assert today_s.email == "today@example.org" and later.email == "later@example.org"
    # The idea itself stays, and nobody is e-mailed about it any more.
    assert expired.title == "Old" and expired.state == IdeaState.PUBLISHED


def test_the_daily_command_erases_them_too(ideas: IdeasCast) -> None:
    make_idea(ideas.call, "Old", email="old@example.org", email_kept_until=dt.date(2020, 1, 1))
    out = io.StringIO()
    call_command("erase_idea_emails", stdout=out)
    assert "1 e-mail address(es) erased" in out.getvalue()


def test_a_deferring_worker_is_asked_to_erase_the_day_after(ideas: IdeasCast, settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # type: ignore[attr-defined]
    default_task_backend.clear()  # type: ignore[attr-defined]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = ideas.send(Client(), email="ana@example.org", consent="on")
    assert response.status_code == 302
    [result] = default_task_backend.results  # type: ignore[attr-defined]
    assert result.task.name == "erase_expired_emails"
    kept = ideas.call.closes_on + dt.timedelta(days=365)
    assert result.task.run_after is not None and result.task.run_after.date() == kept + dt.timedelta(days=1)
