"""The personal-data pages: one's own data only, erasure only once the programme team
confirms it, never the last of a programme's team, and a bounded export."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conftest import Cast
from icc.accounts.models import Person
from icc.cities.models import Role, RoleKind
from icc.core.models import AuditEntry, AuditKind
from icc.inbox.actions import notify
from icc.inbox.models import Kind
from icc.journey.models import FollowUp
from icc.privacy.actions import request_erasure
from icc.privacy.models import ErasureRequest, RequestStatus
from tests.factories import PersonFactory, give_role


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _export(person: Person) -> dict[str, Any]:
    response = _client(person).get(reverse("privacy:export"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_has_no_address_for_another_persons_data(cast: Cast) -> None:
    rep_a, rep_b = cast.person("rep_a"), cast.person("rep_b")
    with pytest.raises(NoReverseMatch):
        reverse("privacy:export", kwargs={"pk": rep_a.pk})
    response = _client(rep_b).get(reverse("privacy:export"), {"person": rep_a.pk, "pk": rep_a.pk})
    document = json.loads(response.content)
    assert document["person"] == rep_b.pk
    assert rep_a.email not in response.content.decode()
    assert [row["email"] for row in document["apps"]["accounts"]["Person"]] == [rep_b.email]


def test_anonymous_visitor_is_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(reverse("privacy:export"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_summary_page_counts_each_kind_with_house_dates(cast: Cast) -> None:
    rep_a = cast.person("rep_a")
    response = _client(rep_a).get(reverse("privacy:my_data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Roles" in page or "roles" in page
    # Dates read the house way: 1 Dec 2026, not 2026-12-01.
    joined = timezone.localtime(rep_a.date_joined)
    assert f">{joined.day} {joined:%b %Y}<" in page or f"since {joined.day} {joined:%b %Y}" in page
    assert f">{joined:%Y-%m-%d}<" not in page


def test_erasure_waits_for_the_programme_team(cast: Cast) -> None:
    rep_a = cast.person("rep_a")
    response = _client(rep_a).post(reverse("privacy:request_erasure"), {"reason": "Leaving the city."})
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(person=rep_a)
    for persona in ("rep_b", "lead_expert", "mayor_a", "outsider"):
        denied = cast.client_for(persona).post(reverse("privacy:confirm", kwargs={"pk": erasure.pk}))
        assert denied.status_code == 403, persona
    rep_a.refresh_from_db()
    assert rep_a.email == "rep_a@example.org"
    assert rep_a.has_usable_password()
    assert Role.objects.filter(person=rep_a).exists()
    assert AuditEntry.objects.filter(action=AuditKind.ERASURE_REQUESTED).count() == 1


def test_a_second_request_while_one_waits_is_refused(cast: Cast) -> None:
    rep_a = cast.person("rep_a")
    request_erasure(person=rep_a, reason="First")
    response = _client(rep_a).post(reverse("privacy:request_erasure"), {"reason": "Again"})
    assert response.status_code == 400
    assert "already waits" in response.content.decode()
    assert ErasureRequest.objects.filter(person=rep_a).count() == 1


def test_an_empty_reason_is_refused_with_a_message(cast: Cast) -> None:
    response = _client(cast.person("rep_a")).post(reverse("privacy:request_erasure"), {"reason": "   "})
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_the_team_member_cannot_confirm_their_own_request(cast: Cast) -> None:
    organiser = cast.person("organiser")
    give_role(PersonFactory.create(), RoleKind.PROGRAMME_TEAM, cast.programme)
    erasure = request_erasure(person=organiser, reason="Moving on")
    _client(organiser).post(reverse("privacy:confirm", kwargs={"pk": erasure.pk}))
    erasure.refresh_from_db()
    assert erasure.is_pending


def test_erasing_the_last_programme_team_member_is_refused_and_recorded(cast: Cast) -> None:
    organiser = cast.person("organiser")
    admin = PersonFactory.create(is_superuser=True)
    erasure = request_erasure(person=organiser, reason="Moving on")
    response = _client(admin).post(reverse("privacy:confirm", kwargs={"pk": erasure.pk}), follow=True)
    assert "last member of the programme team" in response.content.decode()
    organiser.refresh_from_db()
    erasure.refresh_from_db()
    assert erasure.is_pending
    assert organiser.email == "organiser@example.org"
    refusal = AuditEntry.objects.get(action=AuditKind.ERASURE_REFUSED)
    assert refusal.changes["programmes"] == [cast.programme.slug]

    give_role(PersonFactory.create(), RoleKind.PROGRAMME_TEAM, cast.programme)
    _client(admin).post(reverse("privacy:confirm", kwargs={"pk": erasure.pk}))
    organiser.refresh_from_db()
    assert organiser.email == f"erased-{organiser.pk}@invalid"


def test_declining_keeps_the_person_and_tells_them_why(cast: Cast) -> None:
    rep_a = cast.person("rep_a")
    erasure = request_erasure(person=rep_a, reason="Please")
    organiser = cast.client_for("organiser")
    empty = organiser.post(reverse("privacy:decline", kwargs={"pk": erasure.pk}), {"note": ""})
    assert empty.status_code == 400
    organiser.post(reverse("privacy:decline", kwargs={"pk": erasure.pk}), {"note": "Your deliverables are due."})
    erasure.refresh_from_db()
    assert erasure.status == RequestStatus.DECLINED
    assert AuditEntry.objects.filter(action=AuditKind.ERASURE_DECLINED).count() == 1
    page = _client(rep_a).get(reverse("privacy:my_data")).content.decode()
    assert "Your deliverables are due." in page


def test_the_team_lists_the_waiting_requests_with_what_blocks_them(cast: Cast) -> None:
    request_erasure(person=cast.person("rep_b"), reason="Leaving")
    page = cast.client_for("organiser").get(reverse("privacy:requests")).content.decode()
    assert cast.person("rep_b").full_name in page
    assert "Leaving" in page


def test_record_of_processing_shows_the_retention_periods_set(cast: Cast, settings: Any) -> None:
    settings.ICC_RETENTION_INACTIVE_ACCOUNT_DAYS = 1234
    settings.ICC_RETENTION_CONTACT_DATA_DAYS = 321
    page = cast.client_for("organiser").get(reverse("privacy:record")).content.decode()
    assert "1,234 days" in page
    assert "321 days" in page
    assert "Security measures" in page


def _data_for(person: Person, cast: Cast, count: int) -> None:
    notify(kind=Kind.SIGN_OFF, people=[person.pk] * 1, programme=cast.programme, target=cast.city_a, params={})
    for number in range(count):
        notify(kind=Kind.SIGN_OFF, people=[person.pk], programme=cast.programme, target=cast.city_b, params={})
        request_erasure(person=person, reason=f"reason {number}")
        ErasureRequest.objects.filter(person=person).update(status=RequestStatus.DECLINED)
    from icc.core.models import record

    for _number in range(count):
        record(obj=person, action=AuditKind.CHANGED, actor=person, changes={"n": _number})


def _queries(person: Person) -> int:
    client = _client(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("privacy:export")).status_code == 200
    return len(queries)


def test_export_queries_do_not_grow_with_the_data(journey: Any) -> None:
    cast = journey.cast
    one, ten = cast.person("rep_a"), cast.person("rep_b")
    _data_for(one, cast, 1)
    _data_for(ten, cast, 10)
    FollowUp.objects.create(
        event=journey.event_a, city=cast.city_a, text="x", owner=ten, due_on=journey.event_a.starts_at.date()
    )
    assert _queries(ten) == _queries(one)
