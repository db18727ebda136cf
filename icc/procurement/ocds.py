"""A procurement plan as an Open Contracting (OCDS 1.1) release, and what it lacks to be one.

Pure: it takes the plan as dataclasses and returns a release package as a dict, or the
reasons it cannot be written as codes with parameters (the templates word them).

How the phases become stages:

- the needs and market consultation is the **planning** stage: the budget of the whole
  plan (``planning.budget``), the need (``planning.rationale``), the consultation as an
  engagement milestone and its documents;
- the call for tenders is the **tender** stage: its title and description, the tender
  period, the value of what it buys (the phases after it), the procuring entity (the
  buying city), the method ("open", with PCP or PPI as the method details);
- each phase bought through the tender (PCP: solution design, prototyping, original
  development and testing; PPI: the contract) is an **award** and a **contract** with its
  period and value, its documents, and its **implementation** as a delivery milestone.

The release's tags name the stages it holds.

Only what a plan states for publication goes into a release: its title, need, tender
title and description, the phases' kinds, dates, budgets and statuses, and the
documents. The notes the team keeps on a phase are its own and are never exported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")
VERSION = "1.1"
CURRENCY = "EUR"
PLANNING, TENDER, CONTRACT = "planning", "tender", "contract"


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    roles: tuple[str, ...]


@dataclass(frozen=True)
class DocumentFacts:
    id: str
    kind: str  # an OCDS documentType code
    title: str
    url: str
    media_type: str
    published: dt.datetime


@dataclass(frozen=True)
class PhaseFacts:
    kind: str
    stage: str  # PLANNING, TENDER or CONTRACT
    title: str
    starts: dt.datetime | None
    ends: dt.datetime | None
    budget: Decimal | None
    status: str  # planned, under-way, done
    documents: tuple[DocumentFacts, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    id: int
    version: int
    title: str
    need: str
    route: str  # pcp, ppi
    category: str  # goods, services, works
    tender_title: str
    tender_description: str
    buyer: Party
    parties: tuple[Party, ...]  # every city taking part, the buyer first, then the suppliers
    suppliers: tuple[Party, ...]
    phases: tuple[PhaseFacts, ...]
    updated: dt.datetime


@dataclass(frozen=True)
class Reason:
    """Why a plan cannot be exported: a code and what it is about."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


ROUTE_DETAILS = {"pcp": "Pre-commercial procurement (PCP)", "ppi": "Public procurement of innovative solutions (PPI)"}
STATUS_TO_TENDER = {"planned": "planned", "under-way": "active", "done": "complete"}
STATUS_TO_AWARD = {"planned": "pending", "under-way": "active", "done": "active"}
STATUS_TO_CONTRACT = {"planned": "pending", "under-way": "active", "done": "terminated"}
STATUS_TO_MILESTONE = {"planned": "scheduled", "under-way": "scheduled", "done": "met"}


def missing(plan: PlanFacts, prefix: str) -> list[Reason]:
    """What keeps ``plan`` from being a complete OCDS release; empty when nothing does."""
    reasons: list[Reason] = []
    if not prefix:
        reasons.append(Reason("no_prefix"))
    elif not OCID_PREFIX.match(prefix):
        reasons.append(Reason("bad_prefix", {"prefix": prefix[:40]}))
    if not plan.tender_title.strip():
        reasons.append(Reason("no_tender_title"))
    if not plan.phases:
        reasons.append(Reason("no_phases"))
    stages = {phase.stage for phase in plan.phases}
    if CONTRACT in stages and TENDER not in stages:
        reasons.append(Reason("no_tender_phase"))
    for phase in plan.phases:
        if phase.starts is None or phase.ends is None:
            reasons.append(Reason("phase_without_dates", {"phase": phase.kind}))
        if phase.budget is None:
            reasons.append(Reason("phase_without_budget", {"phase": phase.kind}))
    reasons += out_of_order(plan.phases)
    return reasons


def out_of_order(phases: tuple[PhaseFacts, ...]) -> list[Reason]:
    """The phases that start before the phase before them on the route ends.

    ``phases`` come in the order of their route (consultation, tender, then what the tender
    buys, one after the other). Each dated phase is compared with the dated phase before
    it: starting on the day the other ends is in order, starting earlier is not. Checking
    the neighbours is enough, since each phase ends on or after its start.
    """
    dated = [(p.kind, p.starts.date(), p.ends.date()) for p in phases if p.starts is not None and p.ends is not None]
    return [
        Reason("phases_out_of_order", {"phase": after, "before": before})
        for (before, _starts, ended), (after, started, _ends) in pairwise(dated)
        if started < ended
    ]


def ocid(plan: PlanFacts, prefix: str) -> str:
    return f"{prefix}-icc-plan-{plan.id}"


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def _amount(value: Decimal) -> dict[str, Any]:
    # Whole euros are written as integers, cents as a number with two decimals.
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    return {"amount": number, "currency": CURRENCY}


def _reference(party: Party) -> dict[str, str]:
    return {"id": party.id, "name": party.name}


def _party(party: Party) -> dict[str, Any]:
    found: dict[str, Any] = {"id": party.id, "name": party.name, "roles": list(party.roles)}
    if party.country:
        found["address"] = {"countryName": party.country}
    return found


def _documents(phase: PhaseFacts) -> list[dict[str, Any]]:
    return [
        {
            "id": d.id,
            "documentType": d.kind,
            "title": d.title,
            "url": d.url,
            "format": d.media_type,
            "datePublished": _moment(d.published),
        }
        for d in phase.documents
    ]


def _period(phase: PhaseFacts) -> dict[str, Any]:
    return {"startDate": _moment(phase.starts), "endDate": _moment(phase.ends)}


def _total(phases: list[PhaseFacts]) -> Decimal:
    return sum((p.budget or Decimal(0) for p in phases), Decimal(0))


def release(plan: PlanFacts, prefix: str) -> dict[str, Any]:
    """The plan as one OCDS release (call :func:`missing` first: it assumes nothing is)."""
    identifier = ocid(plan, prefix)
    tags: list[str] = []
    doc: dict[str, Any] = {
        "ocid": identifier,
        "id": f"{identifier}-v{plan.version}",
        "date": _moment(plan.updated),
        "tag": tags,
        "initiationType": "tender",
        "parties": [_party(p) for p in (*plan.parties, *plan.suppliers)],
        "buyer": _reference(plan.buyer),
    }
    planning = [p for p in plan.phases if p.stage == PLANNING]
    tendering = [p for p in plan.phases if p.stage == TENDER]
    contracting = [p for p in plan.phases if p.stage == CONTRACT]
    doc["planning"] = {
        "rationale": plan.need,
        "budget": {
            "id": f"{identifier}-budget",
            "description": plan.title,
            "amount": _amount(_total(list(plan.phases))),
        },
        "milestones": [
            {
                "id": f"{identifier}-{p.kind}",
                "title": p.title,
                "type": "engagement",
                "description": p.title,
                "dueDate": _moment(p.ends),
                "status": STATUS_TO_MILESTONE[p.status],
            }
            for p in planning
        ],
        "documents": [d for p in planning for d in _documents(p)],
    }
    tags.append("planning")
    if tendering:
        phase = tendering[0]
        doc["tender"] = {
            "id": f"{identifier}-tender",
            "title": plan.tender_title,
            "description": plan.tender_description or plan.need,
            "status": STATUS_TO_TENDER[phase.status],
            "procuringEntity": _reference(plan.buyer),
            "value": _amount(_total(contracting)),
            "procurementMethod": "open",
            "procurementMethodDetails": ROUTE_DETAILS[plan.route],
            "mainProcurementCategory": plan.category,
            "tenderPeriod": _period(phase),
            "documents": _documents(phase),
        }
        starts = [p.starts for p in contracting if p.starts is not None]
        ends = [p.ends for p in contracting if p.ends is not None]
        if starts and ends:
            # From the earliest start to the latest end, whatever the order the phases are in.
            doc["tender"]["contractPeriod"] = {"startDate": _moment(min(starts)), "endDate": _moment(max(ends))}
        tags.append("tender")
    if contracting:
        suppliers = [_reference(s) for s in plan.suppliers]
        awards, contracts = [], []
        for phase in contracting:
            key = f"{identifier}-{phase.kind}"
            award: dict[str, Any] = {
                "id": key,
                "title": phase.title,
                "status": STATUS_TO_AWARD[phase.status],
                "value": _amount(phase.budget or Decimal(0)),
                "contractPeriod": _period(phase),
            }
            if suppliers:
                award["suppliers"] = suppliers
            awards.append(award)
            contracts.append(
                {
                    "id": key,
                    "awardID": key,
                    "title": phase.title,
                    "description": f"{phase.title}: {plan.title}",
                    "status": STATUS_TO_CONTRACT[phase.status],
                    "period": _period(phase),
                    "value": _amount(phase.budget or Decimal(0)),
                    "documents": _documents(phase),
                    "implementation": {
                        "milestones": [
                            {
                                "id": f"{key}-delivery",
                                "title": phase.title,
                                "type": "delivery",
                                "dueDate": _moment(phase.ends),
                                "status": STATUS_TO_MILESTONE[phase.status],
                            }
                        ]
                    },
                }
            )
        doc["awards"], doc["contracts"] = awards, contracts
        tags += ["award", "contract"]
        if any(p.status != "planned" for p in contracting):
            tags.append("implementation")
    return doc


def package(
    plan: PlanFacts, prefix: str, *, uri: str, publisher: str, publisher_uri: str, published: dt.datetime
) -> dict[str, Any]:
    """The release inside a release package, as OCDS publishes releases."""
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": _moment(published),
        "publisher": {"name": publisher, "uri": publisher_uri},
        "releases": [release(plan, prefix)],
    }
