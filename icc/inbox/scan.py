"""The daily scan: the notices that come from the calendar rather than from someone's change.

Run once a day by the background worker (:mod:`icc.inbox.tasks`) or ``manage.py
send_digests``; each notice has a key naming what it is about and the date it concerns,
so running the scan again the same day, or every hour, tells nobody twice.

- **KPI update due / late.** A KPI's next update is due one reporting period after its
  latest value (or its baseline, before the first value): a month, a quarter or a year
  later; for a KPI reported once a cycle, at the end of the first cycle that starts after
  that value (only a value measured within a cycle counts for it, as on the KPI pages).
  It is never later than the KPI's target date, and none is due once a value on or after
  the target date is in. A week before that day the city's representatives are told the
  update is due; the day after it passes without a value, that it is late.
- **TAG session tomorrow.** Sessions starting on the next calendar day (programme time):
  the representatives of the member cities and of the mentor city (not for a progress
  tracker, which is held without the mentor), the member cities' lead experts and the
  thematic experts of the TAG's theme.
- **Follow-up overdue.** Open follow-ups whose day has passed, to their owner.
- **Action past its end.** Open actions (planned, in progress, delayed) whose end date has
  passed, to their owner: the person, or the people of the owning organisation.

Follow-ups and actions that went overdue more than :data:`LOOKBACK` ago are left alone,
so that a first run does not bury people under old news. Read notices older than
:data:`KEEP_READ` are deleted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone

from icc.cities.models import Role, RoleKind
from icc.cities.roles import CITY_SPEAKERS
from icc.inbox import actions
from icc.inbox.models import Kind, Notification

DUE_NOTICE = dt.timedelta(days=7)
LOOKBACK = dt.timedelta(days=30)
KEEP_READ = dt.timedelta(days=180)
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan → 28 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_update(frequency: str, last: dt.date, cycle_spans: list[tuple[dt.date, dt.date]]) -> dt.date | None:
    """When the update after a value measured on ``last`` is due (None: no cycle left to report on)."""
    if frequency in MONTHS:
        return add_months(last, MONTHS[frequency])
    return next((ends for starts, ends in cycle_spans if starts > last), None)


def _row(person_id: int, programme_id: int, kind: str, target_id: int, key: str, **params: Any) -> Notification:
    return Notification(
        person_id=person_id, programme_id=programme_id, kind=kind, target_id=target_id, key=key, params=params
    )


def _people_by_city(city_ids: set[int], kinds: tuple[str, ...]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for city_id, person_id in Role.objects.filter(city_id__in=city_ids, kind__in=kinds).values_list(
        "city_id", "person_id"
    ):
        found[city_id].add(person_id)
    return found


def kpi_notices(today: dt.date) -> list[Notification]:
    from icc.programmes.models import Cycle
    from icc.roadmaps.kpis import with_latest
    from icc.roadmaps.models import KPI

    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for programme_id, starts, ends in Cycle.objects.order_by("number").values_list(
        "programme_id", "starts_on", "ends_on"
    ):
        spans[programme_id].append((starts, ends))
    fields = ("pk", "city_id", "city__programme_id", "frequency", "baseline_date", "target_date", "latest_date")
    kpis: Any = with_latest(KPI.objects.all()).values_list(*fields)
    due: list[tuple[int, int, int, str, dt.date]] = []
    for pk, city_id, programme_id, frequency, baseline, target, latest in kpis:
        last = latest or baseline
        if last >= target:
            continue
        day = next_update(frequency, last, spans[programme_id])
        if day is None:
            continue
        day = min(day, target)
        if day < today:
            due.append((pk, city_id, programme_id, Kind.KPI_LATE, day))
        elif day <= today + DUE_NOTICE:
            due.append((pk, city_id, programme_id, Kind.KPI_DUE, day))
    reps = _people_by_city({row[1] for row in due}, CITY_SPEAKERS)
    return [
        _row(person, programme_id, kind, pk, f"{kind}:{pk}:{day.isoformat()}", due=day.isoformat())
        for pk, city_id, programme_id, kind, day in due
        for person in sorted(reps.get(city_id, ()))
    ]


def session_notices(today: dt.date) -> list[Notification]:
    from icc.tags.models import Membership, Session, SessionKind

    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    sessions = list(
        Session.objects.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)).select_related("tag")
    )
    if not sessions:
        return []
    tag_ids = {s.tag_id for s in sessions}
    members: dict[int, set[int]] = defaultdict(set)
    for tag_id, city_id in Membership.objects.filter(tag_id__in=tag_ids).values_list("tag_id", "city_id"):
        members[tag_id].add(city_id)
    mentors = {s.tag_id: s.tag.mentor_id for s in sessions}
    themes = {s.tag_id: s.tag.theme_id for s in sessions}
    cities = set().union(*members.values(), mentors.values())
    roles = Role.objects.filter(
        Q(city_id__in=cities, kind__in=(*CITY_SPEAKERS, RoleKind.LEAD_EXPERT))
        | Q(theme_id__in={t for t in themes.values() if t}, kind=RoleKind.THEMATIC_EXPERT)
    ).values_list("person_id", "kind", "city_id", "theme_id")
    by_city: dict[int, list[tuple[int, str]]] = defaultdict(list)
    by_theme: dict[int, set[int]] = defaultdict(set)
    for person_id, kind, city_id, theme_id in roles:
        if city_id:
            by_city[city_id].append((person_id, kind))
        elif theme_id:
            by_theme[theme_id].add(person_id)
    rows = []
    for session in sessions:
        people = set(by_theme.get(themes[session.tag_id] or 0, ()))
        for city_id in members[session.tag_id]:
            people |= {p for p, kind in by_city[city_id] if kind in (RoleKind.CITY_REP, RoleKind.LEAD_EXPERT)}
        if session.kind == SessionKind.WORKING:
            people |= {p for p, kind in by_city[mentors[session.tag_id]] if kind in CITY_SPEAKERS}
        key = f"session:{session.pk}:{timezone.localdate(session.starts_at).isoformat()}"
        rows += [_row(p, session.tag.programme_id, Kind.SESSION_TOMORROW, session.pk, key) for p in sorted(people)]
    return rows


def follow_up_notices(today: dt.date) -> list[Notification]:
    from icc.journey.models import FollowUp

    overdue = FollowUp.objects.filter(done_at=None, due_on__lt=today, due_on__gte=today - LOOKBACK).values_list(
        "pk", "owner_id", "city__programme_id", "due_on"
    )
    return [
        _row(owner, programme_id, Kind.FOLLOW_UP_OVERDUE, pk, f"follow-up:{pk}:{due_on.isoformat()}")
        for pk, owner, programme_id, due_on in overdue
    ]


def action_notices(today: dt.date) -> list[Notification]:
    from icc.roadmaps.models import OPEN_STATUSES, Action

    overdue = list(
        Action.objects.filter(status__in=OPEN_STATUSES, ends_on__lt=today, ends_on__gte=today - LOOKBACK).values_list(
            "pk", "city__programme_id", "ends_on", "owner_person_id", "owner_organisation_id"
        )
    )
    staff: dict[int, set[int]] = defaultdict(set)
    organisations = {row[4] for row in overdue if row[4]}
    for organisation_id, person_id in Role.objects.filter(organisation_id__in=organisations).values_list(
        "organisation_id", "person_id"
    ):
        staff[organisation_id].add(person_id)
    rows = []
    for pk, programme_id, ends_on, person_id, organisation_id in overdue:
        owners = {person_id} if person_id else staff.get(organisation_id or 0, set())
        key = f"action:{pk}:{ends_on.isoformat()}"
        rows += [_row(p, programme_id, Kind.ACTION_OVERDUE, pk, key) for p in sorted(owners)]
    return rows


def prune(now: dt.datetime) -> int:
    return Notification.objects.filter(read_at__lt=now - KEEP_READ).delete()[0]


def scan(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Make today's notices; returns how many of each were new."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    counts = {}
    for name, make in (
        ("kpi", kpi_notices),
        ("session", session_notices),
        ("follow-up", follow_up_notices),
        ("action", action_notices),
    ):
        before = Notification.objects.count()
        actions.create([_stamped(row, now) for row in make(today)])
        counts[name] = Notification.objects.count() - before
    counts["pruned"] = prune(now)
    return counts


def _stamped(row: Notification, now: dt.datetime) -> Notification:
    row.created_at = now
    return row
