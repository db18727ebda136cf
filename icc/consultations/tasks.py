"""Background work: forgetting personal answers, unconfirmed answers and the hashes of the
addresses answers were confirmed from, on time.

The worker runs these whenever they are enqueued: when a consultation opens, each is
queued for the moment it is due (with a backend that can wait, such as the database
queue of ``manage.py db_worker``); ``manage.py tidy_consultations`` runs them all at
once, for a daily schedule. Each looks at every consultation, so running one again, or
late, only finishes what is due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from icc.consultations import actions


@task()
def erase_personal_answers() -> int:
    return actions.erase_personal_answers()


@task()
def forget_unconfirmed_submissions() -> int:
    return actions.forget_unconfirmed()


@task()
def forget_email_keys() -> int:
    return actions.forget_email_keys()


def defer(work: Any, when: dt.datetime) -> None:
    """Queue ``work`` to run at ``when`` where the backend can wait; a backend that runs
    work at once (the default, in-process) leaves it to the daily command."""
    if work.get_backend().supports_defer:
        work.using(run_after=when).enqueue()
