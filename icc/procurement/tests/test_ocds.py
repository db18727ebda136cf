"""A plan exported as an OCDS release package: valid against the copied OCDS 1.1 schema,
offline; a plan that lacks what OCDS requires is refused with its reasons."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from conftest import Cast
from icc.procurement import exporting, ocds, schema
from icc.procurement.demo import record_demo_procurement
from icc.procurement.models import Phase, PhaseKind, Plan
from icc.procurement.tests.helpers import make_plan

pytestmark = pytest.mark.django_db

PREFIX = "ocds-xlocal"


def test_the_copied_schemas_are_the_ocds_1_1_5_files_named_in_the_readme() -> None:
    readme = (schema.SCHEMAS / "README.md").read_text()
    for name in ("release-schema.json", "release-package-schema.json"):
        digest = hashlib.sha256((schema.SCHEMAS / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}" in readme
    assert "af0d0d41c64be26d8bbd57dcca8b474937e5851c" in readme
    assert "Apache License" in (schema.SCHEMAS / "LICENSE").read_text()
    package = json.loads((schema.SCHEMAS / "release-package-schema.json").read_text())
    assert package["properties"]["releases"]["items"]["$ref"] == schema.RELEASE_SCHEMA


def test_validation_fetches_nothing_and_refuses_unknown_references() -> None:
    with pytest.raises(LookupError) as refused:
        schema.registry().get_or_retrieve("https://example.org/other-schema.json")
    assert "not one of the copies" in str(refused.value.__cause__)


def test_the_demo_plan_exports_a_package_that_validates_against_the_ocds_schema(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    outcome = exporting.export(plan)
    assert outcome.ok, (outcome.reasons, outcome.problems)
    package = outcome.package
    assert package is not None
    assert schema.problems(package) == []
    release = package["releases"][0]
    assert release["ocid"] == f"{PREFIX}-icc-plan-{plan.pk}"
    assert release["tag"] == ["planning", "tender", "award", "contract"]
    assert release["tender"]["title"] == "Air sensors for 20 school streets"
    assert release["planning"]["budget"]["amount"] == {"amount": 28_000, "currency": "EUR"}
    assert release["tender"]["value"] == {"amount": 25_000, "currency": "EUR"}
    assert [c["awardID"] for c in release["contracts"]] == [a["id"] for a in release["awards"]]
    assert release["buyer"]["name"] == cast.city_a.name


def test_the_export_refuses_a_plan_without_prefix_tender_title_or_dates(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = ""
    plan = make_plan(cast, complete=True)
    Plan.objects.filter(pk=plan.pk).update(tender_title="")
    Phase.objects.filter(plan=plan, kind="contract").update(starts_on=None, ends_on=None)
    plan.refresh_from_db()
    outcome = exporting.export(plan)
    assert not outcome.ok
    assert {r.code for r in outcome.reasons} == {"no_prefix", "no_tender_title", "phase_without_dates"}
    response = cast.client_for("rep_a").get(reverse("procurement:export", kwargs={"pk": plan.pk}))
    assert response.status_code == 409
    page = response.content.decode()
    assert "The programme office has not set up the Open Contracting prefix of its releases yet." in page
    assert "no tender title" in page
    assert "has no start or no end date" in page
    assert response["Content-Type"].startswith("text/html")


def test_a_prefix_that_is_not_an_ocds_prefix_is_refused(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = "my-city"
    outcome = exporting.export(make_plan(cast, complete=True))
    assert [r.code for r in outcome.reasons] == ["bad_prefix"]


def test_the_export_downloads_the_json_package(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    response = cast.client_for("thematic_expert").get(reverse("procurement:export", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert schema.problems(document) == []
    assert document["releases"][0]["planning"]["documents"][0]["documentType"] == "marketStudies"


def test_the_schema_check_catches_what_ocds_forbids(cast: Cast, settings: Any) -> None:
    """The final check really validates: a broken package is refused, field by field."""
    settings.OCDS_OCID_PREFIX = PREFIX
    outcome = exporting.export(make_plan(cast, complete=True))
    assert outcome.package is not None
    broken = copy.deepcopy(outcome.package)
    release = broken["releases"][0]
    del release["initiationType"]
    release["tag"] = ["planning", "wished"]
    release["tender"]["value"]["currency"] = "EURO"
    release["date"] = "1 December 2026"
    del broken["publisher"]
    paths = {p.path for p in schema.problems(broken)}
    assert {"", "/releases/0", "/releases/0/tag/1", "/releases/0/tender/value/currency", "/releases/0/date"} <= paths


def test_a_schema_refusal_stops_the_export(cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the plan holds, what fails the schema is never given out."""
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    Plan.objects.filter(pk=plan.pk).update(category="software")  # past the form's choices
    plan.refresh_from_db()
    outcome = exporting.export(plan)
    assert not outcome.ok and outcome.package is None
    assert any(p.path == "/releases/0/tender/mainProcurementCategory" for p in outcome.problems)
    response = cast.client_for("rep_a").get(reverse("procurement:export", kwargs={"pk": plan.pk}))
    assert response.status_code == 409
    assert "mainProcurementCategory" in response.content.decode()


def test_the_demo_plans_record_and_the_complete_one_validates(cast: Cast, settings: Any) -> None:
    from icc.cities.demo import PERSONA_EMAILS
    from icc.cities.models import RoleKind
    from icc.roadmaps.models import Action, Opportunity
    from tests.factories import PersonFactory, give_role

    settings.OCDS_OCID_PREFIX = PREFIX
    rep = PersonFactory.create(email=PERSONA_EMAILS["city_rep"])
    give_role(rep, RoleKind.CITY_REP, cast.programme, city=cast.city_a)
    opportunity = Opportunity.objects.create(city=cast.city_a, title="Cleaner air", need="NO2 near schools")
    for title in ("Air sensors at 20 schools", "Install smart meters in schools"):
        Action.objects.create(
            city=cast.city_a,
            opportunity=opportunity,
            title=title,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        )
    assert record_demo_procurement(cast.programme) == 2
    assert record_demo_procurement(cast.programme) == 0
    sensors = Plan.objects.get(title="Low-cost air quality sensors for school streets")
    outcome = exporting.export(sensors)
    assert outcome.ok and outcome.package is not None
    assert schema.problems(outcome.package) == []
    assert sum((p.budget or Decimal(0) for p in sensors.phases.all()), Decimal(0)) == Decimal(790_000)
    meters = Plan.objects.get(title="Smart meters for the city's 30 schools")
    assert {r.code for r in exporting.export(meters).reasons} == {
        "no_tender_title",
        "phase_without_dates",
        "no_tender_phase",
    }


def test_the_missing_prefix_is_worded_for_people_and_its_setting_shown_to_the_programme_team(
    cast: Cast, settings: Any
) -> None:
    settings.OCDS_OCID_PREFIX = ""
    plan = make_plan(cast, complete=True)
    for name in ("procurement:plan", "procurement:export"):
        url = reverse(name, kwargs={"pk": plan.pk})
        rep = cast.client_for("rep_a").get(url).content.decode()
        assert "The programme office has not set up the Open Contracting prefix of its releases yet." in rep
        assert "OCDS_OCID_PREFIX" not in rep and "environment variable" not in rep
        team = cast.client_for("organiser").get(url).content.decode()
        assert "The programme office has not set up the Open Contracting prefix" in team
        assert "Set the environment variable ICC_OCDS_OCID_PREFIX" in team
    settings.OCDS_OCID_PREFIX = "my-city"
    url = reverse("procurement:plan", kwargs={"pk": plan.pk})
    rep = cast.client_for("rep_a").get(url).content.decode()
    assert "is not a valid one yet" in rep and "my-city" not in rep and "ICC_OCDS_OCID_PREFIX" not in rep
    team = cast.client_for("organiser").get(url).content.decode()
    assert "ICC_OCDS_OCID_PREFIX holds “my-city”" in team


def test_schema_problems_are_worded_for_people_and_the_validator_message_kept_for_the_programme_team(
    cast: Cast, settings: Any
) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    Plan.objects.filter(pk=plan.pk).update(category="software")
    url = reverse("procurement:plan", kwargs={"pk": plan.pk})
    rep = cast.client_for("rep_a").get(url).content.decode()
    assert (
        "The OCDS schema refuses /releases/0/tender/mainProcurementCategory: "
        "the value is not one of those OCDS allows (goods, works, services)." in rep
    )
    assert "is not one of [" not in rep and "<details>" not in rep
    team = cast.client_for("organiser").get(url).content.decode()
    assert "the value is not one of those OCDS allows" in team
    assert "<details>" in team and "is not one of [" in team


def test_schema_problems_carry_the_keyword_and_what_it_names() -> None:
    document = {"uri": "not a uri", "version": "1.1", "releases": []}
    problems = schema.problems(document)
    assert [p.path for p in problems].count("") == 1  # one problem names both missing properties
    found = {p.path: p for p in problems}
    assert (found[""].code, set(found[""].names)) == ("required", {"publishedDate", "publisher"})
    assert (found["/uri"].code, found["/uri"].names) == ("format", ("uri",))
    assert exporting.problem_text(found["/uri"]) == "the value is not a web address."
    assert exporting.problem_text(found[""]).startswith("something OCDS requires is missing (publi")


def _dated(plan: Plan, days: dict[str, tuple[dt.date, dt.date]]) -> None:
    for kind, (starts, ends) in days.items():
        Phase.objects.update_or_create(
            plan=plan, kind=kind, defaults={"starts_on": starts, "ends_on": ends, "budget": Decimal(1_000)}
        )
    plan.refresh_from_db()


def test_the_contract_period_runs_from_the_earliest_start_to_the_latest_end(cast: Cast) -> None:
    plan = make_plan(cast, complete=True)
    Plan.objects.filter(pk=plan.pk).update(route="pcp")
    Phase.objects.filter(plan=plan, kind="contract").delete()
    _dated(
        plan,
        {
            "design": (dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
            "prototype": (dt.date(2026, 5, 1), dt.date(2026, 6, 30)),
            "test": (dt.date(2026, 2, 1), dt.date(2026, 4, 30)),
        },
    )
    release = ocds.release(exporting.facts(plan), PREFIX)
    period = release["tender"]["contractPeriod"]
    assert period["startDate"].startswith("2026-02-01") and period["endDate"].startswith("2026-11-30")
    assert period["startDate"] < period["endDate"]


@pytest.mark.parametrize(
    ("route", "days", "late", "early"),
    [
        # A PPI contract that starts before its call for tenders ends.
        ("ppi", {"contract": (dt.date(2026, 4, 1), dt.date(2027, 3, 31))}, "contract", "tender"),
        # PCP solution design after prototyping.
        (
            "pcp",
            {
                "design": (dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
                "prototype": (dt.date(2026, 5, 1), dt.date(2026, 6, 30)),
                "test": (dt.date(2026, 12, 1), dt.date(2027, 4, 30)),
            },
            "prototype",
            "design",
        ),
    ],
)
def test_phases_out_of_the_order_of_their_route_block_the_export(
    cast: Cast, settings: Any, route: str, days: dict[str, tuple[dt.date, dt.date]], late: str, early: str
) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)  # the tender runs from 2 March to 30 April 2026
    Plan.objects.filter(pk=plan.pk).update(route=route)
    if route == "pcp":
        Phase.objects.filter(plan=plan, kind="contract").delete()
    _dated(plan, days)
    outcome = exporting.export(plan)
    assert not outcome.ok
    assert [(r.code, r.params) for r in outcome.reasons] == [("phases_out_of_order", {"phase": late, "before": early})]
    page = cast.client_for("rep_a").get(plan.get_absolute_url()).content.decode()
    late_label, early_label = PhaseKind(late).label, PhaseKind(early).label
    assert f"The phase “{late_label}” starts before the phase “{early_label}” ends" in page
    assert cast.client_for("rep_a").get(reverse("procurement:export", kwargs={"pk": plan.pk})).status_code == 409


def test_a_phase_starting_the_day_the_one_before_ends_is_in_order(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    _dated(plan, {"contract": (dt.date(2026, 4, 30), dt.date(2027, 3, 31))})
    assert exporting.export(plan).ok


def test_phase_notes_are_not_exported(cast: Cast, settings: Any) -> None:
    settings.OCDS_OCID_PREFIX = PREFIX
    plan = make_plan(cast, complete=True)
    Phase.objects.filter(plan=plan).update(notes="Internal: the second bidder is the mayor's cousin")
    plan.refresh_from_db()
    outcome = exporting.export(plan)
    assert outcome.package is not None
    assert "mayor" not in exporting.dumps(outcome.package)
    release = outcome.package["releases"][0]
    assert release["planning"]["milestones"][0]["description"] == "Needs and market consultation"
    assert release["contracts"][0]["description"] == "Contract and deployment (PPI): Street-level air sensors"


def test_a_city_that_left_the_group_is_no_buyer_in_the_export(cast: Cast, settings: Any) -> None:
    from icc.procurement import actions
    from icc.procurement.tests.helpers import make_group

    settings.OCDS_OCID_PREFIX = PREFIX
    group = make_group(cast)
    rep = cast.person("rep_a")
    joint = actions.create_plan(
        plan=Plan(group=group, title="Together", need="Bills.", route="ppi", tender_title="Street lights"),
        cities=[cast.city_b],
        by=rep,
    )
    actions.save_phase(
        phase=Phase(
            plan=joint,
            kind="tender",
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 4, 1),
            budget=Decimal(1_000),
        ),
        by=rep,
    )
    joint.refresh_from_db()

    def buyers() -> list[str]:
        outcome = exporting.export(joint)
        assert outcome.package is not None, (outcome.reasons, outcome.problems)
        return [p["name"] for p in outcome.package["releases"][0]["parties"] if "buyer" in p["roles"]]

    assert buyers() == ["Alphaville", "Betatown"]
    group.members.remove(cast.city_b)
    assert buyers() == ["Alphaville"]
    # An action's plan that still holds another city from before exports its own city alone.
    plan = make_plan(cast, complete=True)
    plan.cities.add(cast.city_b)
    outcome = exporting.export(plan)
    assert outcome.package is not None
    assert [p["name"] for p in outcome.package["releases"][0]["parties"]] == ["Alphaville"]
