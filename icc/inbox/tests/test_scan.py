"""The daily scan (KPI updates due and late, TAG sessions tomorrow, follow-ups and actions
overdue), idempotent by key, and the background worker that runs it every day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from conftest import PERSONAS, Cast
from icc.inbox.models import Kind, Notification
from icc.inbox.scan import add_months, next_update, scan
from icc.inbox.tests.conftest import World
from icc.journey.actions import complete_follow_up
from icc.roadmaps.actions import add_measurement
from icc.roadmaps.models import Measurement
from icc.tags.models import SessionKind

pytestmark = pytest.mark.django_db


def _told(cast: Cast, kind: str, **about: Any) -> set[str]:
    ids = set(Notification.objects.filter(kind=kind, **about).values_list("person_id", flat=True))
    return {p for p in PERSONAS if cast.people[p] is not None and cast.person(p).pk in ids}


def test_months_are_added_to_the_last_day_of_a_shorter_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    cycles = [(dt.date(2026, 1, 1), dt.date(2026, 5, 31)), (dt.date(2026, 6, 1), dt.date(2026, 10, 31))]
    assert next_update("cycle", dt.date(2025, 12, 1), cycles) == dt.date(2026, 5, 31)
    assert next_update("cycle", dt.date(2026, 2, 1), cycles) == dt.date(2026, 10, 31)
    assert next_update("cycle", dt.date(2026, 7, 1), cycles) is None
    assert next_update("quarterly", dt.date(2026, 2, 1), cycles) == dt.date(2026, 5, 1)


def test_a_kpi_update_is_due_a_week_ahead_then_late_once_and_a_new_value_answers_both(world: World) -> None:
    cast, kpi = world.cast, world.roadmap.kpi
    due = add_months(kpi.measurements.get().date, 1)  # monthly, after its one value
    assert scan(today=due - dt.timedelta(days=8))["kpi"] == 0
    assert scan(today=due - dt.timedelta(days=7))["kpi"] == 1
    assert scan(today=due - dt.timedelta(days=2))["kpi"] == 0  # the same reminder
    assert _told(cast, Kind.KPI_DUE) == {"rep_a"}
    assert scan(today=due)["kpi"] == 0
    assert scan(today=due + dt.timedelta(days=1))["kpi"] == 1
    assert scan(today=due + dt.timedelta(days=9))["kpi"] == 0
    late = Notification.objects.get(kind=Kind.KPI_LATE)
    assert (late.person, late.target_id, late.params) == (cast.person("rep_a"), kpi.pk, {"due": due.isoformat()})
    add_measurement(kpi=kpi, measurement=Measurement(date=due, value=980, source="Meters"), by=cast.person("rep_a"))
    assert not Notification.objects.filter(kind__in=[Kind.KPI_DUE, Kind.KPI_LATE], read_at=None).exists()
    page = cast.client_for("rep_a").get("/inbox/").content.decode()
    assert "Energy use of public buildings: update due" in page


def test_no_update_is_due_once_the_target_date_has_its_value(world: World) -> None:
    kpi = world.roadmap.kpi
    Measurement.objects.create(kpi=kpi, date=kpi.target_date, value=800, source="Meters")
    assert scan(today=kpi.target_date + dt.timedelta(days=60))["kpi"] == 0


@pytest.mark.parametrize("kind", [SessionKind.WORKING, SessionKind.TRACKER])
def test_the_people_of_a_tag_hear_of_its_session_the_day_before(world: World, kind: str) -> None:
    cast = world.cast
    session = world.tags.tag.sessions.filter(kind=kind).order_by("starts_at").first()
    assert session is not None
    day = timezone.localdate(session.starts_at)
    assert scan(today=day - dt.timedelta(days=2))["session"] == 0
    scan(today=day - dt.timedelta(days=1))
    expected = {"rep_a", "rep_b", "lead_expert", "thematic_expert"}
    told = _told(cast, Kind.SESSION_TOMORROW, target_id=session.pk)
    assert told == (expected | {"mentor"} if kind == SessionKind.WORKING else expected)
    assert scan(today=day - dt.timedelta(days=1))["session"] == 0
    page = cast.client_for("rep_b").get("/inbox/").content.decode()
    assert str(session) in page and "TAG 1" in page


def test_an_overdue_follow_up_reaches_its_owner_once_and_closing_it_answers_it(world: World) -> None:
    cast, follow_up = world.cast, world.journey.follow_up_a
    assert scan(today=follow_up.due_on)["follow-up"] == 0
    assert scan(today=follow_up.due_on + dt.timedelta(days=1))["follow-up"] == 1
    assert scan(today=follow_up.due_on + dt.timedelta(days=2))["follow-up"] == 0
    assert _told(cast, Kind.FOLLOW_UP_OVERDUE) == {"rep_a"}
    complete_follow_up(follow_up=follow_up, by=cast.person("rep_a"))
    assert Notification.objects.get(kind=Kind.FOLLOW_UP_OVERDUE).read_at is not None


def test_old_news_is_left_alone_on_a_first_run(world: World) -> None:
    follow_up = world.journey.follow_up_a
    assert scan(today=follow_up.due_on + dt.timedelta(days=45))["follow-up"] == 0


def test_an_action_past_its_end_reaches_its_owner_even_a_stakeholder(world: World) -> None:
    cast, owned = world.cast, world.roadmap.owned
    scan(today=owned.ends_on + dt.timedelta(days=1))
    assert _told(cast, Kind.ACTION_OVERDUE) == {"stakeholder"}  # through their organisation
    page = cast.client_for("stakeholder").get("/inbox/").content.decode()
    assert "Audit public buildings (ended" in page


def test_read_notices_are_deleted_after_half_a_year(world: World) -> None:
    old = world.tell("rep_a", Kind.REVIEWED)
    kept = world.tell("rep_a", Kind.SIGN_OFF)
    now = timezone.now()
    Notification.objects.filter(pk__in=[old.pk, kept.pk]).update(created_at=now - dt.timedelta(days=400))
    Notification.objects.filter(pk=old.pk).update(read_at=now - dt.timedelta(days=200))
    assert scan(now=now)["pruned"] == 1
    assert list(Notification.objects.filter(pk__in=[old.pk, kept.pk]).values_list("pk", flat=True)) == [kept.pk]


# The background worker --------------------------------------------------------------------


def test_the_daily_task_makes_the_notices_and_sends_the_digests(world: World) -> None:
    from icc.inbox.tasks import daily, schedule

    follow_up = world.journey.follow_up_a
    assert schedule() is False  # the in-process backend cannot wait: a daily timer runs the command
    Notification.objects.all().delete()
    world.tell("rep_a", Kind.REVIEWED)
    result = daily.enqueue()
    assert result.return_value is not None
    # The run scores the cities first: the ones it flags are news for their followers too.
    flagged = Notification.objects.filter(kind=Kind.RISK_FLAGGED)
    assert result.return_value["flagged"] == flagged.values("target_id").distinct().count()
    told = sorted(m.to[0] for m in mail.outbox)
    expected = sorted({"rep_a@example.org", *flagged.values_list("person__email", flat=True)})
    assert told == expected
    assert result.return_value["digests"]["weekly"] == len(told)
    assert follow_up.pk


def test_with_a_waiting_backend_one_run_is_queued_for_six_and_each_run_queues_the_next(
    world: World, settings: Any
) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from icc.inbox.tasks import daily, next_run, schedule

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert schedule() is True
    assert schedule() is False  # one waits already
    [queued] = DBTaskResult.objects.all()
    assert queued.run_after == next_run()
    assert timezone.localtime(queued.run_after).time() == dt.time(6, 0) and queued.run_after > timezone.now()
    # The worker takes it (RUNNING), and the run queues tomorrow's before its work.
    DBTaskResult.objects.filter(pk=queued.pk).update(status=TaskResultStatus.RUNNING)
    daily.call()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.count() == 1 and waiting.get().task_path == daily.module_path


def test_next_run_is_today_at_six_before_six_and_tomorrow_after() -> None:
    from icc.inbox.tasks import next_run

    brussels = timezone.get_default_timezone()
    early = dt.datetime(2026, 3, 2, 5, 0, tzinfo=brussels)
    late = dt.datetime(2026, 3, 2, 7, 0, tzinfo=brussels)
    assert next_run(early) == dt.datetime(2026, 3, 2, 6, 0, tzinfo=brussels)
    assert next_run(late) == dt.datetime(2026, 3, 3, 6, 0, tzinfo=brussels)
