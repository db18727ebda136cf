"""What the roadmap forms are sent in the tests: a valid action and a valid KPI, to change one field of."""

from __future__ import annotations

import datetime as dt
from typing import Any


def errors(response: Any) -> str:
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
