"""The publication settings page: defaults, saving, validation, publishing, the preview and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Cast, RoadmapCast
from icc.core.models import AuditEntry, AuditKind
from icc.public import actions
from icc.public.models import Publication
from icc.public.tests.conftest import PublicCast
from icc.roadmaps.models import KPI

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def _url(name: str, cast: Cast) -> str:
    return reverse(f"public_manage:{name}", kwargs={"pk": cast.city_a.pk})


def _form(roadmap: RoadmapCast, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": "alphaville",
        "default_language": "pt",
        "languages": ["en"],
        "roadmap_language": "en",
        "introduction__pt": "Uma cidade que poupa energia.",
        "introduction__en": "A city that saves energy.",
        "next_update_on": "2027-03-01",
        "kpis": [roadmap.kpi.pk],
        "actions": [roadmap.owned.pk],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC))


def test_the_page_offers_the_citys_name_and_the_countrys_language_first(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    response = cast.client_for("rep_a").get(_url("settings", cast))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["slug"].value() == "alphaville"
    assert form["default_language"].value() == "pt"  # Alphaville is in Portugal
    html = response.content.decode()
    assert "Nothing is public yet." in html
    assert "Energy use of public buildings" in html and "Audit public buildings" in html


def test_saving_creates_the_publication_unpublished_and_records_it(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    response = cast.client_for("rep_a").post(_url("save", cast), _form(roadmap))
    assert response.status_code == 302
    publication = Publication.objects.get(city=cast.city_a)
    assert not publication.published
    assert publication.slug == "alphaville"
    assert publication.written_languages == ["pt", "en"]
    assert publication.plan_language == "en"
    assert publication.introduction == {"pt": "Uma cidade que poupa energia.", "en": "A city that saves energy."}
    assert publication.next_update_on == dt.date(2027, 3, 1)
    assert list(publication.kpis.all()) == [roadmap.kpi]
    assert list(publication.actions.all()) == [roadmap.owned]
    entry = AuditEntry.objects.for_object(publication).get()
    assert entry.action == AuditKind.PUBLIC_PAGE_SAVED and entry.actor == cast.person("rep_a")
    # A draft never shows.
    public_url = reverse("public:city", kwargs={"programme": cast.programme.slug, "city": "alphaville"})
    assert Client().get(public_url).status_code == 404


def test_publishing_and_unpublishing_are_recorded(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    client = cast.client_for("lead_expert")
    client.post(_url("save", cast), _form(roadmap))
    public_url = reverse("public:city", kwargs={"programme": cast.programme.slug, "city": "alphaville"})
    assert client.post(_url("publish", cast)).status_code == 302
    publication = Publication.objects.get(city=cast.city_a)
    assert publication.published and publication.published_at is not None
    assert Client().get(public_url).status_code == 200
    page = client.get(_url("settings", cast)).content.decode()
    assert "The public page is published." in page
    # The address shown is the page in the city's default language.
    assert (
        reverse("public:city", kwargs={"programme": cast.programme.slug, "city": "alphaville"}).replace("/en/", "/pt/")
        in page
    )
    assert client.post(_url("unpublish", cast)).status_code == 302
    assert Client().get(public_url).status_code == 404
    kinds = list(AuditEntry.objects.for_object(publication).order_by("pk").values_list("action", flat=True))
    assert kinds == [AuditKind.PUBLIC_PAGE_SAVED, AuditKind.PUBLIC_PAGE_PUBLISHED, AuditKind.PUBLIC_PAGE_UNPUBLISHED]


def test_publishing_before_saving_says_so_and_changes_nothing(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    response = cast.client_for("rep_a").post(_url("publish", cast), follow=True)
    assert "Save the settings first" in response.content.decode()
    assert not Publication.objects.exists()


def test_publishing_twice_records_it_once(public: PublicCast) -> None:
    cast = public.cast
    cast.client_for("rep_a").post(_url("publish", cast))
    assert AuditEntry.objects.filter(action=AuditKind.PUBLIC_PAGE_PUBLISHED).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "Not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"slug": "data"}, "slug", "is the address of another page"),
        ({"slug": "x" * 81}, "slug", "at most 80 characters"),
        ({"default_language": "xx"}, "default_language", "Select a valid choice"),
        ({"languages": ["en", "tlh"]}, "languages", "Select a valid choice"),
        ({"next_update_on": "2026-11-30"}, "next_update_on", "cannot be in the past"),
        ({"next_update_on": "2028-06-01"}, "next_update_on", "within the next year"),
        ({"next_update_on": "soon"}, "next_update_on", "Enter a valid date"),
        ({"introduction__pt": ""}, "introduction__pt", "Write this in português"),
        ({"introduction__en": "x" * 5001}, "introduction__en", "at most 5000 characters"),
        ({"kpis": ["999999"]}, "kpis", "Select a valid choice"),
        ({"kpis": ["abc"]}, "kpis", "is not a valid value"),
        ({"actions": ["999999"]}, "actions", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    roadmap: RoadmapCast, changes: dict[str, Any], field: str, message: str
) -> None:
    cast = roadmap.cast
    response = cast.client_for("rep_a").post(_url("save", cast), _form(roadmap, **changes))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Publication.objects.exists()


def test_another_citys_kpi_or_action_cannot_be_shown(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    other = KPI.objects.create(
        city=cast.city_b,
        name="Betatown's KPI",
        unit="%",
        direction="up",
        baseline_value=1,
        baseline_date=roadmap.kpi.baseline_date,
        baseline_source="x",
        target_value=2,
        target_date=roadmap.kpi.target_date,
    )
    response = cast.client_for("organiser").post(_url("save", cast), _form(roadmap, kpis=[roadmap.kpi.pk, other.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors["kpis"])
    assert not Publication.objects.exists()
    # The action refuses it too, whoever calls it.
    with pytest.raises(actions.ValidationError):
        actions.save_settings(
            city=cast.city_a,
            settings=actions.Settings(slug="alphaville", default_language="pt", kpis=[other]),
            by=None,
        )
    assert not Publication.objects.exists()


def test_an_address_another_city_uses_is_refused(public: PublicCast) -> None:
    cast = public.cast
    response = cast.client_for("rep_b").post(
        reverse("public_manage:save", kwargs={"pk": cast.city_b.pk}),
        {"slug": "alphaville", "default_language": "de"},
    )
    assert response.status_code == 200
    assert "already uses the address" in str(response.context["form"].errors["slug"])
    assert Publication.objects.get(city=cast.city_b).slug == "betatown"


def test_the_default_address_avoids_one_already_taken(public: PublicCast) -> None:
    city = public.cast.city_b
    city.name = "Alphaville"
    assert actions.default_slug(city) == "alphaville-2"


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Kraków", "krakow"), ("Łódź", "lodz"), ("Sankt Pölten", "sankt-polten"), ("Ærø", "aero"), ("Data", "data-city")],
)
def test_a_citys_name_becomes_a_readable_address(cast: Cast, name: str, slug: str) -> None:
    city = cast.city_a
    city.name = name
    assert actions.default_slug(city) == slug


def test_a_name_without_latin_letters_gets_an_address_by_number(cast: Cast) -> None:
    city = cast.city_a
    city.name = "Αθήνα"
    assert actions.default_slug(city) == f"city-{city.pk}"


def test_changing_languages_keeps_the_introductions_of_the_languages_kept(public: PublicCast) -> None:
    cast = public.cast
    data = _form(public.roadmap, languages=["fr"], **{"introduction__en": None})
    response = cast.client_for("rep_a").post(_url("save", cast), data)
    assert response.status_code == 302
    publication = Publication.objects.get(city=cast.city_a)
    assert publication.written_languages == ["pt", "fr"]
    assert publication.introduction == {"pt": "Uma cidade que poupa energia."}
    assert publication.published, "saving the settings leaves the page published"
    page = cast.client_for("rep_a").get(_url("settings", cast))
    assert "introduction__fr" in page.context["form"].fields


def test_preview_shows_a_draft_to_the_city_team_in_the_language_asked(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    client = cast.client_for("rep_a")
    client.post(_url("save", cast), _form(roadmap))
    response = client.get(_url("preview", cast))
    assert response.status_code == 200
    assert '<html lang="pt">' in response.content.decode()  # the city's default language
    html = client.get(_url("preview", cast) + "?language=en").content.decode()
    assert "Preview: this page is not published." in html
    assert "Audit public buildings" in html
    french = client.get(_url("preview_dashboard", cast) + "?language=fr").content.decode()
    assert '<html lang="fr">' in french and "Energy use of public buildings" in french
    odd = client.get(_url("preview", cast) + "?language=%3Cscript%3E")
    assert odd.status_code == 200 and '<html lang="pt">' in odd.content.decode()


def test_preview_before_saving_sends_back_to_the_settings(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    response = cast.client_for("rep_a").get(_url("preview", cast))
    assert response.status_code == 302 and response["Location"] == _url("settings", cast)


def test_the_city_page_links_its_editors_to_the_settings(public: PublicCast) -> None:
    cast = public.cast
    settings_url = _url("settings", cast)
    page = cast.client_for("rep_a").get(reverse("cities:detail", kwargs={"pk": cast.city_a.pk})).content.decode()
    assert settings_url in page and "published" in page
    mayor_page = cast.client_for("mayor_a").get(reverse("cities:detail", kwargs={"pk": cast.city_a.pk}))
    assert settings_url not in mayor_page.content.decode()
