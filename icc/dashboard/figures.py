"""The dashboard's figures, read from the database in a fixed number of queries.

Each section is a dataclass of counts; the view words them and draws the charts. Late is
counted as the cohort page counts it: a milestone past its due date with no version
submitted by a city it concerns. Surveys count only what their stored release says: a
survey that is open, or closed but not yet released, is only ever counted as one survey
in that state, and its answers are never read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, prefetch_related_objects
from django.db.models.fields.json import KT
from django.utils import timezone

from icc.assessments.models import Direction, Round, SatCampaign
from icc.cities.models import City, PhaseStatus
from icc.journey.models import Event, EventStatus, Milestone, Submission, SubmissionStatus, city_type_keys
from icc.programmes.models import Cycle, Phase, Programme
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps import progress
from icc.roadmaps.models import KPI
from icc.tags.models import Commitment, CommitmentStatus, Session, Tag

# Milestones due up to this many days ahead show as "due".
DUE_AHEAD_DAYS = 60
PHASE_STATUSES = (PhaseStatus.ON_SCHEDULE, PhaseStatus.BEHIND)
COMMITMENT_ORDER = (CommitmentStatus.DONE, CommitmentStatus.PARTLY, CommitmentStatus.NOT_DONE, CommitmentStatus.OPEN)


@dataclass
class PhaseRow:
    phase: Phase | None  # None: the cities that have not started
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class MilestoneRow:
    milestone: Milestone
    accepted: int = 0
    in_review: int = 0  # submitted, awaiting review or with changes requested
    late: int = 0
    not_due: int = 0

    @property
    def concerned(self) -> int:
        return self.accepted + self.in_review + self.late + self.not_due


@dataclass
class EventRow:
    phase: Phase
    held: int = 0
    not_held: int = 0  # planned, ended, not recorded as held
    upcoming: int = 0
    cancelled: int = 0

    @property
    def planned(self) -> int:
        return self.held + self.not_held + self.upcoming


@dataclass
class TagRow:
    tag: Tag
    sessions: int = 0
    sessions_held: int = 0
    commitments: dict[str, int] = field(default_factory=dict)

    @property
    def commitments_total(self) -> int:
        return sum(self.commitments.values())

    @property
    def commitment_counts(self) -> list[int]:
        """The commitments by status, in the order of COMMITMENT_ORDER."""
        return [self.commitments.get(status, 0) for status in COMMITMENT_ORDER]


@dataclass
class SurveyRow:
    round: str
    label: str
    none: int = 0
    open: int = 0
    awaiting_release: int = 0
    too_few: int = 0
    released: int = 0
    # Of the released surveys with results: the released (noisy, rounded) number of people
    # who answered, and the invitations those surveys sent.
    answers: int = 0
    invited: int = 0


@dataclass
class MapCity:
    city: City
    status: PhaseStatus


@dataclass
class Dashboard:
    today: dt.date
    cities: int
    expected: Phase | None
    phases: list[PhaseRow]
    milestones: list[MilestoneRow]
    cities_late: int
    kpi_statuses: list[tuple[progress.Status, int, int]]  # status, KPIs, cities with one
    kpis_missing: int
    kpi_cycle: Cycle | None
    events: list[EventRow]
    shared_held: int
    shared_planned: int
    tags: list[TagRow]
    surveys: list[SurveyRow]
    map_cities: list[MapCity]


def _phases(programme: Programme, cities: list[City], phases: list[Phase], today: dt.date) -> list[PhaseRow]:
    expected = programme.phase_on(today)
    by_phase: dict[int | None, Counter[str]] = defaultdict(Counter)
    for city in cities:
        by_phase[city.current_phase_id][city.phase_status(today, expected)] += 1
    rows = [PhaseRow(None, {PhaseStatus.NOT_STARTED: by_phase[None][PhaseStatus.NOT_STARTED]})]
    rows += [PhaseRow(p, {s: by_phase[p.pk][s] for s in PHASE_STATUSES}) for p in phases]
    return rows


def _milestones(programme: Programme, cities: list[City], today: dt.date) -> tuple[list[MilestoneRow], int]:
    milestones = list(
        Milestone.objects.filter(
            deliverable_type__programme=programme, due_on__lte=today + dt.timedelta(days=DUE_AHEAD_DAYS)
        )
        .select_related("deliverable_type")
        .order_by("due_on", "deliverable_type__order", "order")
    )
    latest: dict[tuple[int, int], str] = {}
    for city_id, milestone_id, status in (
        Submission.objects.filter(city__programme=programme, milestone__in=milestones)
        .order_by("number")
        .values_list("city_id", "milestone_id", "status")
    ):
        latest[(city_id, milestone_id)] = status
    keys = {city.pk: city_type_keys(city) for city in cities}
    rows: list[MilestoneRow] = []
    late_cities: set[int] = set()
    for milestone in milestones:
        row = MilestoneRow(milestone)
        concerns = set(milestone.deliverable_type.city_types)
        for city in cities:
            if not keys[city.pk] & concerns:
                continue
            submitted = latest.get((city.pk, milestone.pk))
            if submitted == SubmissionStatus.ACCEPTED:
                row.accepted += 1
            elif submitted is not None:
                row.in_review += 1
            elif milestone.due_on < today:
                row.late += 1
                late_cities.add(city.pk)
            else:
                row.not_due += 1
        rows.append(row)
    return rows, len(late_cities)


def _kpis(programme: Programme, today: dt.date) -> tuple[list[tuple[progress.Status, int, int]], int, Cycle | None]:
    """Per status, the KPIs at it and the cities with one; the KPIs lacking their update for
    the last cycle that ended. The programme KPI table's figures, read as plain values."""
    due = kpi_figures.due_cycle(programme, today)
    kpis = kpi_figures.with_update_for(kpi_figures.with_latest(KPI.objects.filter(city__programme=programme)), due)
    fields = ["city_id", "direction", "baseline_value", "baseline_date", "target_value", "target_date"]
    fields += ["latest_value", "latest_date"] + (["updated"] if due is not None else [])
    at: Counter[progress.Status] = Counter()
    cities: dict[progress.Status, set[int]] = defaultdict(set)
    missing = 0
    for row in kpis.values(*fields).order_by():
        status = progress.assess(
            baseline=row["baseline_value"],
            baseline_date=row["baseline_date"],
            target=row["target_value"],
            target_date=row["target_date"],
            increasing=row["direction"] == Direction.UP,
            latest=row["latest_value"],
            latest_date=row["latest_date"],
        ).status
        at[status] += 1
        cities[status].add(row["city_id"])
        if due is not None and row["baseline_date"] < due.ends_on and not row["updated"]:
            missing += 1
    statuses = [(status, at[status], len(cities[status])) for status in kpi_figures.STATUS_LABELS]
    return statuses, missing, due


def _events(programme: Programme, phases: list[Phase], now: dt.datetime) -> tuple[list[EventRow], int, int]:
    rows = {phase.pk: EventRow(phase) for phase in phases}
    counts = (
        Event.objects.filter(programme=programme)
        .values_list("phase_id", "status")
        .annotate(
            city_events=Count("pk", filter=Q(city__isnull=False)),
            city_past=Count("pk", filter=Q(city__isnull=False, ends_at__lt=now)),
            shared=Count("pk", filter=Q(city__isnull=True)),
            shared_past=Count("pk", filter=Q(city__isnull=True, ends_at__lt=now)),
        )
        .order_by()
    )
    shared_held = shared_planned = 0
    for phase_id, status, city_events, city_past, shared, shared_past in counts:
        row = rows.get(phase_id)
        if row is None:
            continue
        if status == EventStatus.HELD:
            row.held += city_events
            shared_held += shared
        elif status == EventStatus.CANCELLED:
            row.cancelled += city_events
            continue
        else:
            row.not_held += city_past
            row.upcoming += city_events - city_past
        shared_planned += shared if status == EventStatus.HELD else shared_past
    return list(rows.values()), shared_held, shared_planned


def _tags(programme: Programme, now: dt.datetime) -> list[TagRow]:
    rows = {tag.pk: TagRow(tag) for tag in Tag.objects.filter(programme=programme).select_related("mentor", "theme")}
    for tag_id, total, held in (
        Session.objects.filter(tag__programme=programme)
        .values_list("tag_id")
        .annotate(total=Count("pk"), held=Count("pk", filter=Q(ends_at__lt=now)))
        .order_by()
    ):
        rows[tag_id].sessions, rows[tag_id].sessions_held = total, held
    for tag_id, status, n in (
        Commitment.objects.filter(session__tag__programme=programme)
        .values_list("session__tag_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[tag_id].commitments[status] = n
    for row in rows.values():
        row.commitments = {status: row.commitments.get(status, 0) for status in CommitmentStatus.values}
    return list(rows.values())


def _surveys(programme: Programme, cities: list[City]) -> list[SurveyRow]:
    """Per round, the cities' surveys by state, from the campaigns' dates and stored releases only."""
    by_pk = {city.pk: city for city in cities}
    rows = {value: SurveyRow(value, str(label)) for value, label in Round.choices}
    seen: dict[str, set[int]] = defaultdict(set)
    campaigns = (
        SatCampaign.objects.filter(city__programme=programme)
        .annotate(released_count=KT("released_results__responses"), released_too_few=KT("released_results__too_few"))
        .values_list(
            "city_id",
            "round",
            "closes_on",
            "closed_on",
            "released_at",
            "released_count",
            "released_too_few",
            "invitations_sent",
        )
    )
    local_today: dict[str, dt.date] = {}
    for city_id, round_, closes_on, closed_on, released_at, count, too_few, invited in campaigns:
        row, city = rows.get(round_), by_pk.get(city_id)
        if row is None or city is None:
            continue
        seen[round_].add(city_id)
        if released_at is not None:
            if too_few in (True, "true", "1", 1) or count is None:
                row.too_few += 1
            else:
                row.released += 1
                row.answers += int(count)
                row.invited += invited
            continue
        if city.time_zone not in local_today:
            local_today[city.time_zone] = timezone.localtime(timezone=_zone(city.time_zone)).date()
        if closed_on is not None or closes_on < local_today[city.time_zone]:
            row.awaiting_release += 1
        else:
            row.open += 1
    for value, row in rows.items():
        row.none = len(cities) - len(seen[value])
    return list(rows.values())


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def build(programme: Programme, *, today: dt.date, now: dt.datetime) -> Dashboard:
    cities = list(City.objects.filter(programme=programme).select_related("current_phase").order_by("name"))
    prefetch_related_objects([programme], "phases")
    phases = list(programme.phases.all())
    expected = programme.phase_on(today)
    milestones, cities_late = _milestones(programme, cities, today)
    kpi_statuses, kpis_missing, kpi_cycle = _kpis(programme, today)
    events, shared_held, shared_planned = _events(programme, phases, now)
    return Dashboard(
        today=today,
        cities=len(cities),
        expected=expected,
        phases=_phases(programme, cities, phases, today),
        milestones=milestones,
        cities_late=cities_late,
        kpi_statuses=kpi_statuses,
        kpis_missing=kpis_missing,
        kpi_cycle=kpi_cycle,
        events=events,
        shared_held=shared_held,
        shared_planned=shared_planned,
        tags=_tags(programme, now),
        surveys=_surveys(programme, cities),
        map_cities=[
            MapCity(city, city.phase_status(today, expected))
            for city in cities
            if city.latitude is not None and city.longitude is not None
        ],
    )
