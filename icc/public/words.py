"""What the public pages call a KPI's progress and an action's status, in citizens' words.

The programme's own pages use the monitoring terms ("moderate progress", "deterioration");
a resident reads these instead. They live here, in the public side's catalogue, so that
every word a citizen sees is translated with the public pages.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icc.roadmaps.models import ActionStatus
from icc.roadmaps.progress import Status

# The order a dashboard lists statuses in: what went well first.
STATUS_ORDER = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.MODERATE,
    Status.INSUFFICIENT,
    Status.DETERIORATION,
    Status.NO_DATA,
)

KPI_STATUS: dict[Status, Promise] = {
    Status.ACHIEVED: pgettext_lazy("progress of a target", "Target reached"),
    Status.ON_TRACK: pgettext_lazy("progress of a target", "On track"),
    Status.MODERATE: pgettext_lazy("progress of a target", "Moving, but slowly"),
    Status.INSUFFICIENT: pgettext_lazy("progress of a target", "Needs more effort"),
    Status.DETERIORATION: pgettext_lazy("progress of a target", "Going the wrong way"),
    Status.NO_DATA: pgettext_lazy("progress of a target", "No new figure yet"),
}

KPI_STATUS_EXPLAINED: dict[Status, Promise] = {
    Status.ACHIEVED: _("The latest figure meets the target."),
    Status.ON_TRACK: _("The figure is moving towards the target as fast as planned."),
    Status.MODERATE: _("The figure is moving towards the target, but more slowly than planned."),
    Status.INSUFFICIENT: _("The figure has hardly moved towards the target yet."),
    Status.DETERIORATION: _("The figure has moved away from the target since the start."),
    Status.NO_DATA: _("No figure has been measured since the starting point."),
}

ACTION_STATUS: dict[str, Promise] = {
    ActionStatus.PLANNED: pgettext_lazy("status of a city action", "Planned"),
    ActionStatus.IN_PROGRESS: pgettext_lazy("status of a city action", "Under way"),
    ActionStatus.DONE: pgettext_lazy("status of a city action", "Done"),
    ActionStatus.DELAYED: pgettext_lazy("status of a city action", "Taking longer than planned"),
    ActionStatus.DROPPED: pgettext_lazy("status of a city action", "Stopped"),
}


def kpi_status(status: Status | str) -> str:
    return str(KPI_STATUS[Status(status)])


def action_status(status: str) -> str:
    return str(ACTION_STATUS.get(status, ACTION_STATUS[ActionStatus.PLANNED]))
