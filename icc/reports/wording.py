"""The early warning's signals and reasons in words, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from icc.core.formatting import format_number
from icc.reports.risk import Part, Signals

SIGNAL_NAMES = {
    "late_deliverables": gettext_lazy("Deliverables late"),
    "events_not_held": gettext_lazy("Events of the last 8 weeks not held"),
    "kpis_not_updated": gettext_lazy("KPIs without their update for the last cycle"),
    "kpis_deteriorating": gettext_lazy("KPIs moving away from their target"),
    "overdue_follow_ups": gettext_lazy("Follow-ups overdue"),
    "weeks_inactive": gettext_lazy("Weeks without a change by the city's team"),
    "low_survey_participation": gettext_lazy("Invited stakeholders who did not answer the latest survey"),
}


def reason(part: Part, signals: Signals) -> str:
    """One signal that adds to a city's score, as a short phrase."""
    n = round(part.value)
    if part.code == "late_deliverables":
        return ngettext("%(n)s deliverable late", "%(n)s deliverables late", n) % {"n": n}
    if part.code == "events_not_held":
        return ngettext("%(n)s event not held", "%(n)s events not held", n) % {"n": n}
    if part.code == "kpis_not_updated":
        missing = signals.kpis_not_updated
        return ngettext(
            "%(n)s of %(total)s KPIs without an update for the last cycle",
            "%(n)s of %(total)s KPIs without an update for the last cycle",
            missing,
        ) % {"n": missing, "total": signals.kpis}
    if part.code == "kpis_deteriorating":
        worse = signals.kpis_deteriorating
        return ngettext(
            "%(n)s of %(total)s KPIs moving away from the target",
            "%(n)s of %(total)s KPIs moving away from the target",
            worse,
        ) % {"n": worse, "total": signals.kpis}
    if part.code == "overdue_follow_ups":
        return ngettext("%(n)s follow-up overdue", "%(n)s follow-ups overdue", n) % {"n": n}
    if part.code == "weeks_inactive":
        return ngettext(
            "no change by the city's team for %(n)s week", "no change by the city's team for %(n)s weeks", n
        ) % {"n": n}
    share = format_number(round(part.value * 100), 0)
    return ngettext(
        "%(share)s %% of the invited stakeholders did not answer the latest survey",
        "%(share)s %% of the invited stakeholders did not answer the latest survey",
        round(part.value * 100),
    ) % {"share": share}


def value_in_words(part: Part, signals: Signals) -> str:
    """A signal's value for the weights table: a count, or a share with what it is of."""
    if part.code in ("kpis_not_updated", "kpis_deteriorating"):
        return f"{format_number(round(part.value * signals.kpis), 0)} / {format_number(signals.kpis, 0)}"
    if part.code == "low_survey_participation":
        return f"{format_number(round(part.value * 100), 0)} %"
    return format_number(round(part.value), 0)
