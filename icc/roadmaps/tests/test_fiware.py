"""The FIWARE export checked against the published KeyPerformanceIndicator schema, offline."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from icc.roadmaps import fiware, kpis
from icc.roadmaps.models import KPI, Measurement

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "smart-data-models"
COMMON_URL = "https://smart-data-models.github.io/data-models/common-schema.json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def is_date_time(instance: object) -> bool:
    """RFC 3339 date-time; jsonschema only checks it when rfc3339-validator is installed."""
    if not isinstance(instance, str):
        return True
    if not RFC3339.match(instance):
        return False
    dt.datetime.fromisoformat(instance)
    return True


def format_checker() -> FormatChecker:
    checker = FormatChecker(Draft202012Validator.FORMAT_CHECKER.checkers)
    if "date-time" not in checker.checkers:
        checker.checks("date-time", raises=ValueError)(is_date_time)
    return checker


def registry() -> Registry[Any]:
    """Only the local common schema: any other reference fails instead of going to the network."""
    return Registry().with_resource(COMMON_URL, Resource.from_contents(load("common-schema.json")))


@functools.cache
def validator() -> Draft202012Validator:
    schema = load("KeyPerformanceIndicator/schema.json")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry(), format_checker=format_checker())


def errors(payload: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator().iter_errors(payload)]


def schema_properties() -> set[str]:
    """Every property the model defines, its own and those of the common schemas it includes."""
    common = load("common-schema.json")["definitions"]
    names = set(common["GSMA-Commons"]["properties"]) | set(common["Location-Commons"]["properties"])
    for part in load("KeyPerformanceIndicator/schema.json")["allOf"]:
        names |= set(part.get("properties", {}))
    return names


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def make_kpi(city: Any, **overrides: Any) -> KPI:
    fields: dict[str, Any] = {
        "city": city,
        "name": "Share of households with fibre",
        "unit": "%",
        "direction": "up",
        "baseline_value": Decimal(12),
        "baseline_date": dt.date(2025, 1, 1),
        "baseline_source": "Statistics office",
        "target_value": Decimal(20),
        "target_date": dt.date(2027, 12, 31),
        "frequency": "monthly",
        **overrides,
    }
    return KPI.objects.create(**fields)


def measure(kpi: KPI, *values: tuple[dt.date, int | str]) -> None:
    for date, value in values:
        Measurement.objects.create(kpi=kpi, date=date, value=Decimal(value), source="Operator reports")


def annotated(kpi: KPI) -> KPI:
    return kpis.with_latest(KPI.objects.filter(pk=kpi.pk)).select_related("city__programme").get()


def unwrap(entity: dict[str, Any]) -> dict[str, Any]:
    """Key-values back from the normalized form: values unwrapped, typed dates as plain strings."""
    payload: dict[str, Any] = {}
    for name, attribute in entity.items():
        if name == "@context":
            continue
        if name in ("id", "type"):
            payload[name] = attribute
            continue
        value = attribute["value"]
        if isinstance(value, dict) and "@value" in value:
            value = value["@value"]
        payload[name] = value
    return payload


def shape(attribute: dict[str, Any]) -> tuple[Any, ...]:
    """How an attribute is wrapped, whatever its actual value."""
    value = attribute["value"]
    kind = "number" if isinstance(value, int | float) else type(value).__name__
    inner = tuple(sorted(value)) if isinstance(value, dict) else ()
    return attribute["type"], tuple(sorted(attribute)), kind, inner


# The validator itself --------------------------------------------------------------------


def test_every_reference_resolves_to_a_local_copy() -> None:
    schema = load("KeyPerformanceIndicator/schema.json")
    common = load("common-schema.json")
    resolver = registry().resolver()
    assert refs(schema)
    for ref in refs(schema):
        assert ref.startswith(f"{COMMON_URL}#"), ref
        resolver.lookup(ref)
    common_resolver = registry().resolver(base_uri=COMMON_URL)
    for ref in refs(common):
        common_resolver.lookup(ref)


def test_the_official_example_validates() -> None:
    assert errors(load("KeyPerformanceIndicator/example.json")) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("category", ["bogus"]),
        ("category", []),
        ("currentStanding", "excellent"),
        ("calculationFrequency", "cycle"),
        ("calculationMethod", "by hand"),
        ("type", "Indicator"),
        ("calculationPeriod", {"from": "2016-06-01", "to": "30 June 2016"}),
        ("dateNextCalculation", "2016-07-31T00:00:00Z"),
        ("dateModified", "yesterday"),
        ("location", {"type": "Point", "coordinates": ["10", "50"]}),
    ],
)
def test_a_broken_payload_is_rejected(name: str, value: Any) -> None:
    payload = {**load("KeyPerformanceIndicator/example.json"), name: value}
    assert errors(payload)


def test_a_payload_without_id_is_rejected() -> None:
    payload = load("KeyPerformanceIndicator/example.json")
    del payload["id"]
    assert errors(payload)


# Key-values --------------------------------------------------------------------------------


def check(entity: dict[str, Any]) -> None:
    """What every exported entity must satisfy beyond the schema's own checks."""
    assert errors(entity) == []
    assert set(entity) <= schema_properties()
    # "Either process or product must be defined", which the schema cannot say by itself.
    assert "process" in entity or "product" in entity
    # The identifier's format branch ("uri") is not checked offline; the pattern branch is.
    pattern = load("common-schema.json")["definitions"]["EntityIdentifierType"]["anyOf"][0]["pattern"]
    assert re.match(pattern, entity["id"])
    json.dumps(entity, allow_nan=False)


def test_a_measured_kpi(cast: Any) -> None:
    kpi = make_kpi(cast.city_a)
    measure(kpi, (dt.date(2025, 4, 1), 13), (dt.date(2025, 7, 1), "14.5"))
    kpi = annotated(kpi)

    entity = fiware.key_values(kpi, next_due=dt.date(2025, 8, 1))

    check(entity)
    assert entity["id"] == f"urn:ngsi-ld:KeyPerformanceIndicator:icc:{cast.programme.slug}:{kpi.pk}"
    assert entity["type"] == "KeyPerformanceIndicator"
    assert entity["name"] == "Share of households with fibre"
    assert entity["description"] == (
        "Baseline 12 % (2025-01-01, Statistics office); target 20 % by 2027-12-31; higher is better"
    )
    assert entity["category"] == ["quantitative"]
    assert entity["organization"] == "Alphaville"
    assert "Alphaville" in entity["process"]
    assert entity["businessTarget"] == "20 % by 2027-12-31"
    assert entity["kpiValue"] == 14.5
    assert entity["calculationPeriod"] == {"from": "2025-01-01", "to": "2025-07-01"}
    assert entity["calculationFrequency"] == "monthly"
    assert entity["calculationMethod"] == "manual"
    assert entity["currentStanding"] == kpis.STANDING[kpis.assess(kpi).status] == "good"
    assert entity["dateNextCalculation"] == "2025-08-01"
    assert entity["dateModified"].endswith("Z")
    assert dt.datetime.fromisoformat(entity["dateModified"]) == kpi.updated_at.replace(
        microsecond=kpi.updated_at.microsecond // 1000 * 1000
    )
    assert entity["address"] == {"addressLocality": "Alphaville", "addressCountry": "PT"}
    assert entity["location"] == {"type": "Point", "coordinates": [10.0, 50.0]}
    assert entity["source"].endswith(kpi.get_absolute_url())


def test_a_kpi_without_any_measurement(cast: Any) -> None:
    kpi = annotated(make_kpi(cast.city_a))

    entity = fiware.key_values(kpi, today=dt.date(2025, 3, 15))

    check(entity)
    assert "kpiValue" not in entity
    assert "currentStanding" not in entity
    assert "dateNextCalculation" not in entity
    assert entity["calculationPeriod"] == {"from": "2025-01-01", "to": "2025-03-15"}


def test_a_decreasing_kpi(cast: Any) -> None:
    kpi = make_kpi(
        cast.city_a,
        name="Energy use of public buildings",
        unit="MWh",
        direction="down",
        baseline_value=Decimal("1000.5"),
        baseline_source="Energy agency",
        target_value=Decimal(800),
    )
    measure(kpi, (dt.date(2025, 6, 1), 1050))

    entity = fiware.key_values(annotated(kpi))

    check(entity)
    assert entity["description"] == (
        "Baseline 1000.5 MWh (2025-01-01, Energy agency); target 800 MWh by 2027-12-31; lower is better"
    )
    assert entity["businessTarget"] == "800 MWh by 2027-12-31"
    assert entity["kpiValue"] == 1050.0
    assert entity["currentStanding"] == "veryBad"


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [("monthly", "monthly"), ("quarterly", "quarterly"), ("yearly", "yearly"), ("cycle", None)],
)
def test_each_frequency(cast: Any, frequency: str, expected: str | None) -> None:
    kpi = make_kpi(cast.city_a, frequency=frequency)
    measure(kpi, (dt.date(2025, 6, 1), 15))

    entity = fiware.key_values(annotated(kpi))

    check(entity)
    assert entity.get("calculationFrequency") == expected


def test_a_city_without_coordinates(cast: Any) -> None:
    cast.city_a.latitude = None
    cast.city_a.longitude = None
    cast.city_a.save()
    kpi = make_kpi(cast.city_a)
    measure(kpi, (dt.date(2025, 6, 1), 15))

    entity = fiware.key_values(annotated(kpi))

    check(entity)
    assert "location" not in entity
    assert entity["address"] == {"addressLocality": "Alphaville", "addressCountry": "PT"}


# Normalized ----------------------------------------------------------------------------------


@pytest.fixture
def measured(cast: Any) -> KPI:
    kpi = make_kpi(cast.city_a)
    measure(kpi, (dt.date(2025, 4, 1), 13), (dt.date(2025, 7, 1), 14))
    return annotated(kpi)


def test_normalized_wraps_every_key_values_attribute(measured: KPI) -> None:
    plain = fiware.key_values(measured, next_due=dt.date(2025, 8, 1))
    entity = fiware.normalized(measured, next_due=dt.date(2025, 8, 1))

    assert set(entity) == set(plain) | {"@context"}
    assert entity["id"] == plain["id"]
    assert entity["type"] == "KeyPerformanceIndicator"
    assert entity["@context"] == load("KeyPerformanceIndicator/example-normalized.jsonld")["@context"]
    for name in set(plain) - {"id", "type"}:
        expected = "GeoProperty" if name == "location" else "Property"
        assert entity[name]["type"] == expected, name
        assert set(entity[name]) == {"type", "value"}, name
    assert entity["dateModified"]["value"] == {"@type": "DateTime", "@value": plain["dateModified"]}
    assert entity["dateNextCalculation"]["value"] == {"@type": "Date", "@value": "2025-08-01"}
    assert entity["location"]["value"] == plain["location"]
    json.dumps(entity, allow_nan=False)


def test_normalized_unwraps_to_a_valid_payload(measured: KPI) -> None:
    plain = fiware.key_values(measured, next_due=dt.date(2025, 8, 1))
    payload = unwrap(fiware.normalized(measured, next_due=dt.date(2025, 8, 1)))

    assert errors(payload) == []
    assert payload["address"].pop("type") == "PostalAddress"
    assert payload == plain


def test_normalized_has_the_structure_of_the_official_example(measured: KPI) -> None:
    official = load("KeyPerformanceIndicator/example-normalized.jsonld")
    entity = fiware.normalized(measured, next_due=dt.date(2025, 8, 1))

    in_both = (set(official) & set(entity)) - {"id", "type", "@context"}
    assert in_both >= {"address", "calculationPeriod", "category", "dateNextCalculation", "kpiValue", "process"}
    for name in in_both:
        assert shape(entity[name]) == shape(official[name]), name
    # The example calls the modification date "modifiedAt", a name NGSI-LD keeps for the
    # broker's own timestamp; ours keeps the schema's "dateModified", wrapped the same way.
    assert shape(entity["dateModified"]) == shape(official["modifiedAt"])
    assert entity["dateModified"]["value"]["@type"] == official["modifiedAt"]["value"]["@type"]
