"""The demo: every demo sign-in finds real notices in their inbox, and loading again adds none."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.inbox.demo import record_demo_inbox
from icc.inbox.models import Notification
from icc.inbox.targets import resolve
from icc.programmes.models import Programme
from icc.roadmaps.models import OPEN_STATUSES, Action

pytestmark = pytest.mark.django_db


def _has_overdue_action(person: Person) -> bool:
    return Action.objects.owned_by(person).filter(status__in=OPEN_STATUSES, ends_on__lt=timezone.localdate()).exists()


def test_every_demo_sign_in_has_notices_it_may_open_and_a_second_load_adds_none() -> None:
    call_command("load_demo", "--quiet-sign-ins", stdout=io.StringIO())
    for persona, email in PERSONA_EMAILS.items():
        person = Person.objects.get(email=email)
        notices = list(Notification.objects.filter(person=person))
        if persona == "stakeholder" and not _has_overdue_action(person):
            # A stakeholder is told only of their organisation's actions past their end; the
            # generated roadmaps may give them none, and then there is nothing to tell.
            assert not notices
            continue
        shown, gone = resolve(person, notices)
        assert shown and not gone, persona
        client = Client()
        client.force_login(person)
        page = client.get("/inbox/").content.decode()
        assert shown[0].title.split(" (")[0][:30] in page.replace("&#x27;", "'"), persona
    count = Notification.objects.count()
    assert record_demo_inbox(programme=Programme.objects.get()) == 0
    assert Notification.objects.count() == count
