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
from icc.procurement import exporting, schema
from icc.procurement.demo import record_demo_procurement
from icc.procurement.models import Phase, Plan
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
    assert "No OCDS ocid prefix is configured" in page
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
