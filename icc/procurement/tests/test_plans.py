"""Procurement plans through the pages: who writes which plan, bad input refused with a
clear message and nothing saved, documents through the uploads gate, lists in a flat
number of queries."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast
from icc.core.models import AuditEntry
from icc.procurement.models import Document, Phase, Plan
from icc.procurement.tests.helpers import make_action, make_group, make_plan, pdf
from icc.roadmaps.models import Action, Opportunity

pytestmark = pytest.mark.django_db


def _plan_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Air sensors",
        "need": "NO2 near schools.",
        "route": "pcp",
        "category": "services",
        "tender_title": "",
        "tender_description": "",
        "suppliers": "",
    }
    data.update(changes)
    return data


def test_a_city_rep_plans_the_procurement_of_an_action_and_adds_its_phases(cast: Cast) -> None:
    action = make_action(cast)
    client = cast.client_for("rep_a")
    url = reverse("procurement:plan_new", kwargs={"pk": cast.city_a.pk})
    assert client.get(url, {"action": action.pk}).context["form"].initial["action"] == action.pk
    response = client.post(url, _plan_data(action=action.pk))
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert (plan.action, plan.buyer, plan.programme) == (action, cast.city_a, cast.programme)
    assert set(plan.cities.all()) == {cast.city_a}
    phase_url = reverse("procurement:phase_new", kwargs={"pk": plan.pk})
    kinds = [k for k, _label in client.get(phase_url).context["form"].fields["kind"].choices]
    assert kinds == ["consultation", "tender", "design", "prototype", "test"]
    response = client.post(
        phase_url,
        {"kind": "design", "starts_on": "2026-03-01", "ends_on": "2026-05-31", "budget": "100000", "status": "planned"},
    )
    assert response.status_code == 302
    assert Phase.objects.get(plan=plan).budget == 100_000
    plan.refresh_from_db()
    assert plan.version == 2  # the phase is a new version of the plan
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Solution design (PCP phase 1)" in page
    assert "no tender title" in page  # the export says what it lacks, on the page itself
    assert AuditEntry.objects.filter(object_id=str(plan.pk), source="procurement").count() == 2


def test_a_plan_for_an_action_of_another_city_is_refused_and_nothing_saved(cast: Cast) -> None:
    opportunity = Opportunity.objects.create(city=cast.city_b, title="Heat", need="Cold schools")
    theirs = Action.objects.create(
        city=cast.city_b,
        opportunity=opportunity,
        title="Their action",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    client = cast.client_for("rep_a")
    response = client.post(reverse("procurement:plan_new", kwargs={"pk": cast.city_a.pk}), _plan_data(action=theirs.pk))
    assert response.status_code == 400
    assert "Choose one of this city&#x27;s own roadmap actions." in response.content.decode()
    # Through city B's own address, city A's representative finds nothing.
    assert (
        client.post(
            reverse("procurement:plan_new", kwargs={"pk": cast.city_b.pk}), _plan_data(action=theirs.pk)
        ).status_code
        == 404
    )
    assert not Plan.objects.exists()


def test_a_plan_names_one_subject_exactly(cast: Cast) -> None:
    action, group = make_action(cast), make_group(cast)
    url = reverse("procurement:plan_new", kwargs={"pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    both = client.post(url, _plan_data(action=action.pk, group=group.pk))
    assert both.status_code == 400 and "not both" in both.content.decode()
    neither = client.post(url, _plan_data())
    assert (
        neither.status_code == 400
        and "Choose the roadmap action or the joint-procurement group" in neither.content.decode()
    )
    assert not Plan.objects.exists()


def test_a_group_plan_is_written_by_the_group_cities_and_takes_only_its_members(cast: Cast) -> None:
    group = make_group(cast)
    url = reverse("procurement:plan_new", kwargs={"pk": cast.city_b.pk})
    client = cast.client_for("rep_b")
    refused = client.post(url, _plan_data(group=group.pk, cities=[cast.city_b.pk, cast.mentor_city.pk]))
    assert refused.status_code == 400
    assert "Not a city of this group: Mentorburg." in refused.content.decode()
    assert not Plan.objects.exists()
    assert client.post(url, _plan_data(group=group.pk, cities=[cast.city_b.pk])).status_code == 302
    plan = Plan.objects.get()
    assert plan.buyer == cast.city_a  # the challenge's city leads
    assert set(plan.cities.all()) == {cast.city_a, cast.city_b}
    edit = reverse("procurement:plan_edit", kwargs={"pk": plan.pk})
    for persona, status in [("rep_a", 200), ("rep_b", 200), ("mayor_a", 403), ("mentor", 404), ("stakeholder", 404)]:
        assert cast.client_for(persona).get(edit).status_code == status, persona


def test_a_phase_ending_before_it_starts_or_a_negative_budget_is_refused(cast: Cast) -> None:
    plan = make_plan(cast)
    url = reverse("procurement:phase_new", kwargs={"pk": plan.pk})
    client = cast.client_for("rep_a")
    backwards = client.post(
        url, {"kind": "tender", "starts_on": "2026-05-01", "ends_on": "2026-04-01", "budget": "10", "status": "planned"}
    )
    assert backwards.status_code == 400
    assert "The phase ends before it starts" in backwards.content.decode()
    negative = client.post(
        url, {"kind": "tender", "starts_on": "2026-04-01", "ends_on": "2026-05-01", "budget": "-5", "status": "planned"}
    )
    assert negative.status_code == 400
    assert "-5 is outside the range 0 to 999,999,999,999.99" in negative.content.decode()
    huge = client.post(url, {"kind": "tender", "budget": "1e30", "status": "planned"})
    assert huge.status_code == 400
    wrong_route = client.post(url, {"kind": "design", "status": "planned"})  # a PCP phase on a PPI plan
    assert wrong_route.status_code == 400 and "Select a valid choice" in wrong_route.content.decode()
    assert not Phase.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 1


def test_over_long_text_is_refused_and_nothing_saved(cast: Cast) -> None:
    plan = make_plan(cast)
    client = cast.client_for("rep_a")
    response = client.post(
        reverse("procurement:plan_edit", kwargs={"pk": plan.pk}),
        _plan_data(route="ppi", need="x" * 6_000, version=plan.version),
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.content.decode()
    plan.refresh_from_db()
    assert plan.need.startswith("Nitrogen")


def test_changing_route_with_phases_of_the_old_route_is_refused(cast: Cast) -> None:
    plan = make_plan(cast, complete=True)
    response = cast.client_for("rep_a").post(
        reverse("procurement:plan_edit", kwargs={"pk": plan.pk}),
        _plan_data(route="pcp", tender_title="x", version=plan.version),
    )
    assert response.status_code == 400
    assert "remove them before changing route" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).route == "ppi"


def test_a_stale_edit_of_a_plan_is_refused(cast: Cast) -> None:
    plan = make_plan(cast)
    url = reverse("procurement:plan_edit", kwargs={"pk": plan.pk})
    first, second = cast.client_for("rep_a"), cast.client_for("lead_expert")
    opened = plan.version
    assert second.post(url, _plan_data(route="ppi", title="Second edit", version=opened)).status_code == 302
    response = first.post(url, _plan_data(route="ppi", title="First edit", version=opened))
    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).title == "Second edit"


def _docx_with_macros() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
            '.wordprocessingml.document.main+xml"/><Override PartName="/word/vbaProject.bin" '
            'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notice.pdf", b"<html><script>alert(1)</script></html>", "is not a .pdf document"),
        ("notice.exe", b"MZ\x90\x00", "Upload a document of one of these types"),
        ("notice.docx", b"%PDF-1.4 not a zip", "is not a .docx document"),
    ],
)
def test_a_disguised_document_is_refused_and_nothing_stored(
    cast: Cast, media_root: Any, name: str, content: bytes, message: str
) -> None:
    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="tender")
    response = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {"kind": "tenderNotice", "title": "Notice", "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.filter(phase=phase).exists()
    assert not (media_root / "procurement").exists() or len(list((media_root / "procurement").iterdir())) == 1


def test_a_document_with_macros_is_refused(cast: Cast) -> None:
    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="tender")
    response = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {
            "kind": "technicalSpecifications",
            "title": "Specs",
            "upload": SimpleUploadedFile("specs.docx", _docx_with_macros()),
        },
    )
    assert response.status_code == 400
    assert "macros or other active content" in response.content.decode()
    assert not Document.objects.filter(phase=phase).exists()


def test_a_document_is_stored_and_downloaded_by_the_city_viewers_only(cast: Cast, settings: Any) -> None:
    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="tender")
    response = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {"kind": "tenderNotice", "title": "Contract notice", "upload": pdf("notice.pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get(phase=phase)
    assert document.content_type == "application/pdf" and "notice" not in document.file.name
    url = reverse("procurement:document", kwargs={"pk": document.pk})
    download = cast.client_for("mayor_a").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert cast.client_for("rep_b").get(url).status_code == 404
    settings.ICC_MAX_DOCUMENT_BYTES = 100
    too_big = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {"kind": "tenderNotice", "title": "Big", "upload": pdf("big.pdf")},
    )
    assert too_big.status_code == 400 and "the limit is" in too_big.content.decode()


def test_removing_a_phase_removes_its_documents(cast: Cast) -> None:
    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="consultation")
    assert (
        cast.client_for("mayor_a").post(reverse("procurement:phase_remove", kwargs={"pk": phase.pk})).status_code == 403
    )
    response = cast.client_for("rep_a").post(reverse("procurement:phase_remove", kwargs={"pk": phase.pk}))
    assert response.status_code == 302
    assert not Phase.objects.filter(pk=phase.pk).exists() and not Document.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", str(2**70), ""])
def test_crafted_subject_ids_get_a_message_not_a_500(cast: Cast, value: str) -> None:
    url = reverse("procurement:plan_new", kwargs={"pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    assert client.get(url, {"action": value}).status_code == 200
    assert client.post(url, _plan_data(action=value, cities=[value])).status_code == 400


def test_the_lists_take_a_flat_number_of_queries(cast: Cast) -> None:
    group = make_group(cast)

    def fill(n: int) -> None:
        for _ in range(n):
            make_plan(cast, complete=True)
            joint = Plan(group=group, title="Together", need="Bills.", route="ppi")
            from icc.procurement import actions

            actions.create_plan(plan=joint, cities=[cast.city_a, cast.city_b], by=cast.person("rep_a"))

    urls = [
        reverse("procurement:plans", kwargs={"slug": cast.programme.slug}),
        reverse("procurement:city", kwargs={"pk": cast.city_a.pk}),
    ]

    def queries(url: str) -> int:
        client = cast.client_for("rep_a")
        client.get(url)  # warm the per-person caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    fill(2)
    few = [queries(u) for u in urls]
    fill(20)
    many = [queries(u) for u in urls]
    assert many == few
    page = cast.client_for("rep_b").get(urls[0]).content.decode()
    assert page.count("Together") == 22 and "Street-level air sensors" not in page  # rep B sees the group's only
    joint = Plan.objects.filter(group=group).first()
    assert joint is not None
    from decimal import Decimal

    from icc.procurement import actions

    actions.save_phase(phase=Phase(plan=joint, kind="tender", budget=Decimal(7_000)), by=cast.person("rep_a"))
    # Seen through both of its cities, the group's plan is counted once, its budget too.
    team_page = cast.client_for("organiser").get(urls[0]).content.decode()
    assert team_page.count("Together") == 22 and "€7,000" in team_page and "€14,000" not in team_page


def test_the_admin_pages_open_and_an_admin_save_counts_as_a_version(cast: Cast) -> None:
    from icc.accounts.models import Person
    from tests.test_stale_edits import form_data

    plan = make_plan(cast, complete=True)
    staff = Person.objects.create_superuser(email="admin@example.org", password="a-long-password-1")
    from django.test import Client

    admin = Client()
    admin.force_login(staff)
    for name in ("admin:procurement_plan_changelist", "admin:procurement_document_changelist"):
        assert admin.get(reverse(name)).status_code == 200
    change = reverse("admin:procurement_plan_change", args=[plan.pk])
    page = admin.get(change)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form, title="From the admin site")
    assert admin.post(change, data).status_code == 302
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.title, saved.version) == ("From the admin site", plan.version + 1)


def test_an_action_plan_takes_its_own_city_only(cast: Cast) -> None:
    """A roadmap action's plan names no other city as a buyer: the form offers none, the action refuses one."""
    from django.core.exceptions import ValidationError

    from icc.procurement import actions

    action = make_action(cast)
    client = cast.client_for("rep_a")
    url = reverse("procurement:plan_new", kwargs={"pk": cast.city_a.pk})
    assert "cities" not in client.get(url).context["form"].fields  # in no group: no city to choose
    make_group(cast)  # now in a group, the new-plan form offers the group's cities, and only them
    offered = client.get(url).content.decode()
    assert 'name="cities"' in offered and "Betatown" in offered and "Mentorburg" not in offered
    refused = client.post(url, _plan_data(action=action.pk, cities=[cast.city_a.pk, cast.city_b.pk]))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "A roadmap action&#x27;s plan is its own city&#x27;s alone: Betatown cannot take part." in page
    assert "Not a city of this group" not in page
    assert not Plan.objects.exists()
    with pytest.raises(ValidationError) as error:
        actions.create_plan(
            plan=Plan(action=action, title="x", need="y", route="ppi"),
            cities=[cast.mentor_city],
            by=cast.person("rep_a"),
        )
    assert "Mentorburg cannot take part" in str(error.value)
    assert not Plan.objects.exists()
    plan = make_plan(cast, action=action)
    edit = reverse("procurement:plan_edit", kwargs={"pk": plan.pk})
    assert "cities" not in client.get(edit).context["form"].fields
    with pytest.raises(ValidationError):
        actions.change_plan(plan=plan, cities=[cast.city_b], expected=plan.version, by=cast.person("rep_a"))
    # A crafted field is not read: the plan stays its city's.
    saved = client.post(edit, _plan_data(route="ppi", cities=[cast.city_b.pk], version=plan.version))
    assert saved.status_code == 302
    assert set(Plan.objects.get(pk=plan.pk).cities.all()) == {cast.city_a}


def test_a_city_no_longer_in_the_group_or_the_action_does_not_take_part(cast: Cast) -> None:
    from icc.procurement import actions

    group = make_group(cast)
    joint = actions.create_plan(
        plan=Plan(group=group, title="Together", need="Bills.", route="ppi"),
        cities=[cast.city_b],
        by=cast.person("rep_a"),
    )
    page = reverse("procurement:plan", kwargs={"pk": joint.pk})
    assert cast.client_for("organiser").get(page).context["cities"] == [cast.city_a, cast.city_b]
    group.members.remove(cast.city_b)
    assert cast.client_for("organiser").get(page).context["cities"] == [cast.city_a]
    listed = cast.client_for("organiser").get(reverse("procurement:city", kwargs={"pk": cast.city_a.pk}))
    assert "Betatown" not in listed.content.decode()
    # Editing it now offers, and takes, the group's members only.
    edit = cast.client_for("rep_a").get(reverse("procurement:plan_edit", kwargs={"pk": joint.pk}))
    assert list(edit.context["form"].fields["cities"].queryset) == [cast.city_a]
    # An action's plan that still holds another city from before is shown as its city's alone.
    plan = make_plan(cast)
    plan.cities.add(cast.city_b)
    assert cast.client_for("rep_a").get(plan.get_absolute_url()).context["cities"] == [cast.city_a]


@pytest.mark.parametrize("name", ["a" * 250 + ".pdf", "a" * 195 + ".docx.pdf"])
def test_a_document_name_over_200_characters_is_refused_and_nothing_stored(
    cast: Cast, media_root: Any, name: str
) -> None:
    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="tender")
    stored = set((media_root / "procurement").iterdir())
    response = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {"kind": "tenderNotice", "title": "Notice", "upload": pdf(name)},
    )
    assert response.status_code == 400
    assert f"The file&#x27;s name is {len(name)} characters long; the limit is 200." in response.content.decode()
    assert not Document.objects.filter(phase=phase).exists()
    assert set((media_root / "procurement").iterdir()) == stored
    fits = cast.client_for("rep_a").post(
        reverse("procurement:document_add", kwargs={"pk": phase.pk}),
        {"kind": "tenderNotice", "title": "Notice", "upload": pdf("a" * 196 + ".pdf")},
    )
    assert fits.status_code == 302
    assert Document.objects.get(phase=phase).original_name == "a" * 196 + ".pdf"


def test_a_long_document_name_keeps_the_extension_that_was_checked(cast: Cast, media_root: Any) -> None:
    """Past the form, the name loses the end of its stem, never its extension: a PDF stays a PDF."""
    from icc.procurement import actions

    plan = make_plan(cast, complete=True)
    phase = plan.phases.get(kind="tender")
    rep = cast.person("rep_a")
    long = actions.add_document(phase=phase, kind="tenderNotice", title="Long", upload=pdf("a" * 250 + ".pdf"), by=rep)
    assert (long.original_name, long.content_type) == ("a" * 196 + ".pdf", "application/pdf")
    double = actions.add_document(
        phase=phase, kind="tenderNotice", title="Double", upload=pdf("a" * 195 + ".docx.pdf"), by=rep
    )
    assert double.original_name == "a" * 195 + ".pdf"
    assert double.content_type == "application/pdf"
    download = cast.client_for("rep_a").get(reverse("procurement:document", kwargs={"pk": double.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].endswith('.pdf"')
