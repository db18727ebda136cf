"""Strategy, roadmap, KPIs and cycle planning, through the pages people use."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats
from openpyxl import load_workbook

from icc.assessments.models import Indicator, MaturityRating
from icc.core.models import AuditEntry, AuditKind
from icc.programmes.models import Cycle
from icc.roadmaps.models import (
    KPI,
    Action,
    ActionStatus,
    BudgetSignOff,
    CyclePlan,
    Measurement,
    Opportunity,
    Solution,
    Strategy,
    StrategyComment,
)
from tests.factories import CityFactory, OrganisationFactory, PersonFactory, give_role, make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC)


def _errors(response: Any) -> str:
    return response.content.decode()


def action_data(roadmap: Any, **changes: Any) -> dict[str, Any]:
    cycle = roadmap.owned.cycle
    data = {
        "version": 0,
        "opportunity": roadmap.opportunity.pk,
        "title": "Smart meters in schools",
        "description": "",
        "kind": "action",
        "detail": "detailed",
        "owner_person": roadmap.cast.people["rep_a"].pk,
        "owner_organisation": "",
        "starts_on": cycle.starts_on.isoformat(),
        "ends_on": (cycle.starts_on + dt.timedelta(days=40)).isoformat(),
        "cycle": cycle.pk,
        "budget": "15000",
        "spent": "",
        "funding_source": "eu",
        "funding_status": "applied",
        "status": "planned",
        "kpis": [roadmap.kpi.pk],
        "solutions": [roadmap.solution.pk],
        "enablers": [],
        "nature": [],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def kpi_data(**changes: Any) -> dict[str, Any]:
    data = {
        "version": 0,
        "indicator": "",
        "name": "Share of trips by bike",
        "unit": "%",
        "direction": "up",
        "baseline_value": "12",
        "baseline_date": "2026-01-01",
        "baseline_source": "Mobility survey",
        "target_value": "20",
        "target_date": "2027-12-31",
        "frequency": "quarterly",
    }
    data.update(changes)
    return data


# Strategy ------------------------------------------------------------------------------


class TestStrategy:
    def url(self, cast: Any) -> str:
        return reverse("roadmaps:strategy", kwargs={"pk": cast.city_a.pk})

    def test_each_save_keeps_a_version_and_the_lead_expert_comments(self, cast: Any) -> None:
        client = cast.client_for("rep_a")
        fields = {"vision": "Green by 2030", "short_term_goals": "", "long_term_goals": "", "ecosystem_role": ""}
        assert client.post(self.url(cast), {**fields, "version": 0}).status_code == 302
        assert client.post(self.url(cast), {**fields, "vision": "Green by 2028", "version": 1}).status_code == 302
        strategy = Strategy.objects.get(city=cast.city_a)
        assert strategy.version == 2
        assert [v.vision for v in strategy.versions.order_by("number")] == ["Green by 2030", "Green by 2028"]

        version_url = reverse("roadmaps:strategy_version", kwargs={"pk": cast.city_a.pk, "number": 2})
        page = client.get(version_url)
        assert "changed" in page.content.decode()
        assert client.post(version_url, {"body": "Looks fine"}).status_code == 403
        assert cast.client_for("lead_expert").post(version_url, {"body": "Make goal 2 measurable"}).status_code == 302
        assert StrategyComment.objects.get().body == "Make goal 2 measurable"
        assert "Make goal 2 measurable" in client.get(version_url).content.decode()

    def test_the_second_of_two_simultaneous_edits_is_told_and_nothing_is_overwritten(self, cast: Any) -> None:
        fields = {"short_term_goals": "", "long_term_goals": "", "ecosystem_role": ""}
        first, second = cast.client_for("rep_a"), cast.client_for("lead_expert")
        first.post(self.url(cast), {**fields, "vision": "Start", "version": 0})
        # Both open version 1; the first saves, then the second.
        assert first.post(self.url(cast), {**fields, "vision": "First's words", "version": 1}).status_code == 302
        response = second.post(self.url(cast), {**fields, "vision": "Second's words", "version": 1})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Someone else saved this" in body
        assert "First&#x27;s words" in body  # what is saved now
        assert "Second&#x27;s words" in body  # their own input, kept in the form
        assert Strategy.objects.get().vision == "First's words"
        assert Strategy.objects.get().versions.count() == 2
        # Having seen both, the second person may save on purpose.
        assert 'name="version" value="2"' in body
        assert second.post(self.url(cast), {**fields, "vision": "Merged", "version": 2}).status_code == 302
        assert Strategy.objects.get().vision == "Merged"

    def test_the_mayor_reads_but_does_not_edit(self, cast: Any) -> None:
        client = cast.client_for("mayor_a")
        assert client.get(self.url(cast)).status_code == 200
        assert client.post(self.url(cast), {"vision": "x", "version": 0}).status_code == 403
        assert not Strategy.objects.exists()


class TestSolutions:
    def test_the_long_list_takes_maturity_from_the_assessment(self, cast: Any) -> None:
        MaturityRating.objects.create(city=cast.city_a, solution="Smart meters", level=1, target=3)
        MaturityRating.objects.create(city=cast.city_a, solution="Open data portal", level=0, target=2)
        client = cast.client_for("rep_a")
        url = reverse("roadmaps:solutions", kwargs={"pk": cast.city_a.pk})
        assert client.post(url, {"from_assessment": "1"}).status_code == 302
        assert sorted(Solution.objects.values_list("name", flat=True)) == ["Open data portal", "Smart meters"]
        client.post(url, {"from_assessment": "1"})
        assert Solution.objects.count() == 2  # nothing added twice
        page = client.get(url).content.decode()
        assert "1 – Piloted" in page and "3 – Widely used and valued" in page

    def test_a_duplicate_name_is_refused(self, cast: Any) -> None:
        Solution.objects.create(city=cast.city_a, name="Smart meters")
        response = cast.client_for("rep_a").post(
            reverse("roadmaps:solutions", kwargs={"pk": cast.city_a.pk}), {"name": "smart METERS"}
        )
        assert "already has a solution called" in response.content.decode()
        assert Solution.objects.count() == 1


# Roadmap -------------------------------------------------------------------------------


class TestActions:
    def url(self, roadmap: Any) -> str:
        return reverse("roadmaps:action_new", kwargs={"city_pk": roadmap.cast.city_a.pk})

    def test_an_action_is_added_with_its_kpis_and_solutions(self, roadmap: Any) -> None:
        response = roadmap.cast.client_for("rep_a").post(self.url(roadmap), action_data(roadmap))
        assert response.status_code == 302, _errors(response)
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
        other = PersonFactory()
        give_role(other, "city-rep", cast.programme, city=cast.city_b)
        replacements = {
            "OTHER_CITY_PERSON": other.pk,
            "OTHER_CITY_ORG": OrganisationFactory(city=cast.city_b).pk,
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
        url = roadmap.owned.get_absolute_url()
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


# KPIs ----------------------------------------------------------------------------------


class TestKPIs:
    def url(self, cast: Any) -> str:
        return reverse("roadmaps:kpi_new", kwargs={"city_pk": cast.city_a.pk})

    def test_a_kpi_from_the_library_takes_its_name_unit_and_direction(self, cast: Any) -> None:
        from icc.assessments.indicators import load_indicator_library

        load_indicator_library(programme=cast.programme)
        indicator = Indicator.objects.filter(direction="down").first()
        assert indicator is not None
        data = kpi_data(indicator=indicator.pk, name="", unit="", direction="", baseline_value="50", target_value="40")
        response = cast.client_for("rep_a").post(self.url(cast), data)
        assert response.status_code == 302, _errors(response)
        kpi = KPI.objects.get()
        assert (kpi.name, kpi.unit, kpi.direction) == (indicator.name, indicator.unit, "down")

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"target_value": "10"}, "Higher is better for this KPI, so the target must be above the baseline (12)"),
            ({"direction": "down"}, "Lower is better for this KPI, so the target must be below the baseline"),
            ({"target_date": "2025-06-01"}, "The target date must come after the baseline date"),
            ({"unit": ""}, "Give this, or choose an indicator"),
            ({"indicator": "999999"}, "Choose an indicator of the programme"),
            ({"baseline_value": "lots"}, "Enter a number"),
        ],
    )
    def test_bad_input_is_refused(self, cast: Any, changes: dict[str, Any], message: str) -> None:
        response = cast.client_for("rep_a").post(self.url(cast), kpi_data(**changes))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not KPI.objects.exists()

    @time_machine.travel(TODAY)
    def test_measurements_are_a_time_series_with_source_and_author(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        url = roadmap.kpi.get_absolute_url()
        assert client.post(url, {"date": "2026-10-01", "value": "900", "source": "Meters"}).status_code == 302
        latest = Measurement.objects.filter(kpi=roadmap.kpi).latest("date")
        assert latest.entered_by == roadmap.cast.people["rep_a"]
        page = client.get(url).content.decode()
        assert "<svg" in page and "Target 800" in page
        assert "Audit public buildings" in page and "Bills are too high" in page  # traceability

    @time_machine.travel(TODAY)
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"date": "2026-01-01", "value": "1", "source": "x"}, "a measurement must come after it"),
            ({"date": "2027-01-01", "value": "1", "source": "x"}, "This date is in the future"),
            ({"date": "MEASURED", "value": "1", "source": "x"}, "There is already a value for"),
            ({"date": "2026-10-01", "value": "", "source": "x"}, "This field is required"),
        ],
    )
    def test_bad_measurements_are_refused(self, roadmap: Any, data: dict[str, str], message: str) -> None:
        if data["date"] == "MEASURED":
            data = {**data, "date": roadmap.kpi.measurements.get().date.isoformat()}
        before = Measurement.objects.count()
        response = roadmap.cast.client_for("rep_a").post(roadmap.kpi.get_absolute_url(), data)
        assert message in response.content.decode()
        assert Measurement.objects.count() == before

    def test_the_baseline_cannot_move_after_a_measurement(self, roadmap: Any) -> None:
        kpi = roadmap.kpi
        data = kpi_data(
            name=kpi.name, unit="MWh", direction="down", baseline_value="1000", target_value="800", version=1
        )
        data["baseline_date"] = (kpi.measurements.get().date + dt.timedelta(days=1)).isoformat()
        response = roadmap.cast.client_for("rep_a").post(reverse("roadmaps:kpi_edit", kwargs={"pk": kpi.pk}), data)
        assert "the baseline cannot come after it" in response.content.decode()

    def test_two_people_editing_the_same_kpi(self, roadmap: Any) -> None:
        kpi = roadmap.kpi
        url = reverse("roadmaps:kpi_edit", kwargs={"pk": kpi.pk})
        base = kpi_data(name=kpi.name, unit="MWh", direction="down", baseline_value="1000", baseline_date="2026-03-01")
        first = roadmap.cast.client_for("rep_a").post(url, {**base, "target_value": "700", "version": 1})
        assert first.status_code == 302
        second = roadmap.cast.client_for("lead_expert").post(url, {**base, "target_value": "750", "version": 1})
        assert second.status_code == 200
        assert "Someone else saved this" in second.content.decode()
        kpi.refresh_from_db()
        assert kpi.target_value == Decimal(700)
        assert kpi.version == 2

    @time_machine.travel(TODAY)
    def test_missing_cycle_updates_show_for_the_city_and_the_programme_team(self, roadmap: Any) -> None:
        cast = roadmap.cast
        cycle_1 = cast.programme.cycles.get(number=1)
        assert cycle_1.ends_on < TODAY.date()
        Measurement.objects.filter(kpi=roadmap.kpi).delete()
        city_page = cast.client_for("rep_a").get(reverse("roadmaps:kpis", kwargs={"pk": cast.city_a.pk}))
        assert "1 KPI has no value measured during Cycle 1" in city_page.content.decode()
        overview = reverse("roadmaps:programme_kpis", kwargs={"slug": cast.programme.slug})
        team_page = cast.client_for("organiser").get(overview, {"missing": "1"}).content.decode()
        assert "Alphaville" in team_page and "Betatown" not in team_page
        assert "1 KPI update for Cycle 1 is missing" in team_page

        Measurement.objects.create(kpi=roadmap.kpi, date=cycle_1.ends_on, value=Decimal(950), source="Meters")
        city_page = cast.client_for("rep_a").get(reverse("roadmaps:kpis", kwargs={"pk": cast.city_a.pk}))
        assert "has no value measured" not in city_page.content.decode()
        assert "Alphaville" not in cast.client_for("organiser").get(overview, {"missing": "1"}).content.decode()

    @time_machine.travel(TODAY)
    def test_the_kpi_pages_say_which_dates_count_for_a_cycle(self, roadmap: Any) -> None:
        cast = roadmap.cast
        cycles = {c.number: c for c in cast.programme.cycles.all()}
        due = max(n for n, c in cycles.items() if c.ends_on < TODAY.date())
        client = cast.client_for("rep_a")
        expected = "Values measured from {} to {} count for cycle {}, whose update is due now".format(
            formats.date_format(cycles[due].starts_on, "DATE_FORMAT"),
            formats.date_format(cycles[due].ends_on, "DATE_FORMAT"),
            due,
        )

        for url in (reverse("roadmaps:kpis", kwargs={"pk": cast.city_a.pk}), roadmap.kpi.get_absolute_url()):
            page = client.get(url).content.decode()
            assert expected in page
            assert "a value dated later does not count for it" in page

    @time_machine.travel(TODAY)
    def test_a_city_reads_its_progress_in_words_and_the_team_also_sees_the_ratio(self, roadmap: Any) -> None:
        cast = roadmap.cast
        kpi = roadmap.kpi
        # The path asks for a fall from 1000 towards 800; a rise of 1 is a move the wrong way.
        Measurement.objects.filter(kpi=kpi).delete()
        Measurement.objects.create(kpi=kpi, date=TODAY.date() - dt.timedelta(days=1), value=Decimal(1001), source="x")
        url = kpi.get_absolute_url()

        for persona in ("rep_a", "mayor_a", "lead_expert"):
            page = cast.client_for(persona).get(url).content.decode()
            assert "Change achieved against change needed by now" not in page
            assert "it moved away from the target, by " in page
            assert "% of the change needed by now." in page
        team = cast.client_for("organiser").get(url).content.decode()
        assert "Change achieved against change needed by now: -0.0" in team

        Measurement.objects.filter(kpi=kpi).update(value=Decimal(900))
        page = cast.client_for("rep_a").get(url).content.decode()
        assert "% of the change needed by now has been made." in page


# Cycle planning ------------------------------------------------------------------------


class TestCyclePlanning:
    def url(self, roadmap: Any, number: int = 1) -> str:
        return reverse("roadmaps:cycle", kwargs={"pk": roadmap.cast.city_a.pk, "number": number})

    def test_a_cycle_that_does_not_exist_is_404(self, roadmap: Any) -> None:
        assert roadmap.cast.client_for("rep_a").get(self.url(roadmap, 4)).status_code == 404

    def test_the_plan_keeps_a_snapshot_to_compare_with_what_happened(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        response = client.post(self.url(roadmap), {"step": "confirm", "review": "First cycle"})
        assert response.status_code == 302
        plan = CyclePlan.objects.get()
        assert {line["title"] for line in plan.snapshot["actions"]} == {
            "Audit public buildings",
            "Secret retrofit plan",
        }
        assert plan.snapshot["kpis"][0]["value"] == "990"
        # What happened afterwards: one action done, the other moved to cycle 2.
        Action.objects.filter(pk=roadmap.owned.pk).update(status=ActionStatus.DONE, spent=Decimal(18000))
        Action.objects.filter(pk=roadmap.draft.pk).update(cycle=roadmap.cast.programme.cycles.get(number=2))
        page = client.get(self.url(roadmap, 2)).content.decode()
        assert "Review of Cycle 1" in page
        assert "moved to Cycle 2" in page
        assert "€18,000 spent" in page
        plan.refresh_from_db()
        assert len(plan.snapshot["actions"]) == 2  # the snapshot itself did not change

    def test_ranking_opportunities(self, roadmap: Any) -> None:
        other = Opportunity.objects.create(city=roadmap.cast.city_a, title="Cleaner air", need="Asthma")
        client = roadmap.cast.client_for("rep_a")
        fields = {"step": "ranks", f"rank-{roadmap.opportunity.pk}": "1", f"rank-{other.pk}": "1"}
        response = client.post(self.url(roadmap), fields)
        assert "Rank 1 is already given" in response.content.decode()
        assert client.post(self.url(roadmap), {**fields, f"rank-{roadmap.opportunity.pk}": "2"}).status_code == 302
        assert list(Opportunity.objects.values_list("title", "rank")) == [("Cleaner air", 1), ("Cut energy use", 2)]

    def reallocation(self, roadmap: Any, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"step": "reallocate"}
        for action in (roadmap.owned, roadmap.draft):
            owner = (
                f"organisation-{action.owner_organisation_id}"
                if action.owner_organisation_id
                else f"person-{action.owner_person_id}"
            )
            data.update(
                {
                    f"a{action.pk}-owner": owner,
                    f"a{action.pk}-cycle": 1,
                    f"a{action.pk}-detail": "detailed",
                    f"a{action.pk}-budget": str(action.budget),
                    f"a{action.pk}-version": action.version,
                }
            )
        data.update({f"a{roadmap.draft.pk}-{k}": v for k, v in changes.items()})
        return data

    def test_reallocating_owner_cycle_and_budget(self, roadmap: Any) -> None:
        client = roadmap.cast.client_for("rep_a")
        cycle_1, cycle_2 = Cycle.objects.filter(programme=roadmap.cast.programme).order_by("number")[:2]
        data = self.reallocation(
            roadmap, owner=f"organisation-{roadmap.cast.organisation_a.pk}", cycle=2, detail="high-level", budget="1"
        )
        assert client.post(self.url(roadmap), data).status_code == 302
        draft = Action.objects.get(pk=roadmap.draft.pk)
        assert draft.owner_organisation == roadmap.cast.organisation_a and draft.owner_person is None
        assert draft.cycle == cycle_2 and draft.detail == "high-level" and draft.budget == Decimal(1)
        assert draft.starts_on == roadmap.draft.starts_on + (cycle_2.starts_on - cycle_1.starts_on)
        assert Action.objects.get(pk=roadmap.owned.pk).version == 1  # unchanged lines are not written

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"budget": "-10"}, "An amount cannot be negative"),
            ({"cycle": "9"}, "Choose one of the programme&#x27;s cycles"),
            ({"owner": "person-OTHER"}, "Choose an owner among the people of the city"),
        ],
    )
    def test_bad_reallocation_changes_nothing(self, roadmap: Any, changes: dict[str, str], message: str) -> None:
        other = PersonFactory()
        give_role(other, "city-rep", roadmap.cast.programme, city=roadmap.cast.city_b)
        changes = {k: v.replace("OTHER", str(other.pk)) for k, v in changes.items()}
        # A valid change on another line must not be saved either.
        data = self.reallocation(roadmap, **changes)
        data[f"a{roadmap.owned.pk}-budget"] = "1"
        response = roadmap.cast.client_for("rep_a").post(self.url(roadmap), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Action.objects.get(pk=roadmap.owned.pk).budget == Decimal(20000)
        assert Action.objects.get(pk=roadmap.draft.pk).budget == Decimal(50000)

    def test_a_stale_line_is_reported_and_the_others_saved(self, roadmap: Any) -> None:
        data = self.reallocation(roadmap, budget="1")
        data[f"a{roadmap.owned.pk}-budget"] = "2"
        Action.objects.filter(pk=roadmap.draft.pk).update(version=5)  # someone else saved it meanwhile
        response = roadmap.cast.client_for("rep_a").post(self.url(roadmap), data, follow=True)
        assert "Someone else changed Secret retrofit plan" in response.content.decode()
        assert Action.objects.get(pk=roadmap.draft.pk).budget == Decimal(50000)
        assert Action.objects.get(pk=roadmap.owned.pk).budget == Decimal(2)

    def test_the_mayor_signs_off_the_cycle_budget(self, roadmap: Any) -> None:
        url = reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1})
        assert roadmap.cast.client_for("rep_a").post(url).status_code == 403
        assert roadmap.cast.client_for("mayor_a").post(url).status_code == 302
        sign_off = BudgetSignOff.objects.get()
        assert sign_off.amount == Decimal(70000)
        assert sign_off.signed_by == roadmap.cast.people["mayor_a"]
        assert len(sign_off.lines) == 2
        Action.objects.filter(pk=roadmap.draft.pk).update(budget=Decimal(60000))
        page = roadmap.cast.client_for("rep_a").get(self.url(roadmap)).content.decode()
        assert "needs a new sign-off" in page
        bad = reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 7})
        assert roadmap.cast.client_for("mayor_a").post(bad).status_code == 404

    def test_the_home_page_asks_the_mayor_to_sign_off_again_once_the_budget_changed(self, roadmap: Any) -> None:
        mayor = roadmap.cast.client_for("mayor_a")
        mayor.post(reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1}))
        cycle_url = self.url(roadmap)
        assert "needs your sign-off again" not in mayor.get(reverse("core:home")).content.decode()

        # The total stays the same, but the money moves between actions: the sign-off no longer holds.
        Action.objects.filter(pk=roadmap.draft.pk).update(budget=Decimal(40000))
        Action.objects.filter(pk=roadmap.owned.pk).update(budget=Decimal(30000))
        home = mayor.get(reverse("core:home")).content.decode()

        assert "the budget of Cycle 1 changed since you signed it off; it needs your sign-off again" in home
        assert f'href="{cycle_url}"' in home
        assert "needs a new sign-off" in mayor.get(cycle_url).content.decode()
        assert (
            "needs your sign-off again"
            not in roadmap.cast.client_for("rep_a").get(reverse("core:home")).content.decode()
        )
        mayor.post(reverse("roadmaps:sign_off", kwargs={"pk": roadmap.cast.city_a.pk, "number": 1}))
        assert "needs your sign-off again" not in mayor.get(reverse("core:home")).content.decode()


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
    city = CityFactory(programme=cast.programme, name="Demoville", track=cast.city_a.track)
    give_role(PersonFactory(), "city-rep", cast.programme, city=city)
    give_role(PersonFactory(), "mayor", cast.programme, city=city)
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


def test_two_people_writing_the_first_strategy_at_once(cast: Any) -> None:
    url = reverse("roadmaps:strategy", kwargs={"pk": cast.city_a.pk})
    fields = {"short_term_goals": "", "long_term_goals": "", "ecosystem_role": "", "version": 0}
    assert cast.client_for("rep_a").post(url, {**fields, "vision": "First"}).status_code == 302
    second = cast.client_for("lead_expert").post(url, {**fields, "vision": "Second"})
    assert second.status_code == 200
    assert "Someone else saved this" in second.content.decode()
    assert Strategy.objects.get().vision == "First"
