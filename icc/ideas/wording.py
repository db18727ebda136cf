"""What the public pages and e-mails say about a call, an idea and the roadmap action an
idea became, in plain words of this app's own catalogue (the roadmap's labels are not
translated for citizens)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from icc.ideas.models import CallStatus, IdeaCall, IdeaState


def action_status(status: str) -> str:
    """The status of a roadmap action, as a citizen reads it."""
    words = {
        "planned": pgettext("roadmap action", "The city plans to do this."),
        "in-progress": pgettext("roadmap action", "The city is working on it."),
        "done": pgettext("roadmap action", "Done."),
        "delayed": pgettext("roadmap action", "Under way, but later than planned."),
        "dropped": pgettext("roadmap action", "The city has stopped this action."),
    }
    return words.get(status, "")


def idea_state(state: str) -> str:
    words = {
        IdeaState.PENDING: _("Waiting for the city to read it."),
        IdeaState.PUBLISHED: _("Published."),
        IdeaState.SHORTLISTED: _("On the shortlist."),
        IdeaState.MERGED: _("Merged into a similar idea."),
        IdeaState.DECLINED: _("Not taken forward by the city."),
    }
    return words.get(IdeaState(state), "")


def call_status(call: IdeaCall) -> str:
    """A short label of where the call stands."""
    if call.status == CallStatus.OPEN:
        return pgettext("call for ideas", "Open for ideas")
    if call.status == CallStatus.VOTING:
        return pgettext("call for ideas", "Vote open")
    return pgettext("call for ideas", "Closed")


def cycle_name(number: int) -> str:
    return _("cycle %(number)s") % {"number": number}
