"""The key promise: everything about a person is exported, and after erasure nothing in
the database names them, while what they wrote stays, attributed to a former participant."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from conftest import Cast as CastData
from icc.accounts.models import Person
from icc.channels.actions import open_direct, post_message
from icc.cities.actions import update_person
from icc.cities.models import Role
from icc.core.models import AuditEntry, AuditKind
from icc.ecosystem.models import Contact
from icc.journey.models import CalendarFeed
from icc.privacy.holdings import person_relations
from icc.privacy.models import ErasureRequest, RequestStatus
from icc.privacy.tests.filling import fill, points_at

NAME = "Zebedee Quartermaine"
EMAIL = "zebedee.quartermaine@example.org"
# The apps whose rows about a person matter most: each must have one in the key test.
IMPORTANT = {
    "cities.Role.person",
    "core.AuditEntry.actor",
    "journey.FollowUp.owner",
    "journey.Submission.submitted_by",
    "journey.CalendarFeed.person",
    "assessments.Response.submitted_by",
    "roadmaps.Action.owner_person",
    "tags.Vote.voter",
    "library.Item.added_by",
    "channels.Post.author",
    "channels.Channel.people",
    "inbox.Notification.person",
    "marketplace.Solution.created_by",
    "ecosystem.SensitiveNote.author",
    "ecosystem.Interview.interviewer",
    "finance.SavedSearch.person",
    "consultations.Consultation.created_by",
    "opendata.Charter.created_by",
}


def _text_columns() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, column)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for column in model._meta.concrete_fields
        if isinstance(column, models.CharField | models.TextField | models.JSONField)
    ]


def _mentions(word: str) -> list[str]:
    """Every column of every model where ``word`` appears, as ``app.Model.column``."""
    found = []
    escaped = json.dumps(word)[1:-1]
    for model, column in _text_columns():
        rows = model._default_manager.annotate(_text=Cast(column.name, TextField()))
        if rows.filter(Q(_text__icontains=word) | Q(_text__icontains=escaped)).exists():
            found.append(f"{model._meta.label}.{column.name}")
    return found


@pytest.fixture
def subject(journey: Any, assessment: Any, roadmap: Any, cast: CastData) -> Person:
    """Rep A, renamed, with a row in every app that points at people, and copies of the
    name and address in others' texts: the audit trail, a post, an ecosystem contact."""
    person = cast.person("rep_a")
    update_person(person=person, full_name=NAME, email=EMAIL, by=cast.person("organiser"))
    person.refresh_from_db()
    mentor = cast.person("mentor")
    channel = open_direct(programme=cast.programme, people=[person, mentor])
    post_message(channel=channel, body="Shall we meet next week?", by=person)
    post_message(channel=channel, body=f"Yes, {NAME}: write to {EMAIL}.", by=mentor)
    Contact.objects.create(organisation=cast.organisation_a, name=NAME, email=EMAIL)
    failed = fill(person)
    missing = {label for label in IMPORTANT if label in failed}
    assert not missing, {label: failed[label] for label in missing}
    # The filler's own erasure request is decided: the tests ask for theirs.
    ErasureRequest.objects.filter(person=person).update(status=RequestStatus.DECLINED)
    return person


def _ids(document: dict[str, Any], label: str) -> set[Any]:
    app, model = label.split(".")
    return {row["id"] for row in document["apps"].get(app, {}).get(model, [])}


def test_export_holds_every_row_that_points_at_the_person(subject: Person) -> None:
    covered = [r for r in person_relations() if points_at(r, subject)]
    assert {r.label for r in covered} >= IMPORTANT
    wanted = {
        relation: set(relation.model._default_manager.filter(**{relation.field: subject}).values_list("pk", flat=True))
        for relation in covered
    }
    response = _client(subject).get(reverse("privacy:export"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    for relation, pks in wanted.items():
        assert pks <= _ids(document, relation.model._meta.label), relation.label
    own = document["apps"]["accounts"]["Person"]
    assert [row["email"] for row in own] == [EMAIL]
    assert "password" not in own[0]
    text = response.content.decode()
    assert "token_digest" not in text
    assert '"password"' not in text
    # A row that carries the address, with no relation to the person, is theirs too.
    assert Contact.objects.get(email=EMAIL).pk in _ids(document, "ecosystem.Contact")


def test_export_leaves_out_sensitive_notes_written_by_others(subject: Person, cast: CastData) -> None:
    from icc.ecosystem.models import SensitiveNote

    mine = SensitiveNote.objects.get(author=subject)
    others = SensitiveNote.objects.create(interview=mine.interview, author=cast.person("lead_expert"), text="Private")
    # The interview is the subject's, as interviewer; the other author's note still stays out.
    mine.interview.interviewer = subject
    mine.interview.save()
    document = json.loads(_client(subject).get(reverse("privacy:export")).content)
    assert _ids(document, "ecosystem.SensitiveNote") == {mine.pk}
    assert others.pk not in _ids(document, "ecosystem.SensitiveNote")


def _client(person: Person) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def test_after_erasure_nothing_in_the_database_names_the_person(subject: Person, cast: CastData) -> None:
    subject_client = _client(subject)
    assert _mentions(NAME) and _mentions(EMAIL), "the data names the person before"
    from icc.channels.models import Post

    written = set(Post.objects.filter(author=subject).values_list("pk", flat=True))
    assert written
    response = subject_client.post(reverse("privacy:request_erasure"), {"reason": f"I am {NAME}; please forget me."})
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(person=subject, status=RequestStatus.PENDING)
    assert erasure.is_pending
    subject.refresh_from_db()
    assert subject.full_name == NAME, "nothing changes before the programme team confirms"

    response = _client(cast.person("organiser")).post(reverse("privacy:confirm", kwargs={"pk": erasure.pk}))
    assert response.status_code == 302

    assert _mentions(NAME) == []
    assert _mentions(EMAIL) == []
    subject.refresh_from_db()
    assert subject.full_name == "a former participant"
    assert subject.email == f"erased-{subject.pk}@invalid"
    assert not subject.has_usable_password()
    assert not subject.is_active
    assert not Role.objects.filter(person=subject).exists()
    assert not CalendarFeed.objects.filter(person=subject, revoked_at__isnull=True).exists()
    # Every kind of token (calendar links, API tokens) that can be revoked is.
    for relation in person_relations():
        if "revoked_at" in {f.name for f in relation.model._meta.concrete_fields}:
            unrevoked = relation.model._default_manager.filter(**{relation.field: subject, "revoked_at__isnull": True})
            assert not unrevoked.exists(), relation.label
    assert not any(s.get_decoded().get("_auth_user_id") == str(subject.pk) for s in Session.objects.all())
    assert subject_client.get(reverse("privacy:my_data")).status_code == 302, "signed out"
    # What they wrote stays, attributed to the former participant.
    assert Post.objects.filter(author=subject, body="Shall we meet next week?").exists()
    assert written <= set(Post.objects.filter(author=subject).values_list("pk", flat=True))
    erasure.refresh_from_db()
    assert erasure.status == RequestStatus.ERASED
    kinds = set(AuditEntry.objects.values_list("action", flat=True))
    assert {AuditKind.ERASURE_REQUESTED, AuditKind.ERASURE_CONFIRMED} <= kinds
