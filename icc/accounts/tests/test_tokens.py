"""Links sent by e-mail carry the rights their holder has now, not those they had when
the link was made: invitations, password resets and survey links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from icc.accounts.models import Person
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import SatCampaign, SatResponse
from icc.cities.models import Role, RoleKind
from tests.factories import give_role, make_programme

NEW_PASSWORD = "correct horse battery"
TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/)", message.body)
    assert match is not None
    return match.group(1)


def invite(cast, capture, *, email="new.person@example.org", kind=RoleKind.CITY_REP, city=None) -> Person:
    with capture(execute=True):
        response = cast.client_for("organiser").post(
            reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}),
            {"full_name": "New Person", "email": email, "kind": kind, "city": (city or cast.city_b).pk},
        )
    assert response.status_code == 302
    return Person.objects.get(email=email)


def remove(cast, role: Role) -> None:
    response = cast.client_for("organiser").post(
        reverse("cities:role_remove", kwargs={"slug": cast.programme.slug, "pk": role.pk})
    )
    assert response.status_code == 302


def accept(client, path: str):
    return client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


# Invitations -------------------------------------------------------------------------


def test_an_invitation_whose_role_was_removed_before_acceptance_no_longer_works(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    person = invite(cast, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[-1])
    remove(cast, person.roles.get())

    page = client.get(path)
    answer = accept(client, path)

    assert page.status_code == 404 and "not valid" in page.content.decode()
    assert answer.status_code == 404
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert "_auth_user_id" not in client.session


def test_an_invitation_still_works_for_the_roles_that_remain(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    person = invite(cast, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[-1])
    cast.client_for("organiser").post(
        reverse("cities:role_add", kwargs={"slug": cast.programme.slug, "pk": person.pk}),
        {"kind": RoleKind.MAYOR, "city": cast.city_b.pk},
    )
    remove(cast, person.roles.get(kind=RoleKind.CITY_REP))

    response = accept(client, path)

    assert response.status_code == 302
    assert list(person.roles.values_list("kind", flat=True)) == [RoleKind.MAYOR]


def test_an_invitation_to_a_programme_stops_when_only_roles_elsewhere_remain(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    person = invite(cast, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[-1])
    other = make_programme(slug="other-edition")
    give_role(person, RoleKind.PROGRAMME_TEAM, other)
    remove(cast, person.roles.get(programme=cast.programme))

    assert client.get(path).status_code == 404


def test_the_invitation_of_a_deactivated_person_no_longer_works(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    person = invite(cast, django_capture_on_commit_callbacks)
    path = link_in(mailoutbox[-1])
    person.is_active = False
    person.save(update_fields=["is_active"])

    assert client.get(path).status_code == 404
    assert accept(client, path).status_code == 404


# Password reset ----------------------------------------------------------------------


def test_a_reset_link_stops_working_once_its_person_is_deactivated(cast, client, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "rep_a@example.org"})
    path = link_in(mailoutbox[0])
    rep = cast.people["rep_a"]
    rep.is_active = False
    rep.save(update_fields=["is_active"])

    confirm = client.get(path, follow=True)
    final = confirm.redirect_chain[-1][0] if confirm.redirect_chain else path
    client.post(final, {"new_password1": "brand new secret 42", "new_password2": "brand new secret 42"})

    assert "This link no longer works" in confirm.content.decode()
    assert not Person.objects.get(pk=rep.pk).check_password("brand new secret 42")


# Survey links: they belong to a city's survey round, not to a person ----------------


def manage_url(cast, write: str = "survey_manage") -> str:
    return reverse(f"assessments:{write}", kwargs={"pk": cast.city_a.pk, "round": "baseline"})


@pytest.fixture
def survey_links(cast, mailoutbox, django_capture_on_commit_callbacks) -> tuple[str, str]:
    """An open survey round of city A with an invitation link and a shared link."""
    load_default_instruments(programme=cast.programme)
    rep = cast.client_for("rep_a")
    with time_machine.travel(TODAY, tick=False):
        rep.post(manage_url(cast, "survey_open"), {"closes_on": "2026-12-31"})
        with django_capture_on_commit_callbacks(execute=True):
            rep.post(manage_url(cast, "survey_invite"), {"emails": "someone@org.example"})
        page = rep.post(manage_url(cast, "survey_share")).content.decode()
    invitation = re.search(r"(/survey/i/[^/\s]+/)", mailoutbox[-1].body)
    shared = re.search(r'(/survey/s/[^"]+/)"', page)
    assert invitation is not None and shared is not None
    return invitation.group(1), shared.group(1)


@time_machine.travel(TODAY, tick=False)
def test_survey_links_stop_once_the_survey_has_closed(survey_links, client):
    with time_machine.travel(dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        pages = [client.get(link) for link in survey_links]

    assert [page.status_code for page in pages] == [404, 404]
    assert all("Check that you copied" not in page.content.decode() for page in pages)


@time_machine.travel(TODAY, tick=False)
def test_survey_links_stop_once_the_survey_round_is_removed(survey_links, client):
    SatCampaign.objects.all().delete()

    pages = [client.get(link) for link in survey_links]

    assert [page.status_code for page in pages] == [404, 404]
    assert not SatResponse.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_survey_links_keep_working_when_the_person_who_sent_them_leaves_the_city(cast, survey_links, client):
    remove(cast, Role.objects.get(person=cast.people["rep_a"], kind=RoleKind.CITY_REP))

    assert [client.get(link).status_code for link in survey_links] == [200, 200]
