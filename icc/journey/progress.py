"""Read-only views of where cities stand: deliverables, achievements, the cohort, what's next.

Every function here issues a fixed number of queries however many cities there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.cities.models import City, CityType, country_name
from icc.journey.models import (
    Achievement,
    AchievementItem,
    Event,
    EventStatus,
    FollowUp,
    Milestone,
    Submission,
    SubmissionStatus,
    city_type_keys,
)
from icc.programmes.models import Programme


def _applies(city_types: list[str], city: City) -> bool:
    return bool(set(city_types) & city_type_keys(city))


@dataclass
class DeliverableRow:
    milestone: Milestone
    latest: Submission | None
    state: str
    label: str


def _state(milestone: Milestone, latest: Submission | None, today: dt.date) -> tuple[str, str]:
    if latest is None:
        return ("late", str(_("Late"))) if milestone.due_on < today else ("due", str(_("Not submitted yet")))
    return latest.status, str(latest.get_status_display())


def deliverable_rows(city: City, today: dt.date) -> list[DeliverableRow]:
    milestones = Milestone.objects.filter(deliverable_type__programme_id=city.programme_id).select_related(
        "deliverable_type"
    )
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(city=city).order_by("milestone_id", "number"):
        latest[submission.milestone_id] = submission
    rows = []
    for milestone in milestones:
        if _applies(milestone.deliverable_type.city_types, city):
            state, label = _state(milestone, latest.get(milestone.pk), today)
            rows.append(DeliverableRow(milestone, latest.get(milestone.pk), state, label))
    return rows


def achievement_groups(city: City) -> list[tuple[Any, list[tuple[AchievementItem, Achievement | None]]]]:
    items = AchievementItem.objects.filter(phase__programme_id=city.programme_id).select_related("phase")
    done = {
        a.item_id: a
        for a in Achievement.objects.filter(city=city).select_related(
            "ticked_by", "evidence_event", "evidence_submission__milestone"
        )
    }
    groups: dict[Any, list[tuple[AchievementItem, Achievement | None]]] = defaultdict(list)
    for item in items:
        if _applies(item.city_types, city):
            groups[item.phase].append((item, done.get(item.pk)))
    return list(groups.items())


@dataclass
class CitySummary:
    late_deliverables: int
    events_not_held: int
    overdue_follow_ups: int
    achievements_done: int
    achievements_total: int


def city_summary(city: City, today: dt.date) -> CitySummary:
    row = cohort_rows(city.programme, City.objects.filter(pk=city.pk), today)[0]
    return row.summary


# The cohort ---------------------------------------------------------------------------


@dataclass
class CohortRow:
    city: City
    summary: CitySummary
    risk: int | None = None  # the early warning's latest score, in per cent

    @property
    def flags(self) -> int:
        s = self.summary
        return s.late_deliverables + s.events_not_held + s.overdue_follow_ups


def cohort_rows(programme: Programme, cities: Any, today: dt.date) -> list[CohortRow]:
    city_list = list(cities.select_related("current_phase", "track"))
    ids = [c.pk for c in city_list]
    now = timezone.now()
    not_held = dict(
        Event.objects.filter(city_id__in=ids, status=EventStatus.PLANNED, ends_at__lt=now)
        .values_list("city_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overdue = dict(
        FollowUp.objects.filter(city_id__in=ids, done_at__isnull=True, due_on__lt=today)
        .values_list("city_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    submitted = set(Submission.objects.filter(city_id__in=ids).values_list("city_id", "milestone_id").distinct())
    due = list(
        Milestone.objects.filter(deliverable_type__programme=programme, due_on__lt=today).select_related(
            "deliverable_type"
        )
    )
    items = list(AchievementItem.objects.filter(phase__programme=programme).values_list("pk", "phase_id", "city_types"))
    ticked = set(Achievement.objects.filter(city_id__in=ids).values_list("city_id", "item_id"))
    risks = _latest_risks(ids)
    rows = []
    for city in city_list:
        keys = city_type_keys(city)
        late = sum(1 for m in due if keys & set(m.deliverable_type.city_types) and (city.pk, m.pk) not in submitted)
        phase_items = [pk for pk, phase_id, types in items if phase_id == city.current_phase_id and keys & set(types)]
        rows.append(
            CohortRow(
                city,
                CitySummary(
                    late_deliverables=late,
                    events_not_held=not_held.get(city.pk, 0),
                    overdue_follow_ups=overdue.get(city.pk, 0),
                    achievements_done=sum(1 for pk in phase_items if (city.pk, pk) in ticked),
                    achievements_total=len(phase_items),
                ),
                risk=risks.get(city.pk),
            )
        )
    return rows


def _latest_risks(ids: list[int]) -> dict[int, int]:
    """Each city's latest early-warning score in per cent (the scores are worked out for a
    whole edition at once, so the latest day is the same for all of them)."""
    from icc.reports.models import RiskScore

    scores = RiskScore.objects.filter(city_id__in=ids)
    latest = scores.order_by("-on").values_list("on", flat=True).first()
    if latest is None:
        return {}
    return {city: round(score * 100) for city, score in scores.filter(on=latest).values_list("city_id", "score")}


COHORT_SORTS = {
    "name": lambda r: r.city.name,
    "country": lambda r: (country_name(r.city.country), r.city.name),
    "phase": lambda r: (r.city.current_phase.order if r.city.current_phase else -1, r.city.name),
    "late": lambda r: (r.summary.late_deliverables, r.city.name),
    "not-held": lambda r: (r.summary.events_not_held, r.city.name),
    "overdue": lambda r: (r.summary.overdue_follow_ups, r.city.name),
    "achievements": lambda r: (r.summary.achievements_done / (r.summary.achievements_total or 1), r.city.name),
    "risk": lambda r: (-1 if r.risk is None else r.risk, r.city.name),
}
COHORT_COLUMNS = [
    ("name", gettext_lazy("City")),
    ("country", gettext_lazy("Country")),
    ("phase", gettext_lazy("Current phase")),
    ("achievements", gettext_lazy("Phase achievements")),
    ("late", gettext_lazy("Late deliverables")),
    ("not-held", gettext_lazy("Past events not held")),
    ("overdue", gettext_lazy("Overdue follow-ups")),
    ("risk", gettext_lazy("Risk of falling behind")),
]
COHORT_CSV_HEADER = [
    "city",
    "country",
    "type",
    "track",
    "current_phase",
    "achievements_done",
    "achievements_total",
    "late_deliverables",
    "events_not_held",
    "overdue_follow_ups",
    "risk_percent",
]


@dataclass
class CohortReport:
    rows: list[CohortRow]
    sort: str
    filters: dict[str, str]
    ignored: list[str] = field(default_factory=list)
    columns: list[dict[str, Any]] = field(default_factory=list)
    # (code, name) of the edition's countries, by name, for the country filter.
    countries: list[tuple[str, str]] = field(default_factory=list)


def cohort(programme: Programme, params: QueryDict, *, today: dt.date) -> CohortReport:
    cities = City.objects.filter(programme=programme)
    filters: dict[str, str] = {}
    ignored: list[str] = []
    countries = set(cities.order_by().values_list("country", flat=True).distinct())
    choices = {
        "country": countries,
        "type": set(CityType.values),
        "track": set(programme.themes.values_list("slug", flat=True)),
        "attention": {"late", "not-held", "overdue", "any"},
    }
    for name, allowed in choices.items():
        value = params.get(name, "")
        if not value:
            continue
        if value in allowed:
            filters[name] = value
        else:
            ignored.append(
                _("The “%(name)s” filter was ignored: “%(value)s” is not one of its values.")
                % {"name": name, "value": value[:40]}
            )
    if "country" in filters:
        cities = cities.filter(country=filters["country"])
    if "type" in filters:
        cities = cities.filter(type=filters["type"])
    if "track" in filters:
        cities = cities.filter(track__slug=filters["track"])
    rows = cohort_rows(programme, cities, today)
    attention = filters.get("attention")
    if attention:
        key = {"late": "late_deliverables", "not-held": "events_not_held", "overdue": "overdue_follow_ups"}.get(
            attention
        )
        rows = [r for r in rows if (getattr(r.summary, key) if key else r.flags) > 0]
    sort = params.get("sort", "name")
    if sort.lstrip("-") not in COHORT_SORTS:
        ignored.append(_("Unknown sort order ignored."))
        sort = "name"
    rows.sort(key=COHORT_SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))
    report = CohortReport(
        rows=rows,
        sort=sort,
        filters=filters,
        ignored=ignored,
        countries=sorted(((code, country_name(code)) for code in countries), key=lambda item: item[1]),
    )
    for key, label in COHORT_COLUMNS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else "none"
        query = params.copy()
        query["sort"] = f"-{key}" if state == "ascending" else key
        query.pop("format", None)
        report.columns.append({"key": key, "label": label, "aria_sort": state, "query": query.urlencode()})
    return report


def cohort_csv_rows(rows: list[CohortRow]) -> list[list[Any]]:
    return [
        [
            r.city.name,
            r.city.country,
            r.city.type,
            r.city.track.slug if r.city.track else "",
            r.city.current_phase.key if r.city.current_phase else "",
            r.summary.achievements_done,
            r.summary.achievements_total,
            r.summary.late_deliverables,
            r.summary.events_not_held,
            r.summary.overdue_follow_ups,
            "" if r.risk is None else r.risk,
        ]
        for r in rows
    ]


# What's next --------------------------------------------------------------------------


@dataclass
class WhatsNext:
    events: list[Event]
    follow_ups: list[FollowUp]
    deliverables: list[tuple[City, DeliverableRow]]


def whats_next(person: Any, cities: list[City], *, days: int = 45) -> WhatsNext:
    now = timezone.now()
    today = timezone.localdate()
    horizon = now + dt.timedelta(days=days)
    city_ids = [c.pk for c in cities]
    programme_ids = {c.programme_id for c in cities}
    events = list(
        Event.objects.for_cities(cities)
        .filter(ends_at__gte=now, starts_at__lte=horizon)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("event_type", "city")
        .order_by("starts_at")[:8]
    )
    follow_ups = list(
        FollowUp.objects.filter(Q(owner_id=person.pk) | Q(city_id__in=city_ids), done_at__isnull=True)
        .select_related("owner", "city", "event")
        .order_by("due_on")[:20]
    )
    deliverables = []
    milestones = list(
        Milestone.objects.filter(
            deliverable_type__programme_id__in=programme_ids, due_on__lte=today + dt.timedelta(days=days)
        ).select_related("deliverable_type")
    )
    submissions: dict[tuple[int, int], Submission] = {}
    for submission in Submission.objects.filter(city_id__in=city_ids).order_by("number"):
        submissions[(submission.city_id, submission.milestone_id)] = submission
    for city in cities:
        for milestone in milestones:
            if milestone.deliverable_type.programme_id != city.programme_id or not _applies(
                milestone.deliverable_type.city_types, city
            ):
                continue
            latest = submissions.get((city.pk, milestone.pk))
            if latest is not None and latest.status == SubmissionStatus.ACCEPTED:
                continue
            state, label = _state(milestone, latest, today)
            deliverables.append((city, DeliverableRow(milestone, latest, state, label)))
    deliverables.sort(key=lambda pair: pair[1].milestone.due_on)
    return WhatsNext(events, follow_ups, deliverables[:20])
