"""The demo's innovation procurement: the demo city's pre-commercial procurement of air
sensors for its school streets (complete, exported as OCDS), a plan still being written
for its smart meters (its export is refused with the reasons), and the public
procurement of innovative solutions its joint-procurement group of the marketplace runs
together.

Written once; running the demo again finds the first plan and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.cities.models import City, RoleKind
from icc.journey.demo import DEMO_PDF
from icc.marketplace.models import ProcurementGroup
from icc.procurement import actions
from icc.procurement.models import Category, DocumentKind, Phase, PhaseKind, PhaseStatus, Plan, Route
from icc.programmes.models import Programme
from icc.roadmaps.models import Action

PhaseRow = tuple[str, int, int, int, str, str]  # kind, starts (days from today), length, budget, status, notes


def _phases(plan: Plan, rows: list[PhaseRow], today: dt.date, by: Person) -> dict[str, Phase]:
    made = {}
    for kind, start, length, budget, status, notes in rows:
        phase = Phase(
            plan=plan,
            kind=kind,
            starts_on=today + dt.timedelta(days=start),
            ends_on=today + dt.timedelta(days=start + length),
            budget=Decimal(budget),
            status=status,
            notes=notes,
        )
        made[kind] = actions.save_phase(phase=phase, by=by)
    return made


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _air_sensors(city: City, action: Action, rep: Person, today: dt.date) -> Plan:
    plan = Plan(
        action=action,
        title="Low-cost air quality sensors for school streets",
        need=(
            "Nitrogen dioxide peaks near our schools at drop-off time, but the two reference stations of the "
            "region cannot tell one street from another. We need sensors cheap enough for 20 schools, accurate "
            "enough to decide which streets close to cars, publishing open data the whole city can use."
        ),
        route=Route.PCP,
        category=Category.SERVICES,
        tender_title="PCP: street-level NO2 and PM2.5 sensing for 20 school streets",
        tender_description=(
            "Research and development services, in three competitive phases, for a sensor and calibration "
            "service that measures NO2 and PM2.5 per street within 15% of a reference station and publishes "
            "its data through NGSI-LD (Smart Data Models AirQualityObserved)."
        ),
        suppliers="",
    )
    actions.create_plan(plan=plan, cities=[city], by=rep)
    phases = _phases(
        plan,
        [
            (
                PhaseKind.CONSULTATION,
                -120,
                75,
                18_000,
                PhaseStatus.DONE,
                "Open market consultation with 23 companies and 2 universities; a needs workshop with 6 schools.",
            ),
            (
                PhaseKind.TENDER,
                -40,
                60,
                12_000,
                PhaseStatus.UNDER_WAY,
                "Call for tenders for up to 5 solution designs; selection on accuracy, cost per sensor and openness.",
            ),
            (
                PhaseKind.DESIGN,
                30,
                90,
                100_000,
                PhaseStatus.PLANNED,
                "Up to 5 contractors, €20,000 each: solution designs and a calibration plan.",
            ),
            (
                PhaseKind.PROTOTYPE,
                130,
                150,
                240_000,
                PhaseStatus.PLANNED,
                "Up to 3 contractors: 10 prototype sensors each, tested beside the reference station.",
            ),
            (
                PhaseKind.TEST,
                290,
                240,
                420_000,
                PhaseStatus.PLANNED,
                "Up to 2 contractors: original development and a 6-month field test at all 20 schools.",
            ),
        ],
        today,
        rep,
    )
    actions.add_document(
        phase=phases[PhaseKind.CONSULTATION],
        kind=DocumentKind.MARKET,
        title="Open market consultation report",
        upload=_pdf("market-consultation-report.pdf"),
        by=rep,
    )
    actions.add_document(
        phase=phases[PhaseKind.TENDER],
        kind=DocumentKind.NOTICE,
        title="Contract notice: PCP for street-level air quality sensing",
        upload=_pdf("contract-notice.pdf"),
        by=rep,
    )
    return plan


def _smart_meters(city: City, action: Action, rep: Person, today: dt.date) -> Plan:
    """Still being written: no tender title yet, the contract not yet dated."""
    plan = Plan(
        action=action,
        title="Smart meters for the city's 30 schools",
        need="Our schools' energy bills are read once a year; we want readings every quarter of an hour.",
        route=Route.PPI,
        category=Category.GOODS,
    )
    actions.create_plan(plan=plan, cities=[city], by=rep)
    _phases(
        plan,
        [
            (
                PhaseKind.CONSULTATION,
                -10,
                45,
                8_000,
                PhaseStatus.UNDER_WAY,
                "Meeting three suppliers already deployed in other ICC cities (see the marketplace).",
            ),
        ],
        today,
        rep,
    )
    actions.save_phase(
        phase=Phase(
            plan=plan, kind=PhaseKind.CONTRACT, budget=Decimal(180_000), notes="Dates once the budget is signed."
        ),
        by=rep,
    )
    return plan


def _street_lights(group: ProcurementGroup, rep: Person, today: dt.date) -> Plan:
    members = list(group.members.all())
    plan = Plan(
        group=group,
        title="Presence-based dimming of street lights, bought together",
        need=group.challenge.context,
        route=Route.PPI,
        category=Category.GOODS,
        tender_title="Joint PPI: adaptive street lighting controllers and their data service",
        tender_description=(
            "Controllers for existing street lights that dim by presence, with a lifecycle-cost award "
            "criterion, divided into one lot per city so that SMEs can bid."
        ),
    )
    actions.create_plan(plan=plan, cities=members, by=rep)
    _phases(
        plan,
        [
            (
                PhaseKind.CONSULTATION,
                -200,
                90,
                25_000,
                PhaseStatus.DONE,
                "Joint market consultation at the cross-city lab; demo market of 6 vendors.",
            ),
            (
                PhaseKind.TENDER,
                -60,
                75,
                20_000,
                PhaseStatus.UNDER_WAY,
                "One tender, a lot per city; the lead city buys on behalf of the others.",
            ),
            (
                PhaseKind.CONTRACT,
                60,
                730,
                1_450_000,
                PhaseStatus.PLANNED,
                "Two-year deployment with maintenance, paid per light point.",
            ),
        ],
        today,
        rep,
    )
    return plan


@transaction.atomic
def record_demo_procurement(programme: Programme) -> int:
    """The demo's procurement plans; returns how many were added (0 when they are there already)."""
    if Plan.objects.filter(programme=programme).exists():
        return 0
    rep = Person.objects.filter(email=PERSONA_EMAILS["city_rep"]).first()
    if rep is None:
        return 0
    city = City.objects.filter(roles__person=rep, roles__kind=RoleKind.CITY_REP, programme=programme).first()
    if city is None:
        return 0
    today = timezone.localdate()
    added = 0
    city_actions = Action.objects.filter(city=city).order_by("starts_on", "pk")
    sensors = city_actions.filter(title="Air sensors at 20 schools").first() or city_actions.first()
    if sensors is not None:
        _air_sensors(city, sensors, rep, today)
        added += 1
        meters = (
            city_actions.filter(title="Install smart meters in schools").first()
            or city_actions.exclude(pk=sensors.pk).first()
        )
        if meters is not None:
            _smart_meters(city, meters, rep, today)
            added += 1
    group = ProcurementGroup.objects.filter(challenge__city=city).select_related("challenge").first()
    if group is not None:
        _street_lights(group, rep, today)
        added += 1
    return added
