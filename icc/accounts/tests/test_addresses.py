"""An e-mail address is one identity whatever its letter case: at sign-in, lockout,
invitation, import and password reset, and in what the database keeps."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from icc.accounts.models import Person, normalise_address
from icc.cities.models import Role, RoleKind

PASSWORD = "a-long-test-password"
SPELLINGS = [
    "Mentor@example.org",
    "MENTOR@EXAMPLE.ORG",
    "mentor@Example.org",
    "mEnToR@example.org",
    " mentor@example.org ",
]


def sign_in(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# Sign-in and lockout -----------------------------------------------------------------


def test_every_spelling_of_an_address_shares_the_same_five_tries(cast, client):
    for spelling in SPELLINGS:
        sign_in(client, spelling, "wrong")

    response = sign_in(client, "mentor@example.org", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_locked_in_lower_case_cannot_sign_in_in_another_case(cast, client):
    for _ in range(5):
        sign_in(client, "mentor@example.org", "wrong")

    response = sign_in(client, "Mentor@example.org", PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert not signed_in(client)


def test_failures_at_the_admin_sign_in_count_towards_the_same_lock(cast, client):
    for spelling in SPELLINGS:
        client.post(reverse("admin:login"), {"username": spelling, "password": "wrong"})

    response = sign_in(client, "mentor@example.org", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_a_successful_sign_in_clears_failures_made_in_any_spelling(cast, client):
    for _ in range(4):
        sign_in(client, "Mentor@Example.org", "wrong")
    assert sign_in(client, "Mentor@Example.org", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        sign_in(client, "Mentor@Example.org", "wrong")
    response = sign_in(client, "Mentor@Example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.people["mentor"].pk)


def test_the_sign_in_message_does_not_claim_the_address_is_case_sensitive(cast, client):
    page = sign_in(client, "mentor@example.org", "wrong").content.decode()

    assert "do not match an account" in page
    assert "Both are case-sensitive" not in page


# Invitation, import and reset --------------------------------------------------------


def test_inviting_a_differently_cased_address_gives_the_role_to_the_same_person(cast):
    organiser = cast.client_for("organiser")
    people_before = Person.objects.count()

    response = organiser.post(
        reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}),
        {
            "full_name": "Someone Else",
            "email": "  MENTOR@Example.ORG ",
            "kind": RoleKind.CITY_REP,
            "city": cast.city_b.pk,
        },
    )

    assert response.status_code == 302
    assert Person.objects.count() == people_before
    assert Role.objects.filter(person=cast.people["mentor"], city=cast.city_b, kind=RoleKind.CITY_REP).exists()


def test_a_new_person_invited_in_mixed_case_is_stored_in_lower_case_and_signs_in_in_any_case(cast):
    organiser = cast.client_for("organiser")
    organiser.post(
        reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}),
        {
            "full_name": "Nova Pessoa",
            "email": "Nova.Pessoa@Example.PT",
            "kind": RoleKind.CITY_REP,
            "city": cast.city_b.pk,
        },
    )

    person = Person.objects.get(full_name="Nova Pessoa")

    assert person.email == "nova.pessoa@example.pt"


def test_importing_a_differently_cased_address_updates_the_same_person(cast):
    mentor = cast.people["mentor"]
    text = f"email,full_name,role,city\n MENTOR@Example.org ,{mentor.full_name},city-rep,Betatown\n"
    people_before = Person.objects.count()

    response = cast.client_for("organiser").post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}),
        {"kind": "people", "file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")},
    )

    assert response.status_code == 302
    assert Person.objects.count() == people_before
    assert Role.objects.filter(person=mentor, city=cast.city_b, kind=RoleKind.CITY_REP).exists()


def test_one_import_file_with_two_spellings_of_a_new_address_creates_one_person(cast):
    text = (
        "email,full_name,role,city\n"
        "Ana.Silva@Braga.example,Ana Silva,city-rep,Betatown\n"
        "ana.silva@braga.example,Ana Silva,mayor,Betatown\n"
    )

    cast.client_for("organiser").post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}),
        {"kind": "people", "file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")},
    )

    ana = Person.objects.get(full_name="Ana Silva")
    assert ana.email == "ana.silva@braga.example"
    assert set(ana.roles.values_list("kind", flat=True)) == {RoleKind.CITY_REP, RoleKind.MAYOR}


def test_password_reset_for_a_differently_cased_address_reaches_the_same_person(cast, client, mailoutbox):
    client.post(reverse("accounts:password_reset"), {"email": "Mentor@EXAMPLE.org"})

    assert [message.to for message in mailoutbox] == [["mentor@example.org"]]
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mailoutbox[0].body)
    assert link is not None, mailoutbox[0].body
    path = link.group(1)
    confirm = client.get(path, follow=True)
    client.post(
        confirm.redirect_chain[-1][0], {"new_password1": "brand new secret 42", "new_password2": "brand new secret 42"}
    )
    assert Person.objects.get(pk=cast.people["mentor"].pk).check_password("brand new secret 42")


def test_changing_a_persons_address_in_the_admin_stores_it_in_lower_case(cast, client):
    admin = Person.objects.create_superuser(email="root@example.org", full_name="Root", password=PASSWORD)
    client.force_login(admin)
    mentor = cast.people["mentor"]

    response = client.post(
        reverse("admin:accounts_person_change", args=[mentor.pk]),
        {
            "email": "Mentor.New@Example.ORG",
            "full_name": mentor.full_name,
            "language": "",
            "is_active": "on",
            "time_zone": "",
            "groups": [],
            "user_permissions": [],
        },
    )

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.email == "mentor.new@example.org"


def test_the_admin_refuses_an_address_another_person_holds_in_another_case(cast, client):
    admin = Person.objects.create_superuser(email="root@example.org", full_name="Root", password=PASSWORD)
    client.force_login(admin)
    mentor = cast.people["mentor"]

    response = client.post(
        reverse("admin:accounts_person_change", args=[mentor.pk]),
        {"email": "REP_A@example.org", "full_name": mentor.full_name, "is_active": "on"},
    )

    assert response.status_code == 200
    assert "already" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.email == "mentor@example.org"


# What the database keeps -------------------------------------------------------------


def test_addresses_are_normalised_by_trimming_and_lowering_the_whole_address():
    assert normalise_address("  Ana.Silva@Braga.EXAMPLE \n") == "ana.silva@braga.example"
    assert normalise_address("ÉMILE@Example.fr") == "émile@example.fr"


def test_the_database_refuses_a_second_person_with_the_same_address_in_another_case(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(email="MENTOR@example.org", full_name="Impostor")


def test_the_database_refuses_an_address_stored_with_capitals(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(email="Shouting@example.org", full_name="Capitals")


MIGRATION = "0003_lowercase_email_addresses"


def _migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("accounts", target)])


@pytest.mark.django_db(transaction=True)
def test_the_migration_lowercases_existing_addresses_and_stops_on_duplicates_naming_them():
    _migrate("0002_person_time_zone")
    executor = MigrationExecutor(connection)
    old_person = executor.loader.project_state(("accounts", "0002_person_time_zone")).apps.get_model(
        "accounts", "Person"
    )
    old_person.objects.create(email=" Ana.Silva@Braga.example", full_name="Ana")
    old_person.objects.create(email="ana.silva@braga.example", full_name="Ana again")
    old_person.objects.create(email="Bruno@Braga.example", full_name="Bruno")
    try:
        with pytest.raises(RuntimeError, match=r"ana\.silva@braga\.example"):
            _migrate(MIGRATION)
        assert set(old_person.objects.values_list("email", flat=True)) == {
            " Ana.Silva@Braga.example",
            "ana.silva@braga.example",
            "Bruno@Braga.example",
        }

        old_person.objects.filter(full_name="Ana again").delete()
        _migrate(MIGRATION)

        assert sorted(old_person.objects.values_list("email", flat=True)) == [
            "ana.silva@braga.example",
            "bruno@braga.example",
        ]
    finally:
        old_person.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("accounts"))
