"""The journey pages, one module per sub-domain; each write has its own small view.

``events``: a city's schedule and one event (move, write up, follow-ups);
``deliverables``: versions of a deliverable, their review, and phase achievements;
``programme``: the edition's multi-city events, cohort, schedules and event catalogue;
``calendars``: calendar subscriptions, the feed, and a person's preferences;
``calls``: an ecosystem call's agenda, agreements and their review;
``visits``: transversal expert visits booked against the city's credit.
"""

from icc.journey.views.calendars import calendar_new, calendar_revoke, calendars, feed, preferences
from icc.journey.views.calls import (
    agenda_add,
    agenda_illustrative,
    agenda_move,
    agenda_remove,
    agreement_add,
    agreement_convert,
    agreement_detail,
    agreement_review,
)
from icc.journey.views.deliverables import (
    achievement_tick,
    achievement_untick,
    achievements,
    deliverable_submit,
    deliverables,
    milestone_detail,
    submission_download,
    submission_review,
)
from icc.journey.views.events import (
    city_journey,
    event_detail,
    event_move,
    event_record,
    follow_up_add,
    follow_up_done,
)
from icc.journey.views.programme import cohort, event_type_edit, event_types, generate, programme_events
from icc.journey.views.visits import visit_book, visit_cancel, visit_report, visits

__all__ = [
    "achievement_tick",
    "achievement_untick",
    "achievements",
    "agenda_add",
    "agenda_illustrative",
    "agenda_move",
    "agenda_remove",
    "agreement_add",
    "agreement_convert",
    "agreement_detail",
    "agreement_review",
    "calendar_new",
    "calendar_revoke",
    "calendars",
    "city_journey",
    "cohort",
    "deliverable_submit",
    "deliverables",
    "event_detail",
    "event_move",
    "event_record",
    "event_type_edit",
    "event_types",
    "feed",
    "follow_up_add",
    "follow_up_done",
    "generate",
    "milestone_detail",
    "preferences",
    "programme_events",
    "submission_download",
    "submission_review",
    "visit_book",
    "visit_cancel",
    "visit_report",
    "visits",
]
