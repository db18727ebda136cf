from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.models import City, Organisation, Role, RoleKind
from icc.core.models import AuditEntry, AuditKind
from tests.factories import CityFactory, OrganisationFactory, PersonFactory, give_role


def city_data(programme, **overrides):
    data = {
        "name": "Coimbra",
        "country": "PT",
        "type": "eu-core",
        "population": "140000",
        "time_zone": "Europe/Lisbon",
        "track": programme.themes.first().pk,
        "current_phase": programme.phases.get(key="implementation").pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_team_adds_a_city_and_the_change_is_audited(cast):
    client = cast.client_for("organiser")

    response = client.post(reverse("cities:create", kwargs={"slug": cast.programme.slug}), city_data(cast.programme))

    city = City.objects.get(name="Coimbra")
    assert response.status_code == 302 and response["Location"] == city.get_absolute_url()
    entry = AuditEntry.objects.for_object(city).get()
    assert (entry.action, entry.actor) == ("created", cast.people["organiser"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "Alphaville", "country": "PT"}, "name"),
        ({"country": "XX"}, "country"),
        ({"population": "many"}, "population"),
        ({"latitude": "123"}, "latitude"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"type": "eu-mentor", "former_dcc": "on"}, "former_dcc"),
    ],
)
def test_bad_city_form_input_is_refused_with_a_message(cast, overrides, field):
    client = cast.client_for("organiser")
    before = City.objects.count()

    response = client.post(
        reverse("cities:create", kwargs={"slug": cast.programme.slug}), city_data(cast.programme, **overrides)
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert City.objects.count() == before


def test_rep_edits_own_city(cast):
    client = cast.client_for("rep_a")
    data = city_data(cast.programme, name="Alphaville", population="123456")

    response = client.post(reverse("cities:edit", kwargs={"pk": cast.city_a.pk}), data)

    assert response.status_code == 302
    cast.city_a.refresh_from_db()
    assert cast.city_a.population == 123456
    assert AuditEntry.objects.for_object(cast.city_a).get().changes["population"] == 123456


def test_rep_of_other_city_gets_404_and_nothing_changes(cast):
    client = cast.client_for("rep_b")

    response = client.post(
        reverse("cities:edit", kwargs={"pk": cast.city_a.pk}), city_data(cast.programme, population="1")
    )

    assert response.status_code == 404
    cast.city_a.refresh_from_db()
    assert cast.city_a.population != 1


def test_city_page_shows_profile_team_and_ecosystem(cast):
    response = cast.client_for("rep_a").get(cast.city_a.get_absolute_url())

    page = response.content.decode()
    assert "Alphaville" in page
    assert "Alphaville Innovation Hub" in page
    assert cast.people["stakeholder"].full_name in page
    assert cast.people["lead_expert"].full_name in page
    assert cast.people["thematic_expert"].full_name in page


def test_organisation_added_and_duplicate_refused(cast):
    client = cast.client_for("lead_expert")
    url = reverse("cities:organisation_create", kwargs={"pk": cast.city_a.pk})

    client.post(url, {"name": "University of Alphaville", "sector": "knowledge", "website": "uni.example"})
    response = client.post(url, {"name": "university of alphaville", "sector": "knowledge"})

    assert response.status_code == 200
    assert "already lists" in response.content.decode()
    organisation = Organisation.objects.get(name="University of Alphaville")
    assert organisation.website == "https://uni.example"


def test_invite_creates_person_role_and_sends_link(cast, mailoutbox, django_capture_on_commit_callbacks):
    client = cast.client_for("organiser")
    data = {"full_name": "Nina New", "email": "Nina@Example.org", "kind": "city-rep", "city": cast.city_b.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}), data)

    person = Person.objects.get(email="nina@example.org")
    assert response.status_code == 302
    assert person.roles.get().city == cast.city_b
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nina@example.org"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "city-rep"}, "needs a city"),
        ({"kind": "thematic-expert"}, "needs a theme"),
        ({"kind": "mentor-rep", "city": "A"}, "not a mentor city"),
        ({"kind": "city-rep", "city": "M"}, "mentor city"),
        ({"kind": "lead-expert", "city": "A"}, "already has a lead expert"),
        ({"kind": "mayor", "city": "A"}, "already has a mayor"),
    ],
)
def test_invite_with_a_role_that_breaks_the_rules_is_refused(cast, data, message):
    client = cast.client_for("organiser")
    cities = {"A": cast.city_a.pk, "M": cast.mentor_city.pk}
    if "city" in data:
        data = {**data, "city": cities[data["city"]]}

    response = client.post(
        reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}),
        {"full_name": "Nina", "email": "nina@example.org", **data},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(email="nina@example.org").exists()


def test_fourth_city_rep_is_refused(cast):
    for _i in range(2):
        give_role(PersonFactory.create(), RoleKind.CITY_REP, cast.programme, city=cast.city_a)
    client = cast.client_for("organiser")

    response = client.post(
        reverse("cities:person_invite", kwargs={"slug": cast.programme.slug}),
        {"full_name": "Four", "email": "four@example.org", "kind": "city-rep", "city": cast.city_a.pk},
    )

    assert "already has 3 city representatives" in response.content.decode()


def test_team_adds_and_removes_a_role(cast):
    client = cast.client_for("organiser")
    rep = cast.people["rep_a"]
    url = reverse("cities:role_add", kwargs={"slug": cast.programme.slug, "pk": rep.pk})

    client.post(url, {"kind": "stakeholder", "city": cast.city_a.pk})
    role = rep.roles.get(kind="stakeholder")
    client.post(reverse("cities:role_remove", kwargs={"slug": cast.programme.slug, "pk": role.pk}))

    assert list(rep.roles.values_list("kind", flat=True)) == ["city-rep"]
    assert [e.action for e in AuditEntry.objects.for_object(rep)] == [AuditKind.ROLE_REMOVED, AuditKind.ROLE_ADDED]


def test_person_of_another_programme_is_not_found(cast):
    from tests.factories import make_programme

    other = make_programme(slug="other")
    stranger = PersonFactory.create()
    give_role(stranger, RoleKind.PROGRAMME_TEAM, other)

    response = cast.client_for("organiser").get(
        reverse("cities:person", kwargs={"slug": cast.programme.slug, "pk": stranger.pk})
    )

    assert response.status_code == 404


def test_people_list_filters_by_role_and_ignores_unknown_roles(cast):
    client = cast.client_for("organiser")
    url = reverse("cities:people", kwargs={"slug": cast.programme.slug})

    reps = client.get(url, {"role": "city-rep"})
    unknown = client.get(url, {"role": "<script>"})

    assert sorted(p.email for p in reps.context["page"]) == ["rep_a@example.org", "rep_b@example.org"]
    assert unknown.status_code == 200
    assert "Unknown role" in unknown.content.decode()


def test_city_page_query_count_does_not_grow_with_the_cohort(cast, django_assert_num_queries):
    client = cast.client_for("organiser")
    url = cast.city_a.get_absolute_url()

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for city in CityFactory.create_batch(n, programme=cast.programme):
            OrganisationFactory.create(city=city)
            give_role(PersonFactory.create(), RoleKind.CITY_REP, cast.programme, city=city)
        for _ in range(5):
            org = OrganisationFactory.create(city=cast.city_a)
            give_role(PersonFactory.create(), RoleKind.STAKEHOLDER, cast.programme, city=cast.city_a, organisation=org)

    grow(7)
    small = count_queries()
    grow(290)
    assert City.objects.count() == 300
    assert count_queries() == small
    assert Role.objects.filter(city=cast.city_a, kind="stakeholder").count() == 11


def test_inviting_the_same_address_again_says_the_earlier_link_no_longer_works(
    cast: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = cast.client_for("organiser")
    url = reverse("cities:person_invite", kwargs={"slug": cast.programme.slug})
    data = {"full_name": "Nina New", "email": "nina@example.org", "kind": "city-rep", "city": cast.city_b.pk}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data, follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, {**data, "email": "Nina@Example.org", "kind": "stakeholder"}, follow=True)

    assert "An invitation was sent to nina@example.org." in first.content.decode()
    assert "earlier" not in first.content.decode()
    assert "the link in the earlier e-mail no longer works" in second.content.decode()
    assert len(mailoutbox) == 2


def test_resending_an_invitation_says_the_earlier_link_no_longer_works(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = cast.client_for("organiser")
    person = Person.objects.create_user(email="late@example.org", full_name="Late Comer")
    Person.objects.filter(pk=person.pk).update(invited_at=timezone.now())
    give_role(person, RoleKind.STAKEHOLDER, cast.programme, city=cast.city_a)
    url = reverse("cities:invitation_resend", kwargs={"slug": cast.programme.slug, "pk": person.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "the link in the earlier e-mail no longer works" in response.content.decode()


def test_a_wrong_detail_shows_the_person_page_again_with_the_error(cast: Any) -> None:
    client = cast.client_for("organiser")
    rep = cast.people["rep_a"]
    url = reverse("cities:person_update", kwargs={"slug": cast.programme.slug, "pk": rep.pk})

    page = client.post(url, {"full_name": "Rep A", "email": cast.people["rep_b"].email})
    fragment = client.post(url, {"full_name": "Rep A", "email": "not an address"}, headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert "Another person already uses this e-mail address." in page.content.decode()
    assert "<h1>" in page.content.decode()
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<form id="person-form"')
    rep.refresh_from_db()
    assert rep.email == "rep_a@example.org"


def test_saving_a_person_redirects_to_the_page_and_is_audited(cast: Any) -> None:
    client = cast.client_for("organiser")
    rep = cast.people["rep_a"]
    url = reverse("cities:person_update", kwargs={"slug": cast.programme.slug, "pk": rep.pk})

    response = client.post(url, {"full_name": "Ana Renamed", "email": rep.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("cities:person", kwargs={"slug": cast.programme.slug, "pk": rep.pk})
    rep.refresh_from_db()
    assert rep.full_name == "Ana Renamed"
    assert AuditEntry.objects.for_object(rep).get().changes == {"full_name": "Ana Renamed"}


def test_a_role_that_breaks_the_rules_shows_why_in_the_role_form(cast: Any) -> None:
    client = cast.client_for("organiser")
    rep = cast.people["rep_b"]
    url = reverse("cities:role_add", kwargs={"slug": cast.programme.slug, "pk": rep.pk})

    response = client.post(url, {"kind": "lead-expert", "city": cast.city_a.pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<form id="role-form"')
    assert "already has a lead expert" in page
    assert not rep.roles.filter(kind="lead-expert").exists()


def test_an_invitation_is_not_resent_to_someone_who_has_an_account(cast: Any, mailoutbox: Any) -> None:
    client = cast.client_for("organiser")
    rep = cast.people["rep_a"]
    rep.set_password("a long enough password")
    rep.save()

    response = client.post(
        reverse("cities:invitation_resend", kwargs={"slug": cast.programme.slug, "pk": rep.pk}), follow=True
    )

    assert "already has an account" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize(("persona", "shown"), [("rep_a", True), ("organiser", True), ("mayor_a", False)])
def test_the_city_page_leads_its_editors_to_what_residents_see(cast, persona, shown):
    page = cast.client_for(persona).get(reverse("cities:detail", kwargs={"pk": cast.city_a.pk})).content.decode()
    links = [
        reverse("public_manage:settings", kwargs={"pk": cast.city_a.pk}),
        reverse("consultations:city", kwargs={"pk": cast.city_a.pk}),
        reverse("ideas:calls", kwargs={"pk": cast.city_a.pk}),
    ]
    assert all((f'href="{link}"' in page) is shown for link in links)
