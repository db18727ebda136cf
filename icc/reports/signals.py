"""What the platform knows about each city of an edition, as the early warning's signals:
a fixed number of grouped queries for any number of cities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from icc.assessments.models import SatCampaign
from icc.cities.models import City, Role, RoleKind
from icc.core.models import AuditEntry
from icc.journey.models import Event, EventStatus, FollowUp, Milestone, Submission, city_type_keys
from icc.programmes.models import Programme
from icc.reports.risk import Signals
from icc.roadmaps import kpis as kpi_module
from icc.roadmaps import progress
from icc.roadmaps.models import KPI

# The events looked at: about four fortnightly calls.
EVENT_WINDOW = dt.timedelta(weeks=8)
# Whose changes count as the city's team being at work.
TEAM_ROLES = (RoleKind.CITY_REP, RoleKind.MAYOR, RoleKind.MENTOR_REP)


def gather(programme: Programme, cities: list[City], *, now: dt.datetime | None = None) -> dict[int, Signals]:
    """The signals of each of ``cities`` (all of ``programme``) at ``now``, by city id."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = [city.pk for city in cities]
    not_held = _counts(
        Event.objects.filter(
            city_id__in=ids, status=EventStatus.PLANNED, ends_at__lt=now, ends_at__gte=now - EVENT_WINDOW
        )
    )
    overdue = _counts(FollowUp.objects.filter(city_id__in=ids, done_at__isnull=True, due_on__lt=today))
    late = _late_deliverables(programme, cities, today)
    kpi_counts = _kpis(programme, ids, today)
    inactive = _weeks_inactive(programme, ids, now)
    surveys = _surveys(ids)
    result = {}
    for city in cities:
        total, missing, worse = kpi_counts.get(city.pk, (0, 0, 0))
        invited, answered = surveys.get(city.pk, (0, 0))
        result[city.pk] = Signals(
            late_deliverables=late.get(city.pk, 0),
            events_not_held=not_held.get(city.pk, 0),
            kpis=total,
            kpis_not_updated=missing,
            kpis_deteriorating=worse,
            overdue_follow_ups=overdue.get(city.pk, 0),
            weeks_inactive=inactive.get(city.pk, 0),
            survey_invited=invited,
            survey_answered=answered,
        )
    return result


def _counts(rows: Any) -> dict[int, int]:
    return dict(rows.values_list("city_id").annotate(n=Count("pk")).order_by())


def _late_deliverables(programme: Programme, cities: list[City], today: dt.date) -> dict[int, int]:
    due = list(
        Milestone.objects.filter(deliverable_type__programme=programme, due_on__lt=today).values_list(
            "pk", "deliverable_type__city_types"
        )
    )
    submitted = set(
        Submission.objects.filter(city__in=cities, milestone__due_on__lt=today)
        .values_list("city_id", "milestone_id")
        .distinct()
    )
    return {
        city.pk: sum(1 for pk, types in due if city_type_keys(city) & set(types) and (city.pk, pk) not in submitted)
        for city in cities
    }


def _kpis(programme: Programme, ids: list[int], today: dt.date) -> dict[int, tuple[int, int, int]]:
    """Per city: its KPIs, those without their update for the last ended cycle, those deteriorating."""
    cycle = kpi_module.due_cycle(programme, today)
    found = kpi_module.with_update_for(kpi_module.with_latest(KPI.objects.filter(city_id__in=ids)), cycle)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for kpi in found.order_by():
        row = counts[kpi.city_id]
        row[0] += 1
        row[1] += kpi_module.is_missing(kpi, cycle)
        row[2] += kpi_module.assess(kpi).status == progress.Status.DETERIORATION
    return {pk: (total, missing, worse) for pk, (total, missing, worse) in counts.items()}


def _weeks_inactive(programme: Programme, ids: list[int], now: dt.datetime) -> dict[int, int]:
    """Whole weeks since anyone of the city's team changed anything (since the edition began
    when nobody ever did)."""
    team = list(
        Role.objects.filter(programme=programme, city_id__in=ids, kind__in=TEAM_ROLES).values_list(
            "city_id", "person_id"
        )
    )
    last_by_person = dict(
        AuditEntry.objects.filter(actor_id__in={person for _city, person in team}, at__lte=now)
        .values_list("actor_id")
        .annotate(last=Max("at"))
        .order_by()
    )
    began = dt.datetime.combine(programme.starts_on, dt.time(), tzinfo=dt.UTC) if programme.starts_on else now
    last: dict[int, dt.datetime] = dict.fromkeys(ids, began)
    for city_id, person_id in team:
        seen = last_by_person.get(person_id)
        if seen is not None and seen > last[city_id]:
            last[city_id] = seen
    return {pk: max((now - seen).days // 7, 0) for pk, seen in last.items()}


def _surveys(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per city, the invitations and the released (noisy, rounded) number of answers of its
    latest released survey. An open survey says nothing: its count of answers is never read,
    so watching the score cannot tell when someone answered."""
    result: dict[int, tuple[int, int]] = {}
    released = (
        SatCampaign.objects.filter(city_id__in=ids, released_at__isnull=False)
        .filter(~Q(invitations_sent=0))
        .order_by("city_id", "-released_at")
        .values_list("city_id", "invitations_sent", "released_results")
    )
    for city_id, invited, results in released:
        if city_id in result:
            continue
        answered = 0 if not results or results.get("too_few") else int(results.get("responses") or 0)
        result[city_id] = (invited, min(answered, invited))
    return result
