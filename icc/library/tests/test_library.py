"""The city toolbox: who opens what, sharing items, files behind an access check, a
city's final deliverable in one step, search and what is new since the last visit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, Cast
from icc.journey.actions import generate_schedules, install_template
from icc.journey.models import Event, Submission, SubmissionStatus
from icc.journey.tests.test_deliverable_content import pdf
from icc.library import actions
from icc.library.models import Audience, Form, Item, Kind, Version, Visit
from icc.tags.models import Tag
from tests.factories import accepted_final

pytestmark = pytest.mark.django_db
# Everyone of the cast who takes part in the programme.
PARTICIPANTS = [p for p in PERSONAS if p not in ("stakeholder", "outsider", "anonymous")]


def _library(cast: Cast) -> str:
    return reverse("library:library", kwargs={"slug": cast.programme.slug})


def _item(cast: Cast, title: str = "Handbook", **fields: Any) -> Item:
    values: dict[str, Any] = {
        "programme": cast.programme,
        "kind": Kind.GUIDANCE,
        "form": Form.LINK,
        "url": "https://example.org/handbook",
        "added_by": cast.person("organiser"),
        **fields,
    }
    return Item.objects.create(title=title, **values)


def _pdf_upload(name: str = "handbook.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(b"BT /F1 12 Tf (Hello) Tj ET"), content_type="application/pdf")


@pytest.mark.parametrize("persona", PARTICIPANTS)
def test_participants_and_mentors_open_the_toolbox(cast: Cast, persona: str) -> None:
    _item(cast)
    response = cast.client_for(persona).get(_library(cast))
    assert response.status_code == 200
    assert "Handbook" in response.content.decode()


@pytest.mark.parametrize("persona", ["stakeholder", "outsider", "anonymous"])
def test_stakeholders_outsiders_and_the_public_do_not(cast: Cast, persona: str) -> None:
    item = _item(cast)
    client = cast.client_for(persona)
    for url in (_library(cast), item.get_absolute_url(), reverse("library:add", kwargs={"slug": cast.programme.slug})):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if persona == "anonymous":
            assert response.status_code == 302 and "sign-in" in response["Location"]


def _visible_to(cast: Cast, persona: str, item: Item) -> bool:
    return cast.client_for(persona).get(item.get_absolute_url()).status_code == 200


def test_an_item_for_a_theme_reaches_its_experts_and_the_cities_on_that_track(cast: Cast) -> None:
    theme = cast.city_a.track
    item = _item(cast, audience=Audience.THEME, audience_theme=theme)
    seen = {p for p in PARTICIPANTS if _visible_to(cast, p, item)}
    # City A and the mentor city are on the first theme; city B is not.
    assert seen == {"organiser", "lead_expert", "thematic_expert", "rep_a", "mayor_a", "mentor"}


def test_an_item_for_a_city_reaches_only_its_team(cast: Cast) -> None:
    item = _item(cast, audience=Audience.CITY, audience_city=cast.city_b)
    assert {p for p in PARTICIPANTS if _visible_to(cast, p, item)} == {"organiser", "rep_b"}


def test_an_item_for_a_tag_reaches_the_people_of_that_tag(cast: Cast) -> None:
    tag = Tag.objects.create(programme=cast.programme, number=1, theme=cast.city_a.track, mentor=cast.mentor_city)
    tag.memberships.create(city=cast.city_a)
    item = _item(cast, audience=Audience.TAG, audience_tag=tag)
    seen = {p for p in PARTICIPANTS if _visible_to(cast, p, item)}
    assert "rep_a" in seen and "mentor" in seen and "thematic_expert" in seen
    assert "rep_b" not in seen and "transversal_expert" not in seen


def test_a_page_is_markdown_and_nothing_in_it_runs(cast: Cast) -> None:
    body = "# Steps\n\n**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    item = _item(cast, form=Form.PAGE, url="", body=body, title='<b onmouseover="x">Title</b>')
    html = cast.client_for("rep_a").get(item.get_absolute_url()).content.decode()
    assert "<h2>Steps</h2>" in html and "<strong>Bold</strong>" in html
    assert "<script>alert(1)" not in html and 'href="javascript' not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the text it is
    assert "&lt;b onmouseover" in html


def _add(cast: Cast, persona: str, **data: Any) -> Any:
    form = {
        "title": "Shared",
        "kind": Kind.CASE_MATERIAL,
        "form": Form.LINK,
        "url": "https://example.org/case",
        "language": "en",
        "audience": Audience.PROGRAMME,
        **data,
    }
    return cast.client_for(persona).post(reverse("library:add", kwargs={"slug": cast.programme.slug}), form)


def test_a_city_shares_case_material_as_a_link(cast: Cast) -> None:
    response = _add(cast, "rep_a")
    assert response.status_code == 302
    item = Item.objects.get()
    assert item.added_by == cast.person("rep_a") and item.audience == Audience.PROGRAMME
    assert _visible_to(cast, "rep_b", item)


def test_a_city_does_not_publish_programme_guidance_or_share_with_another_city(cast: Cast) -> None:
    assert _add(cast, "rep_a", kind=Kind.GUIDANCE).status_code == 400
    refused = _add(cast, "rep_a", audience=Audience.CITY, audience_city=cast.city_b.pk)
    assert refused.status_code == 400
    assert not Item.objects.exists()
    assert _add(cast, "thematic_expert", kind=Kind.THEMATIC).status_code == 302


def test_a_file_is_checked_by_its_content_and_a_disguised_one_stores_nothing(cast: Cast) -> None:
    fake = SimpleUploadedFile("handbook.pdf", b"<html><script>alert(1)</script></html>")
    response = _add(cast, "organiser", kind=Kind.GUIDANCE, form=Form.FILE, url="", upload=fake)
    assert response.status_code == 400
    assert "content" in response.content.decode()
    assert not Item.objects.exists() and not Version.objects.exists()
    assert _add(cast, "organiser", kind=Kind.GUIDANCE, form=Form.FILE, upload=_pdf_upload()).status_code == 302
    assert Version.objects.get().number == 1


def test_a_form_without_what_it_needs_gets_a_message(cast: Cast) -> None:
    for data, message in (
        ({"url": ""}, "Give the address the link goes to."),
        ({"form": Form.PAGE, "body": "   "}, "Write the page."),
        ({"form": Form.FILE}, "Choose the file to share."),
        ({"audience": Audience.THEME}, "Choose whom to share it with."),
        ({"title": "x" * 201}, "201"),
    ):
        response = _add(cast, "rep_a", **data)
        assert response.status_code == 400 and message in response.content.decode(), data
    assert not Item.objects.exists()


def test_files_are_served_only_through_the_access_check(cast: Cast) -> None:
    item = actions.add_item(
        item=Item(
            programme=cast.programme,
            kind=Kind.GUIDANCE,
            form=Form.FILE,
            title="Secret plan",
            audience=Audience.CITY,
            audience_city=cast.city_a,
        ),
        themes=[],
        event_types=[],
        upload=_pdf_upload(),
        by=cast.person("organiser"),
    )
    version = item.versions.get()
    url = reverse("library:download", kwargs={"pk": version.pk})
    download = cast.client_for("rep_a").get(url)
    assert download.status_code == 200 and download.getvalue().startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"
    for persona in ("rep_b", "stakeholder", "outsider"):
        assert cast.client_for(persona).get(url).status_code == 404
    assert cast.client_for("anonymous").get(url).status_code == 302
    # A role that ends takes the file with it.
    cast.person("rep_a").roles.all().delete()
    assert cast.client_for("rep_a").get(url).status_code == 404


def test_a_new_version_comes_from_the_author_or_the_programme_team(cast: Cast) -> None:
    item = actions.add_item(
        item=Item(programme=cast.programme, kind=Kind.CASE_MATERIAL, form=Form.FILE, title="Case"),
        themes=[],
        event_types=[],
        upload=_pdf_upload(),
        by=cast.person("rep_a"),
    )
    url = reverse("library:version_add", kwargs={"pk": item.pk})
    assert cast.client_for("rep_b").post(url, {"upload": _pdf_upload(), "note": "x"}).status_code == 403
    assert cast.client_for("rep_a").post(url, {"upload": _pdf_upload("v2.pdf"), "note": "Figures"}).status_code == 302
    bad = cast.client_for("organiser").post(url, {"upload": SimpleUploadedFile("v3.pdf", b"nope"), "note": ""})
    assert bad.status_code == 400
    assert list(item.versions.values_list("number", "note")) == [(2, "Figures"), (1, "")]


def _accepted_final(cast: Cast) -> Submission:
    submission = accepted_final(cast.city_a, cast.person("rep_a"), pdf(b"BT /F1 12 Tf (Strategy) Tj ET"))
    assert isinstance(submission, Submission)
    return submission


def test_a_city_offers_its_accepted_final_deliverable_in_one_step(cast: Cast) -> None:
    submission = _accepted_final(cast)
    url = reverse("library:offer", kwargs={"pk": submission.pk})
    assert cast.client_for("rep_b").post(url).status_code == 404
    assert cast.client_for("mayor_a").post(url).status_code == 403
    response = cast.client_for("rep_a").post(url)
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.kind == Kind.DELIVERABLE and item.audience == Audience.PROGRAMME and item.source == submission
    assert item.title == "Local strategy – Alphaville"
    assert _visible_to(cast, "rep_b", item) and item.versions.get().original_name == "strategy.pdf"
    again = cast.client_for("rep_a").post(url, follow=True)
    assert "already in the toolbox" in again.content.decode() and Item.objects.count() == 1
    milestone = cast.client_for("rep_a").get(
        reverse("journey:milestone", kwargs={"pk": cast.city_a.pk, "milestone_pk": submission.milestone_id})
    )
    assert "Shared in the city toolbox" in milestone.content.decode()


def test_a_draft_or_a_version_not_accepted_is_not_offered(cast: Cast) -> None:
    submission = _accepted_final(cast)
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.SUBMITTED)
    response = cast.client_for("rep_a").post(reverse("library:offer", kwargs={"pk": submission.pk}), follow=True)
    assert "Only the accepted final version" in response.content.decode()
    assert not Item.objects.exists()


def test_search_and_facets_and_hostile_queries(cast: Cast) -> None:
    _item(cast, "Needs assessment workshop", kind=Kind.THEMATIC, language="fr", summary="Atelier")
    _item(cast, "Roadmap handbook")
    client = cast.client_for("rep_a")
    found = client.get(_library(cast), {"q": "workshop"}).content.decode()
    assert "Needs assessment workshop" in found and "Roadmap handbook" not in found
    by_kind = client.get(_library(cast), {"kind": Kind.THEMATIC, "language": "fr"}).content.decode()
    assert "Needs assessment workshop" in by_kind and "Roadmap handbook" not in by_kind
    for query in ('"', "*", "NEAR(a b)", 'a" OR "b', "x" * 10_000, "%", "_"):
        assert client.get(_library(cast), {"q": query}).status_code == 200
    assert client.get(_library(cast), {"theme": "abc", "phase": "99999999999999999999"}).status_code == 200
    too_long = client.get(_library(cast), {"q": "x" * 10_000}).content.decode()
    assert "at most 200 characters" in too_long


def test_new_since_the_last_visit(cast: Cast) -> None:
    old = _item(cast, "Old guide")
    Item.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    client = cast.client_for("rep_a")
    client.get(_library(cast))
    Visit.objects.update(seen_at=timezone.now() - dt.timedelta(days=1))
    _item(cast, "Fresh guide")
    page = client.get(_library(cast), {"new": "on"}).content.decode()
    assert "Fresh guide" in page and "Old guide" not in page
    assert "1 item new or changed since your last visit" in page
    # Coming back a minute later is the same visit: the fresh guide is still new.
    assert "Fresh guide" in client.get(_library(cast), {"new": "on"}).content.decode()


def test_the_toolbox_page_takes_the_same_queries_for_10_items_as_for_30(cast: Cast) -> None:
    theme = cast.city_a.track
    assert theme is not None

    def count() -> int:
        client = cast.client_for("rep_a")
        client.get(_library(cast))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_library(cast)).status_code == 200
        return len(captured.captured_queries)

    for n in range(10):
        _item(cast, f"Item {n}").themes.set([theme])
    ten = count()
    for n in range(20):
        _item(cast, f"More {n}").themes.set([theme])
    assert count() == ten


def test_an_event_links_the_items_it_needs(cast: Cast) -> None:
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    event = Event.objects.filter(city=cast.city_a).select_related("event_type").first()
    assert event is not None
    item = _item(cast, "Workshop canvas")
    item.event_types.set([event.event_type])
    hidden = _item(cast, "For Betatown only", audience=Audience.CITY, audience_city=cast.city_b)
    hidden.event_types.set([event.event_type])
    page = cast.client_for("rep_a").get(event.get_absolute_url()).content.decode()
    assert "From the city toolbox" in page and "Workshop canvas" in page
    assert "For Betatown only" not in page


def test_a_shared_deliverable_takes_no_new_version(cast: Cast) -> None:
    submission = _accepted_final(cast)
    assert cast.client_for("rep_a").post(reverse("library:offer", kwargs={"pk": submission.pk})).status_code == 302
    item = Item.objects.get()
    url = reverse("library:version_add", kwargs={"pk": item.pk})
    response = cast.client_for("rep_a").post(url, {"upload": _pdf_upload("other.pdf"), "note": ""})
    assert response.status_code == 400 and "takes no new versions" in response.content.decode()
    assert list(item.versions.values_list("original_name", flat=True)) == ["strategy.pdf"]


@pytest.mark.parametrize("field", ["themes", "event_types"])
def test_a_huge_id_in_a_multiple_choice_is_refused_not_a_500(cast: Cast, field: str) -> None:
    response = _add(cast, "rep_a", **{field: "9" * 30})
    assert response.status_code == 400
    assert not Item.objects.exists()


def test_the_author_changes_and_removes_an_item_and_the_history_keeps_it(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from icc.core.models import AuditEntry, AuditKind

    item = actions.add_item(
        item=Item(programme=cast.programme, kind=Kind.CASE_MATERIAL, form=Form.FILE, title="Case"),
        themes=[],
        event_types=[],
        upload=_pdf_upload(),
        by=cast.person("rep_a"),
    )
    stored = item.versions.get().document
    edit = reverse("library:edit", kwargs={"pk": item.pk})
    form = {"title": "Case of the tram line", "language": "fr", "audience": Audience.PROGRAMME}
    assert cast.client_for("rep_b").post(edit, form).status_code == 403
    assert cast.client_for("rep_a").post(edit, {**form, "title": ""}).status_code == 400
    assert cast.client_for("rep_a").post(edit, form).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.language, item.kind, item.form) == (
        "Case of the tram line",
        "fr",
        Kind.CASE_MATERIAL,
        Form.FILE,
    )
    remove = reverse("library:remove", kwargs={"pk": item.pk})
    assert cast.client_for("rep_b").post(remove).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert cast.client_for("rep_a").post(remove).status_code == 302
    assert not Item.objects.exists() and not Version.objects.exists()
    trace = AuditEntry.objects.get(action=AuditKind.LIBRARY_ITEM_REMOVED)
    assert trace.actor == cast.person("rep_a") and trace.changes["title"] == "Case of the tram line"
    assert not stored.storage.exists(stored.name)  # the file is gone with it
