"""The open data charter, versioned per edition, and each city's checklist against it,
with its summary in the marketplace's city profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast
from icc.marketplace.models import CityProfile, Review
from icc.opendata import actions
from icc.opendata import charter as default
from icc.opendata.demo import record_demo_opendata
from icc.opendata.models import Charter, Checklist, Entry, Principle, Status
from icc.opendata.summary import summary
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def _published(cast: Cast) -> Charter:
    draft = actions.start_draft(programme=cast.programme, by=cast.person("organiser"))
    actions.publish(charter=draft, by=cast.person("organiser"))
    return Charter.objects.get(pk=draft.pk)


def _form(charter: Charter, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {"version": overrides.pop("version", "0")}
    for principle in charter.principles.all():
        data[f"status_{principle.pk}"] = Status.NOT_YET
        data[f"url_{principle.pk}"] = ""
        data[f"evidence_{principle.pk}"] = ""
    data.update(overrides)
    return data


def test_the_programme_team_starts_from_the_icc_charter_and_publishes_it(cast: Cast) -> None:
    client = cast.client_for("organiser")
    slug = cast.programme.slug
    assert (
        "not published its open data charter yet"
        in client.get(reverse("opendata:charter", kwargs={"slug": slug})).content.decode()
    )
    assert client.post(reverse("opendata:draft_start", kwargs={"slug": slug})).status_code == 302
    draft = Charter.objects.get()
    assert draft.is_draft and draft.vision == default.VISION
    assert [p.key for p in draft.principles.all()] == [p["key"] for p in default.PRINCIPLES]
    # Cities see nothing of the draft.
    page = cast.client_for("rep_a").get(reverse("opendata:charter", kwargs={"slug": slug})).content.decode()
    assert "not published" in page and "Draft of version" not in page
    assert client.post(reverse("opendata:publish", kwargs={"slug": slug})).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft
    page = cast.client_for("rep_a").get(reverse("opendata:charter", kwargs={"slug": slug})).content.decode()
    assert "No vendor lock-in" in page and "Technical standards:" in page


def test_a_city_rep_records_the_checklist_with_evidence(cast: Cast) -> None:
    charter = _published(cast)
    first, second = charter.principles.all()[:2]
    url = reverse("opendata:checklist_edit", kwargs={"pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    assert client.get(url).status_code == 200
    data = _form(
        charter,
        **{
            f"status_{first.pk}": Status.MET,
            f"url_{first.pk}": "https://data.alphaville.example/catalogue",
            f"evidence_{first.pk}": "142 datasets under CC BY 4.0.",
            f"status_{second.pk}": Status.IN_PROGRESS,
        },
    )
    assert client.post(url, data).status_code == 302
    found = summary(cast.city_a)
    assert found is not None
    assert (found.met, found.in_progress, found.total, found.version) == (1, 1, 10, 1)
    page = cast.client_for("thematic_expert").get(reverse("opendata:checklist", kwargs={"pk": cast.city_a.pk}))
    assert "1 of 10 principles met" in page.content.decode()
    assert "https://data.alphaville.example/catalogue" in page.content.decode()
    assert cast.client_for("rep_b").get(reverse("opendata:checklist", kwargs={"pk": cast.city_a.pk})).status_code == 404
    assert cast.client_for("mayor_a").post(url, data).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("evidence", "x" * 2_001, "at most 2000 characters"),
        ("url", "javascript:alert(1)", "Enter a valid URL."),
        ("status", "done-ish", "Select a valid choice"),
    ],
)
def test_bad_checklist_input_is_refused_and_nothing_saved(cast: Cast, field: str, value: str, message: str) -> None:
    charter = _published(cast)
    first, second = charter.principles.all()[:2]
    data = _form(charter, **{f"status_{second.pk}": Status.MET, f"{field}_{first.pk}": value})
    response = cast.client_for("rep_a").post(reverse("opendata:checklist_edit", kwargs={"pk": cast.city_a.pk}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Checklist.objects.exists() and not Entry.objects.exists()


def test_a_stale_checklist_is_refused(cast: Cast) -> None:
    charter = _published(cast)
    first = charter.principles.first()
    assert first is not None
    url = reverse("opendata:checklist_edit", kwargs={"pk": cast.city_a.pk})
    assert (
        cast.client_for("lead_expert").post(url, _form(charter, **{f"status_{first.pk}": Status.MET})).status_code
        == 302
    )
    response = cast.client_for("rep_a").post(url, _form(charter, **{f"status_{first.pk}": Status.NOT_YET}))
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    assert Entry.objects.get(principle=first).status == Status.MET


def test_a_new_version_carries_the_answers_over_by_key(cast: Cast) -> None:
    organiser = cast.person("organiser")
    first = _published(cast)
    kept, dropped = first.principles.all()[:2]
    answers = {p.pk: actions.Answer(Status.NOT_YET, "", "") for p in first.principles.all()}
    answers[kept.pk] = actions.Answer(Status.MET, "https://example.org/kept", "Kept")
    answers[dropped.pk] = actions.Answer(Status.MET, "", "Dropped")
    actions.save_checklist(city=cast.city_a, charter=first, answers=answers, expected=0, by=cast.person("rep_a"))
    draft = actions.start_draft(programme=cast.programme, by=organiser)
    with pytest.raises(ValidationError, match="draft of the next version is open already"):
        actions.start_draft(programme=cast.programme, by=organiser)
    actions.remove_principle(principle=draft.principles.get(key=dropped.key), by=organiser)
    actions.save_principle(
        principle=Principle(
            charter=draft, key="algorithms", title="Algorithms explained", statement="Say what they do."
        ),
        by=organiser,
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.save_principle(
            principle=Principle(charter=draft, key=kept.key, title="Twice", statement="x"), by=organiser
        )
    assert actions.publish(charter=draft, by=organiser) == 1
    found = summary(cast.city_a)
    assert found is not None and found.charter.pk == draft.pk
    assert found.met == 1 and found.total == 10
    line = next(line for line in found.lines if line.principle.key == kept.key)
    assert (line.status, line.evidence_url) == (Status.MET, "https://example.org/kept")
    # The first version keeps what the city said then.
    old = summary(cast.city_a, first)
    assert old is not None and old.met == 2
    # A published version is fixed.
    with pytest.raises(ValidationError, match="is published"):
        actions.change_vision(charter=draft, vision="New", by=organiser)
    principle = draft.principles.first()
    assert principle is not None
    assert (
        cast.client_for("organiser").get(reverse("opendata:principle_edit", kwargs={"pk": principle.pk})).status_code
        == 404
    )


def test_the_summary_feeds_the_marketplace_city_profile(cast: Cast) -> None:
    charter = _published(cast)
    first = charter.principles.first()
    assert first is not None
    answers = {p.pk: actions.Answer(Status.NOT_YET, "", "") for p in charter.principles.all()}
    answers[first.pk] = actions.Answer(Status.MET, "", "Open by default since March.")
    actions.save_checklist(city=cast.city_a, charter=charter, answers=answers, expected=0, by=cast.person("rep_a"))
    CityProfile.objects.create(
        city=cast.city_a, summary="Hello", review=Review.PUBLISHED, created_by=cast.person("rep_a")
    )
    url = reverse("marketplace:profile", kwargs={"pk": cast.city_a.pk})
    page = cast.client_for("rep_b").get(url).content.decode()
    assert "1 of 10 principles met" in page
    assert "Open by default: Met" in page
    assert "Open by default since March." not in page  # the evidence stays with those who see the city
    assert reverse("opendata:checklist", kwargs={"pk": cast.city_a.pk}) not in page
    own = cast.client_for("rep_a").get(url).content.decode()
    assert reverse("opendata:checklist", kwargs={"pk": cast.city_a.pk}) in own


def test_the_charter_page_and_the_profile_take_a_flat_number_of_queries(cast: Cast) -> None:
    charter = _published(cast)
    CityProfile.objects.create(
        city=cast.city_a, summary="Hello", review=Review.PUBLISHED, created_by=cast.person("rep_a")
    )

    def fill(n: int) -> None:
        for _ in range(n):
            city = CityFactory.create(programme=cast.programme, track=cast.city_a.track)
            answers = {p.pk: actions.Answer(Status.MET, "", "") for p in charter.principles.all()}
            actions.save_checklist(city=city, charter=charter, answers=answers, expected=0, by=cast.person("organiser"))

    urls = [
        reverse("opendata:charter", kwargs={"slug": cast.programme.slug}),
        reverse("opendata:checklist", kwargs={"pk": cast.city_a.pk}),
        reverse("marketplace:profile", kwargs={"pk": cast.city_a.pk}),
    ]

    def queries() -> list[int]:
        counts = []
        client = cast.client_for("organiser")
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    fill(3)
    few = queries()
    fill(30)
    assert queries() == few
    page = cast.client_for("organiser").get(urls[0]).content.decode()
    assert page.count("10 / 10") == 33


def test_the_demo_publishes_version_1_answers_and_drafts_version_2(cast: Cast) -> None:
    from icc.cities.demo import PERSONA_EMAILS
    from icc.cities.models import RoleKind
    from tests.factories import PersonFactory, give_role

    organiser = PersonFactory.create(email=PERSONA_EMAILS["organiser"])
    give_role(organiser, RoleKind.PROGRAMME_TEAM, cast.programme)
    rep = PersonFactory.create(email=PERSONA_EMAILS["city_rep"])
    give_role(rep, RoleKind.CITY_REP, cast.programme, city=cast.city_a)
    assert record_demo_opendata(cast.programme) == 3
    assert record_demo_opendata(cast.programme) == 0
    found = summary(cast.city_a)
    assert found is not None and (found.met, found.in_progress, found.total) == (5, 3, 10)
    draft = actions.draft_of(cast.programme)
    assert draft is not None and draft.number == 2 and draft.principles.filter(key="algorithms").exists()


def test_the_admin_pages_open(cast: Cast) -> None:
    from django.test import Client

    from icc.accounts.models import Person

    _published(cast)
    staff = Person.objects.create_superuser(email="admin@example.org", password="a-long-password-1")
    admin = Client()
    admin.force_login(staff)
    charter = Charter.objects.get()
    assert admin.get(reverse("admin:opendata_charter_change", args=[charter.pk])).status_code == 200
    assert admin.get(reverse("admin:opendata_checklist_changelist")).status_code == 200
