from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse

from icc.accounts.models import Person
from icc.accounts.tokens import make_invitation_token
from icc.cities.actions import RoleSpec, invite_person
from icc.cities.models import RoleKind

PASSWORD = "a-long-test-password"


def sign_in(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_sign_in_with_email_and_password(cast, client):
    response = sign_in(client, "REP_A@example.org", PASSWORD)

    assert response.status_code == 302
    assert client.get("/").context["user"] == cast.people["rep_a"]


def test_wrong_password_gets_a_clear_message(cast, client):
    response = sign_in(client, "rep_a@example.org", "wrong")

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_repeated_failures_lock_the_account_for_that_address(cast, client):
    for _ in range(5):
        sign_in(client, "rep_a@example.org", "wrong")

    response = sign_in(client, "rep_a@example.org", PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_ends_the_session(cast):
    client = cast.client_for("rep_a")

    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))

    assert "_auth_user_id" not in client.session


def _invite(cast, mailoutbox, capture) -> tuple[Person, str]:
    with capture(execute=True):
        person = invite_person(
            programme=cast.programme,
            email="New.Person@Example.org",
            full_name="New Person",
            specs=[RoleSpec(kind=RoleKind.CITY_REP, city=cast.city_b)],
            by=cast.people["organiser"],
        )
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mailoutbox[-1].body)
    assert link is not None
    return person, link.group(0).split("8000", 1)[-1]


def test_invitation_link_sets_password_and_signs_in(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    person, path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)

    form = client.get(path)
    response = client.post(path, {"new_password1": "correct horse battery", "new_password2": "correct horse battery"})

    assert form.status_code == 200 and "new.person@example.org" in form.content.decode()
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("correct horse battery")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_invitation_link_works_only_once(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    _person, path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)
    client.post(path, {"new_password1": "correct horse battery", "new_password2": "correct horse battery"})

    response = client.get(path)

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_invitation_expires(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    _person, path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=15)):
        response = client.get(path)

    assert response.status_code == 404


def test_new_invitation_replaces_the_old_link(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    _person, old_path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=5)):
        _same, new_path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)

        assert client.get(old_path).status_code == 404
        assert client.get(new_path).status_code == 200


def test_weak_password_is_refused_and_nothing_changes(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    person, path = _invite(cast, mailoutbox, django_capture_on_commit_callbacks)

    response = client.post(path, {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_tampered_invitation_token_is_refused(cast, client):
    person = Person.objects.create_user(email="x@example.org", full_name="X")
    token = make_invitation_token(person)

    response = client.get(reverse("accounts:accept_invitation", kwargs={"token": token[:-2] + "zz"}))

    assert response.status_code == 404


def test_password_reset_mails_a_working_link(cast, client, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "rep_a@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mailoutbox[0].body)
    assert link is not None, mailoutbox[0].body
    path = link.group(1)

    confirm = client.get(path, follow=True)
    client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "brand new secret 42", "new_password2": "brand new secret 42"}
    )

    assert Person.objects.get(email="rep_a@example.org").check_password("brand new secret 42")


def test_password_reset_for_unknown_address_reveals_nothing(cast, client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert "If an account uses that address" in response.content.decode()
    assert mailoutbox == []
