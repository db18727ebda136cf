"""The platform's daily run in the background: the funding matches and early-warning
scores worked out again, the day's notices, then the digests due.

With a backend that can wait (``django_tasks_db``, run by ``manage.py db_worker``, as
``python3 dev.py up`` does), the run queues the next one for the next day at
:data:`RUN_AT` (programme time) before it starts its work, so a run that fails does not
stop the ones after it; ``manage.py schedule_inbox`` queues the first. Only one run is
ever waiting: queueing again while one waits changes nothing. With a backend that runs
work at once (the default, in-process), ``manage.py send_digests`` from a daily timer
does the same work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task

RUN_AT = dt.time(6, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next :data:`RUN_AT` in the programme's time zone, after ``now``."""
    local = timezone.localtime(now or timezone.now())
    when = timezone.make_aware(dt.datetime.combine(local.date(), RUN_AT))
    return (
        when if when > local else timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=1), RUN_AT))
    )


def _waiting() -> bool:
    """Whether a daily run already waits in the database queue."""
    try:
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database queue is installed with the platform
        return False
    if not isinstance(daily.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(task_path=daily.module_path, status=TaskResultStatus.READY).exists()


def schedule(now: dt.datetime | None = None) -> bool:
    """Queue the next daily run where the backend can wait and none waits yet; True if queued."""
    if not daily.get_backend().supports_defer or _waiting():
        return False
    daily.using(run_after=next_run(now)).enqueue()
    return True


def refresh_figures() -> int:
    """The day's derived figures, worked out before the notices so that they speak of them:
    every edition's funding matches (calls open and close by the calendar) and early-warning
    scores. Returns how many cities were newly flagged."""
    from icc.finance import matched
    from icc.programmes.models import Programme
    from icc.reports.actions import refresh_every_edition

    for programme_id in Programme.objects.values_list("pk", flat=True):
        matched.recompute(programme_id=programme_id)
    return refresh_every_edition()


@task()
def daily(*, reschedule: bool = True) -> dict[str, Any]:
    """Make the day's notices and send the digests due; queue tomorrow's run first."""
    from icc.inbox.digest import send_digests
    from icc.inbox.scan import scan
    from icc.privacy.actions import apply_retention

    if reschedule:
        schedule()
    flagged = refresh_figures()
    apply_retention()
    made = scan()
    runs = send_digests()
    return {"notices": made, "flagged": flagged, "digests": {run.frequency: run.sent for run in runs}}
