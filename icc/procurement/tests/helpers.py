"""Plans for the tests: made through the actions, as a city's team would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import Cast
from icc.journey.demo import DEMO_PDF
from icc.marketplace.models import Challenge, ProcurementGroup, Review
from icc.procurement import actions
from icc.procurement.models import Phase, Plan
from icc.roadmaps.models import Action, Opportunity
from icc.tags.models import Lab


def make_action(cast: Cast, title: str = "Air sensors at 20 schools") -> Action:
    opportunity, _ = Opportunity.objects.get_or_create(
        city=cast.city_a, title="Cleaner air around schools", defaults={"need": "NO2 peaks at drop-off time."}
    )
    return Action.objects.create(
        city=cast.city_a,
        opportunity=opportunity,
        title=title,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def make_plan(cast: Cast, *, complete: bool = False, action: Action | None = None) -> Plan:
    """A PPI plan of an action of city A; ``complete``: its phases dated and budgeted, with a document."""
    rep = cast.person("rep_a")
    plan = Plan(
        action=action or make_action(cast),
        title="Street-level air sensors",
        need="Nitrogen dioxide peaks near schools at drop-off time.",
        route="ppi",
        category="goods",
        tender_title="Air sensors for 20 school streets" if complete else "",
    )
    actions.create_plan(plan=plan, cities=[cast.city_a], by=rep)
    if complete:
        rows = [
            ("consultation", dt.date(2026, 1, 5), dt.date(2026, 2, 27), 2_000, "done"),
            ("tender", dt.date(2026, 3, 2), dt.date(2026, 4, 30), 1_000, "under-way"),
            ("contract", dt.date(2026, 6, 1), dt.date(2027, 5, 31), 25_000, "planned"),
        ]
        for kind, starts, ends, budget, status in rows:
            phase = actions.save_phase(
                phase=Phase(
                    plan=plan, kind=kind, starts_on=starts, ends_on=ends, budget=Decimal(budget), status=status
                ),
                by=rep,
            )
            if kind == "consultation":
                actions.add_document(phase=phase, kind="marketStudies", title="Market report", upload=pdf(), by=rep)
    plan.refresh_from_db()
    return plan


def make_group(cast: Cast) -> ProcurementGroup:
    """A joint-procurement group of city A (its challenge's city, the lead) and city B."""
    rep = cast.person("rep_a")
    challenge = Challenge.objects.create(
        city=cast.city_a,
        title="Street lights on all night",
        context="Bills are too high.",
        theme=cast.programme.themes.get(pk=cast.city_a.track_id or 0),
        review=Review.PUBLISHED,
        created_by=rep,
    )
    today = timezone.localdate()
    lab = Lab.objects.create(programme=cast.programme, title="Lab", held_on=today, picks_close_on=today)
    group = ProcurementGroup.objects.create(challenge=challenge, lab=lab, formed_by=rep)
    group.members.set([cast.city_a, cast.city_b])
    return group
