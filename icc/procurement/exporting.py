"""A plan's OCDS release package: read from the database, checked for what it lacks,
written, and validated against the copied OCDS schema before anyone receives it.

A plan that lacks something (no ocid prefix configured, no tender title, a phase without
dates or budget, phases whose dates are out of the route's order) or that the schema
would refuse is not exported: :func:`export` returns
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
        documents=documents,
    )


def facts(plan: Plan) -> ocds.PlanFacts:
    buyer = plan.buyer
    # The cities taking part now: a city that left the group since is no buyer of its release.
    others = [c for c in plan.taking_part() if c.pk != buyer.pk]
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


SETTING = "ICC_OCDS_OCID_PREFIX"  # the environment variable config/settings.py reads the prefix from


@dataclass(frozen=True)
class Worded:
    """A reason or a schema problem in the reader's words; ``hint`` is the technical side of
    it, for the programme team, who can act on it (empty for everyone else)."""

    text: str
    where: str = ""
    hint: str = ""


def reason_text(reason: ocds.Reason) -> str:
    """A reason in words, in the reader's language."""
    phase = str(PhaseKind(reason.params["phase"]).label) if "phase" in reason.params else ""
    before = str(PhaseKind(reason.params["before"]).label) if "before" in reason.params else ""
    words = {
        "no_prefix": _("The programme office has not set up the Open Contracting prefix of its releases yet."),
        "bad_prefix": _("The Open Contracting prefix the programme office set up is not a valid one yet."),
        "no_tender_title": _("The plan has no tender title: write the title of the call for tenders."),
        "no_phases": _("The plan has no phases yet."),
        "no_tender_phase": _("The plan has phases to award but no call for tenders: add the tender phase."),
        "phase_without_dates": _("The phase “%(phase)s” has no start or no end date.") % {"phase": phase},
        "phase_without_budget": _("The phase “%(phase)s” has no budget (write 0 if it costs nothing).")
        % {"phase": phase},
        "phases_out_of_order": _(
            "The phase “%(phase)s” starts before the phase “%(before)s” ends: on this route it comes after it. "
            "Correct the dates of one of them."
        )
        % {"phase": phase, "before": before},
    }
    return words.get(reason.code, reason.code)


def reason_hint(reason: ocds.Reason) -> str:
    """What the programme team does about a reason that is theirs to settle; empty for the others."""
    if reason.code == "no_prefix":
        return _(
            "Set the environment variable %(setting)s to the prefix the Open Contracting Partnership registered "
            "for the publisher (“ocds-” and 6 letters or digits) and restart the platform."
        ) % {"setting": SETTING}
    if reason.code == "bad_prefix":
        return _(
            "The environment variable %(setting)s holds “%(prefix)s”, which is not “ocds-” followed by 6 letters "
            "or digits."
        ) % {"setting": SETTING, "prefix": reason.params.get("prefix", "")}
    return ""


def problem_text(problem: schema.Problem) -> str:
    """Why the schema refuses a value, in short words (the validator's own are in English)."""
    names = ", ".join(problem.names)
    if problem.code == "required":
        return _("something OCDS requires is missing (%(names)s).") % {"names": names}
    if problem.code == "enum":
        return _("the value is not one of those OCDS allows (%(names)s).") % {"names": names}
    if problem.code == "type":
        return _("the value is not of the kind OCDS expects here.")
    if problem.code == "format" and problem.names == ("date-time",):
        return _("the value is not a date and time with its time zone.")
    if problem.code == "format" and problem.names == ("uri",):
        return _("the value is not a web address.")
    if problem.code in {"format", "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems"}:
        return _("the value is not in the form OCDS expects.")
    if problem.code in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}:
        return _("the number is outside what OCDS allows.")
    return _("the value does not meet the OCDS schema.")


def worded(outcome: Outcome, *, team: bool) -> tuple[list[Worded], list[Worded]]:
    """The reasons and the schema problems of ``outcome`` for a reader; ``team``: the reader
    is of the programme team and also gets the technical side (the setting to change, the
    schema validator's own message)."""
    reasons = [Worded(reason_text(r), hint=reason_hint(r) if team else "") for r in outcome.reasons]
    problems = [Worded(problem_text(p), where=p.path or "/", hint=p.detail if team else "") for p in outcome.problems]
    return reasons, problems
