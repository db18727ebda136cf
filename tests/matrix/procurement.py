"""The innovation procurement URLs in the permission matrix.

Each check sets up, once, a plan for a roadmap action of city A (a PPI tender and
contract, dated and budgeted, with a document) and a plan of a joint-procurement group of
city A and city B (no tender title yet, so its export is refused with its reasons: 409).
An action's plan is read by those who see city A and written by those who edit it; a
group's plan by those who see, or edit, one of its cities. Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    CITY_A_READ,
    CITY_A_WRITE,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    Kwargs,
    Routes,
)

BAD_FORM, REFUSED = 400, 409


def _plans(c: Any) -> dict[str, Any]:
    existing = getattr(c, "procurement_matrix", None)
    if existing is not None:
        return existing
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from icc.journey.demo import DEMO_PDF
    from icc.marketplace.models import Challenge, ProcurementGroup, Review
    from icc.procurement.models import Document, Phase, Plan
    from icc.roadmaps.models import Action, Opportunity
    from icc.tags.models import Lab

    rep = c.person("rep_a")
    opportunity = Opportunity.objects.create(city=c.city_a, title="Cleaner air", need="NO2 near schools")
    action = Action.objects.create(
        city=c.city_a,
        opportunity=opportunity,
        title="Air sensors at schools",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    plan = Plan.objects.create(
        programme=c.programme,
        action=action,
        buyer=c.city_a,
        title="Air sensors",
        need="Street-level air quality.",
        route="ppi",
        tender_title="Air sensors for school streets",
        created_by=rep,
        version=1,
    )
    plan.cities.set([c.city_a])
    phase = Phase.objects.create(
        plan=plan, kind="tender", starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 3, 1), budget=Decimal(1000)
    )
    Phase.objects.create(
        plan=plan, kind="contract", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 12, 1), budget=Decimal(9000)
    )
    document = Document(
        phase=phase,
        kind="tenderNotice",
        title="Notice",
        original_name="notice.pdf",
        content_type="application/pdf",
        size=len(DEMO_PDF),
        added_by=rep,
    )
    document.file.save("notice.pdf", ContentFile(DEMO_PDF), save=False)
    document.save()
    challenge = Challenge.objects.create(
        city=c.city_a,
        title="Street lights on all night",
        context="Bills.",
        theme=c.city_a.track,
        review=Review.PUBLISHED,
        created_by=rep,
    )
    lab = Lab.objects.create(
        programme=c.programme, title="Lab", held_on=timezone.localdate(), picks_close_on=timezone.localdate()
    )
    group = ProcurementGroup.objects.create(challenge=challenge, lab=lab, formed_by=rep)
    group.members.set([c.city_a, c.city_b])
    joint = Plan.objects.create(
        programme=c.programme,
        group=group,
        buyer=c.city_a,
        title="Street lights together",
        need="Bills.",
        route="pcp",
        created_by=rep,
        version=1,
    )
    joint.cities.set([c.city_a, c.city_b])
    c.procurement_matrix = {"plan": plan, "phase": phase, "document": document, "joint": joint}
    return c.procurement_matrix


PLAN: Kwargs = lambda c: {"pk": _plans(c)["plan"].pk}  # noqa: E731
JOINT: Kwargs = lambda c: {"pk": _plans(c)["joint"].pk}  # noqa: E731
PHASE: Kwargs = lambda c: {"pk": _plans(c)["phase"].pk}  # noqa: E731
DOCUMENT: Kwargs = lambda c: {"pk": _plans(c)["document"].pk}  # noqa: E731
CITY_A: Kwargs = lambda c: (_plans(c), {"pk": c.city_a.pk})[1]  # noqa: E731


def _as(status: int, table: dict[str, int]) -> dict[str, int]:
    return {p: status if s == OK else s for p, s in table.items()}


# A group of city A and city B: who sees or edits either city.
GROUP_READ = {**CITY_A_READ, "rep_b": OK}
GROUP_WRITE = {**CITY_A_WRITE, "rep_b": OK}
WRITES_REFUSED = _as(BAD_FORM, CITY_A_WRITE)

ROUTES: Routes = {
    "procurement:plans": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "procurement:city": ("get", CITY_A, CITY_A_READ),
    "procurement:plan_new": [("get", CITY_A, CITY_A_WRITE), ("post", CITY_A, WRITES_REFUSED)],
    "procurement:plan": [("get", PLAN, CITY_A_READ), ("get", JOINT, GROUP_READ)],
    "procurement:plan_edit": [
        ("get", PLAN, CITY_A_WRITE),
        ("post", PLAN, WRITES_REFUSED),
        ("get", JOINT, GROUP_WRITE),
        ("post", JOINT, _as(BAD_FORM, GROUP_WRITE)),
    ],
    # The joint plan has no tender title: its export is refused, with the reasons, for its readers.
    "procurement:export": ("get", JOINT, _as(REFUSED, GROUP_READ)),
    "procurement:phase_new": [("get", PLAN, CITY_A_WRITE), ("post", PLAN, WRITES_REFUSED)],
    "procurement:phase_edit": [("get", PHASE, CITY_A_WRITE), ("post", PHASE, WRITES_REFUSED)],
    "procurement:phase_remove": ("post", PHASE, _as(REDIRECT, CITY_A_WRITE)),
    "procurement:document_add": ("post", PHASE, WRITES_REFUSED),
    "procurement:document": ("get", DOCUMENT, CITY_A_READ),
}
