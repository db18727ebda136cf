"""The roadmap: actions with their KPIs and solutions, its views and exports, what a stakeholder sees."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from icc.assessments.models import MaturityRating
from icc.cities.models import RoleKind
from icc.core.models import AuditEntry, AuditKind
from icc.roadmaps.models import (
    KPI,
    Action,
    BudgetSignOff,
    CyclePlan,
    Measurement,
)
from icc.roadmaps.tests.form_data import action_data, errors
from tests.factories import CityFactory, OrganisationFactory, PersonFactory, give_role, make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC)


class TestActions:
    def url(self, roadmap: Any) -> str:
        return reverse("roadmaps:action_new", kwargs={"city_pk": roadmap.cast.city_a.pk})

    def test_an_action_is_added_with_its_kpis_and_solutions(self, roadmap: Any) -> None:
        response = roadmap.cast.client_for("rep_a").post(self.url(roadmap), action_data(roadmap))
        assert response.status_code == 302, errors(response)
        action = Action.objects.get(title="Smart meters in schools")
        assert list(action.kpis.all()) == [roadmap.kpi]
        assert list(action.solutions.all()) == [roadmap.solution]
        assert action.budget == Decimal(15000)
        assert AuditEntry.objects.filter(action=AuditKind.ACTION_ADDED, object_id=str(action.pk)).exists()

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"budget": "-5"}, "An amount cannot be negative"),
            ({"spent": "-1"}, "An amount cannot be negative"),
            ({"owner_person": "OTHER_CITY_PERSON"}, "Choose an owner among the people of Alphaville"),
            ({"owner_person": "", "owner_organisation": "OTHER_CITY_ORG"}, "Choose an organisation of the ecosystem"),
            ({"owner_person": ""}, "Name an owner"),
            ({"owner_organisation": "OWN_ORG"}, "one owner"),
            ({"cycle": "999999"}, "Choose one of the programme&#x27;s cycles"),
            ({"cycle": "OTHER_PROGRAMME_CYCLE"}, "Choose one of the programme&#x27;s cycles"),
            ({"cycle": "CYCLE_3"}, "the action&#x27;s dates do not fall in it"),
            ({"ends_on": "2020-01-01"}, "The end comes before the start"),
            ({"kind": "accelerated"}, "must tick the three boxes"),
            ({"kpis": ["999999"]}, "not one of this city"),
            ({"starts_on": "not a date"}, "Enter a valid date"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, roadmap: Any, changes: dict[str, Any], message: str) -> None:
        cast = roadmap.cast
        other = PersonFactory.create()
        give_role(other, RoleKind.CITY_REP, cast.programme, city=cast.city_b)
        replacements = {
            "OTHER_CITY_PERSON": other.pk,
            "OTHER_CITY_ORG": OrganisationFactory.create(city=cast.city_b).pk,
            "OWN_ORG": cast.organisation_a.pk,
            "OTHER_PROGRAMME_CYCLE": make_programme(slug="other").cycles.first().pk,  # type: ignore[union-attr]
            "CYCLE_3": cast.programme.cycles.get(number=3).pk,
        }
        changes = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in changes.items()}
        before = Action.objects.count()
        response = cast.client_for("rep_a").post(self.url(roadmap), action_data(roadmap, **changes))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Action.objects.count() == before

    def test_a_dependency_loop_is_refused(self, roadmap: Any) -> None:
        roadmap.draft.depends_on.add(roadmap.owned)
        url = reverse("roadmaps:action_edit", kwargs={"pk": roadmap.owned.pk})
        data = action_data(
            roadmap,
            title=roadmap.owned.title,
            version=roadmap.owned.version,
            owner_person="",
            owner_organisation=roadmap.cast.organisation_a.pk,
            depends_on=[roadmap.draft.pk],
        )
        response = roadmap.cast.client_for("rep_a").post(url, data)
        assert "depend on itself" in response.content.decode()
        assert not roadmap.owned.depends_on.exists()

    def test_two_people_editing_the_same_action(self, roadmap: Any) -> None:
        url = reverse("roadmaps:action_edit", kwargs={"pk": roadmap.draft.pk})
        common = {"version": 1, "title": roadmap.draft.title, "starts_on": roadmap.draft.starts_on.isoformat()}
        common["ends_on"] = roadmap.draft.ends_on.isoformat()
        first = roadmap.cast.client_for("rep_a").post(url, action_data(roadmap, **common, budget="60000"))
        assert first.status_code == 302
        second = roadmap.cast.client_for("lead_expert").post(url, action_data(roadmap, **common, budget="1"))
        assert "Someone else saved this" in second.content.decode()
        roadmap.draft.refresh_from_db()
        assert roadmap.draft.budget == Decimal(60000)

    def test_list_and_timeline_views(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("lead_expert")
        url = reverse("roadmaps:roadmap", kwargs={"pk": roadmap.cast.city_a.pk})
        listed = client.get(url).content.decode()
        assert "Audit public buildings" in listed and "Bills are too high" in listed
        timeline = client.get(url, {"view": "timeline"}).content.decode()
        assert "<svg" in timeline and "Audit public buildings" in timeline and "Cycle 1" in timeline
        filtered = client.get(url, {"status": "done"}).content.decode()
        assert "Audit public buildings" not in filtered
        bad = client.get(url, {"cycle": "nine", "status": "<script>"})
        assert bad.status_code == 200
        assert "unknown value and was ignored" in bad.content.decode()

    def test_exports(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        city = roadmap.cast.city_a.pk
        csv_text = client.get(reverse("roadmaps:roadmap_export", kwargs={"pk": city, "fmt": "csv"})).content
        lines = csv_text.decode("utf-8-sig").splitlines()
        assert lines[0].startswith('"Opportunity","Need","Action"')
        assert len(lines) == 3
        xlsx = client.get(reverse("roadmaps:roadmap_export", kwargs={"pk": city, "fmt": "xlsx"}))
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None
        titles = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert titles == {"Audit public buildings", "Secret retrofit plan"}
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("roadmaps:kpi_export", kwargs={"pk": city, "fmt": "xlsx"})).content)
        )
        assert workbook.sheetnames == ["KPIs", "Measurements"]
        assert workbook["Measurements"].max_row == 2
        kpi_csv = client.get(reverse("roadmaps:kpi_export", kwargs={"pk": city, "fmt": "csv"})).content
        assert "Energy use of public buildings" in kpi_csv.decode("utf-8-sig")
        assert client.get(reverse("roadmaps:kpi_export", kwargs={"pk": city, "fmt": "pdf"})).status_code == 404


class TestStakeholder:
    def test_sees_only_the_actions_they_own(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("stakeholder")
        mine = client.get(reverse("roadmaps:mine")).content.decode()
        assert "Audit public buildings" in mine and "Secret retrofit plan" not in mine
        page = client.get(roadmap.owned.get_absolute_url())
        assert page.status_code == 200
        # Only what concerns their action: no other action, KPI or strategy of the city.
        assert "Secret retrofit plan" not in page.content.decode()
        assert client.get(roadmap.draft.get_absolute_url()).status_code == 404
        city = roadmap.cast.city_a.pk
        for name in ("roadmaps:roadmap", "roadmaps:strategy", "roadmaps:kpis", "roadmaps:chain"):
            assert client.get(reverse(name, kwargs={"pk": city})).status_code == 404
        assert client.get(roadmap.kpi.get_absolute_url()).status_code == 404

    def test_reports_progress_on_their_action(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("stakeholder")
        url = reverse("roadmaps:action_report", kwargs={"pk": roadmap.owned.pk})
        response = client.post(url, {"status": "in-progress", "spent": "4000", "version": 1})
        assert response.status_code == 302
        roadmap.owned.refresh_from_db()
        assert (roadmap.owned.status, roadmap.owned.spent) == ("in-progress", Decimal(4000))
        assert client.post(url, {"status": "done", "spent": "-3", "version": 2}).status_code == 200
        roadmap.owned.refresh_from_db()
        assert roadmap.owned.status == "in-progress"
        # They cannot edit the action itself.
        edit = reverse("roadmaps:action_edit", kwargs={"pk": roadmap.owned.pk})
        assert client.get(edit).status_code == 403


class TestChain:
    def test_the_chain_follows_a_priority_solution_to_its_kpis(self, roadmap: Any) -> None:
        MaturityRating.objects.create(city=roadmap.cast.city_a, solution="Smart meters", level=1, target=3)
        Action.objects.filter(pk=roadmap.owned.pk).update(enablers=["data"])
        page = roadmap.cast.client_for("lead_expert").get(
            reverse("roadmaps:chain", kwargs={"pk": roadmap.cast.city_a.pk})
        )
        body = page.content.decode()
        for text in ("Smart meters", "Audit public buildings", "1 – Piloted", "Energy use of public buildings"):
            assert text in body


def test_demo_roadmaps_are_deterministic(cast: Any) -> None:
    from icc.assessments.indicators import load_indicator_library
    from icc.roadmaps.demo import record_demo_roadmaps

    load_indicator_library(programme=cast.programme)
    city = CityFactory.create(programme=cast.programme, name="Demoville", track=cast.city_a.track)
    give_role(PersonFactory.create(), RoleKind.CITY_REP, cast.programme, city=city)
    give_role(PersonFactory.create(), RoleKind.MAYOR, cast.programme, city=city)
    with time_machine.travel(TODAY):
        assert record_demo_roadmaps(programme=cast.programme) == 3
        counts = (Action.objects.count(), KPI.objects.count(), Measurement.objects.count(), CyclePlan.objects.count())
        assert record_demo_roadmaps(programme=cast.programme) == 0
    assert counts == (
        Action.objects.count(),
        KPI.objects.count(),
        Measurement.objects.count(),
        CyclePlan.objects.count(),
    )
    assert Action.objects.filter(city=city).count() == 9
    assert BudgetSignOff.objects.filter(city=city).count() == 2


@time_machine.travel(TODAY)
def test_home_lists_missing_kpi_updates_and_owned_actions(roadmap: Any) -> None:
    cast = roadmap.cast
    Measurement.objects.all().delete()
    home = cast.client_for("rep_a").get("/").content.decode()
    assert "KPI updates due" in home and "no value measured during Cycle 1" in home
    stakeholder = cast.client_for("stakeholder").get("/").content.decode()
    assert "You own 1 open roadmap action." in stakeholder
    Measurement.objects.create(
        kpi=roadmap.kpi, date=cast.programme.cycles.get(number=1).ends_on, value=Decimal(1), source="x"
    )
    assert "KPI updates due" not in cast.client_for("rep_a").get("/").content.decode()
