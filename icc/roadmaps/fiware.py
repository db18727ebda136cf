"""KPIs as FIWARE Smart Data Models ``KeyPerformanceIndicator`` entities.

:func:`key_values` builds the key-values form, :func:`normalized` the NGSI-LD normalized
form of the same entity. Both use only properties the model's schema defines
(https://github.com/smart-data-models/dataModel.KeyPerformanceIndicator) and only values
its enums allow; properties without a value are left out rather than sent empty.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from icc.assessments.models import Direction
from icc.roadmaps import kpis
from icc.roadmaps.models import KPI, Frequency

ENTITY_TYPE = "KeyPerformanceIndicator"
CONTEXT = [
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
    "https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld",
]

# The model's ``calculationFrequency`` enum has no value for "once a cycle".
FREQUENCIES: dict[str, str] = {
    Frequency.MONTHLY: "monthly",
    Frequency.QUARTERLY: "quarterly",
    Frequency.YEARLY: "yearly",
}

# Attributes whose normalized value is a typed JSON-LD literal rather than a plain string.
DATE_TIMES = frozenset({"dateModified"})
DATES = frozenset({"dateNextCalculation"})


def entity_id(kpi: KPI) -> str:
    """The NGSI-LD URN of ``kpi``, unique across programme editions."""
    return f"urn:ngsi-ld:{ENTITY_TYPE}:icc:{kpi.city.programme.slug}:{kpi.pk}"


def _number(value: Decimal) -> str:
    """``value`` without trailing zeros or exponent: 12.5000 gives "12.5", 1000 gives "1000"."""
    return format(value.normalize(), "f")


def _quantity(value: Decimal, unit: str) -> str:
    return f"{_number(value)} {unit}".strip()


def _date_time(moment: dt.datetime) -> str:
    """``moment`` in UTC as ISO 8601 with a ``Z``, to the millisecond."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def key_values(kpi: KPI, *, next_due: dt.date | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The key-values entity for ``kpi``, annotated by :func:`kpis.with_latest`.

    ``next_due`` is the date the next value is expected (``dateNextCalculation``);
    ``today`` ends the calculation period of a KPI that has no measurement yet.
    """
    city = kpi.city
    latest_value = getattr(kpi, "latest_value", None)
    latest_date = getattr(kpi, "latest_date", None)
    better = "higher" if kpi.direction == Direction.UP else "lower"
    entity: dict[str, Any] = {
        "id": entity_id(kpi),
        "type": ENTITY_TYPE,
        "name": kpi.name,
        "description": (
            f"Baseline {_quantity(kpi.baseline_value, kpi.unit)} ({kpi.baseline_date.isoformat()}, "
            f"{kpi.baseline_source}); target {_quantity(kpi.target_value, kpi.unit)} by "
            f"{kpi.target_date.isoformat()}; {better} is better"
        ),
        "category": ["quantitative"],
        "organization": city.name,
        "process": f"Roadmap of {city.name}, {city.programme.name}",
        "businessTarget": f"{_quantity(kpi.target_value, kpi.unit)} by {kpi.target_date.isoformat()}",
    }
    if latest_value is not None:
        entity["kpiValue"] = float(latest_value)
    entity["calculationPeriod"] = {
        "from": kpi.baseline_date.isoformat(),
        "to": (latest_date or today or timezone.localdate()).isoformat(),
    }
    frequency = FREQUENCIES.get(kpi.frequency)
    if frequency is not None:
        entity["calculationFrequency"] = frequency
    entity["calculationMethod"] = "manual"
    standing = kpis.STANDING.get(kpis.assess(kpi).status)
    if standing is not None:
        entity["currentStanding"] = standing
    entity["dateModified"] = _date_time(kpi.updated_at)
    if next_due is not None:
        entity["dateNextCalculation"] = next_due.isoformat()
    entity["address"] = {"addressLocality": city.name, "addressCountry": city.country}
    if city.latitude is not None and city.longitude is not None:
        entity["location"] = {"type": "Point", "coordinates": [float(city.longitude), float(city.latitude)]}
    entity["source"] = f"{settings.SITE_URL}{kpi.get_absolute_url()}"
    return entity


def _normalized_value(name: str, value: Any) -> dict[str, Any]:
    """One key-values attribute wrapped the way the model's normalized example wraps it."""
    if name == "location":
        return {"type": "GeoProperty", "value": value}
    if name in DATE_TIMES:
        value = {"@type": "DateTime", "@value": value}
    elif name in DATES:
        value = {"@type": "Date", "@value": value}
    elif name == "address":
        value = {**value, "type": "PostalAddress"}
    return {"type": "Property", "value": value}


def normalized(kpi: KPI, *, next_due: dt.date | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """The NGSI-LD normalized form of :func:`key_values`, with its ``@context``."""
    entity: dict[str, Any] = {}
    for name, value in key_values(kpi, next_due=next_due, today=today).items():
        entity[name] = value if name in ("id", "type") else _normalized_value(name, value)
    entity["@context"] = list(CONTEXT)
    return entity
