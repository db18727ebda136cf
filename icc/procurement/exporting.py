"""A plan's OCDS release package: read from the database, checked for what it lacks,
written, and validated against the copied OCDS schema before anyone receives it.

A plan that lacks something (no ocid prefix configured, no tender title, a phase without
dates or budget) or that the schema would refuse is not exported: :func:`export` returns
the reasons instead, and the page lists them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.models import City
from icc.procurement import ocds, schema
from icc.procurement.models import Phase, PhaseKind, Plan

MEDIA_TYPE = "application/json"


def ocid_prefix() -> str:
    """The publisher's OCDS ocid prefix ("ocds-" and the 6 characters registered with the
    Open Contracting Partnership); empty when none is configured."""
    return str(getattr(settings, "OCDS_OCID_PREFIX", "") or "").strip()


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def _party(city: City, roles: tuple[str, ...]) -> ocds.Party:
    return ocds.Party(id=f"icc-city-{city.pk}", name=city.name, country=city.country_name, roles=roles)


def _start(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _phase(phase: Phase) -> ocds.PhaseFacts:
    documents = tuple(
        ocds.DocumentFacts(
            id=f"icc-document-{d.pk}",
            kind=d.kind,
            title=d.title,
            url=_site() + d.get_absolute_url(),
            media_type=d.content_type,
            published=timezone.localtime(d.added_at),
        )
        for d in phase.documents.all()
    )
    return ocds.PhaseFacts(
        kind=phase.kind,
        stage=phase.stage,
        title=str(PhaseKind(phase.kind).label),
        starts=_start(phase.starts_on),
        ends=_end(phase.ends_on),
        budget=phase.budget,
        status=phase.status,
        notes=phase.notes,
        documents=documents,
    )


def facts(plan: Plan) -> ocds.PlanFacts:
    buyer = plan.buyer
    others = [c for c in plan.cities.order_by("name") if c.pk != buyer.pk]
    phases = sorted(plan.phases.prefetch_related("documents"), key=lambda p: p.order)
    suppliers = tuple(
        ocds.Party(id=f"icc-plan-{plan.pk}-supplier-{n}", name=name, country="", roles=("supplier",))
        for n, name in enumerate(plan.supplier_names, start=1)
    )
    return ocds.PlanFacts(
        id=plan.pk,
        version=plan.version,
        title=plan.title,
        need=plan.need,
        route=plan.route,
        category=plan.category,
        tender_title=plan.tender_title,
        tender_description=plan.tender_description,
        buyer=_party(buyer, ("buyer", "procuringEntity")),
        parties=(_party(buyer, ("buyer", "procuringEntity")), *(_party(c, ("buyer",)) for c in others)),
        suppliers=suppliers,
        phases=tuple(_phase(p) for p in phases),
        updated=timezone.localtime(plan.updated_at),
    )


@dataclass
class Outcome:
    package: dict[str, Any] | None = None
    reasons: list[ocds.Reason] = field(default_factory=list)
    problems: list[schema.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.package is not None


def export(plan: Plan) -> Outcome:
    """The plan's release package, valid against the OCDS schema, or why there is none."""
    data = facts(plan)
    prefix = ocid_prefix()
    reasons = ocds.missing(data, prefix)
    if reasons:
        return Outcome(reasons=reasons)
    document = ocds.package(
        data,
        prefix,
        uri=_site() + reverse("procurement:export", kwargs={"pk": plan.pk}),
        publisher=plan.programme.name,
        publisher_uri=_site() + "/",
        published=timezone.localtime(plan.updated_at),
    )
    problems = schema.problems(document)
    if problems:
        return Outcome(problems=problems)
    return Outcome(package=document)


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def reason_text(reason: ocds.Reason) -> str:
    """A reason in words, in the reader's language."""
    phase = str(PhaseKind(reason.params["phase"]).label) if "phase" in reason.params else ""
    words = {
        "no_prefix": _(
            "No OCDS ocid prefix is configured for this platform (the setting OCDS_OCID_PREFIX): "
            "an Open Contracting release needs the publisher's registered prefix."
        ),
        "bad_prefix": _("The configured ocid prefix “%(prefix)s” is not “ocds-” followed by 6 letters or digits.")
        % {"prefix": reason.params.get("prefix", "")},
        "no_tender_title": _("The plan has no tender title: write the title of the call for tenders."),
        "no_phases": _("The plan has no phases yet."),
        "no_tender_phase": _("The plan has phases to award but no call for tenders: add the tender phase."),
        "phase_without_dates": _("The phase “%(phase)s” has no start or no end date.") % {"phase": phase},
        "phase_without_budget": _("The phase “%(phase)s” has no budget (write 0 if it costs nothing).")
        % {"phase": phase},
    }
    return words.get(reason.code, reason.code)
