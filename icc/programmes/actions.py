"""Changes to programme editions."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from icc.programmes import defaults
from icc.programmes.models import Cycle, Phase, Programme, Theme, TransversalService


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _span(first_month: dt.date, start_month: int, months: int) -> tuple[dt.date, dt.date]:
    starts_on = add_months(first_month, start_month)
    ends_on = add_months(first_month, start_month + months) - dt.timedelta(days=1)
    return starts_on, ends_on


@transaction.atomic
def create_programme(*, name: str, slug: str, first_month: dt.date, description: str = "") -> Programme:
    """Create an edition with the default phases, cycles, themes and services.

    ``first_month`` is the first day of the edition's first month; every default date is
    counted from it.
    """
    first_month = first_month.replace(day=1)
    last_phase = max(defaults.PHASES, key=lambda p: p.start_month + p.months)
    _, ends_on = _span(first_month, last_phase.start_month, last_phase.months)
    programme = Programme.objects.create(
        name=name, slug=slug, description=description, starts_on=first_month, ends_on=ends_on
    )
    implementation_start = 0
    for order, template in enumerate(defaults.PHASES):
        starts_on, ends_on = _span(first_month, template.start_month, template.months)
        Phase.objects.create(
            programme=programme,
            key=template.key,
            name=template.name,
            order=order,
            starts_on=starts_on,
            ends_on=ends_on,
            former_dcc_only=template.former_dcc_only,
            description=template.description,
        )
        if template.key == defaults.IMPLEMENTATION_PHASE:
            implementation_start = template.start_month
    for number in range(1, defaults.IMPLEMENTATION_CYCLES + 1):
        starts_on, ends_on = _span(
            first_month, implementation_start + (number - 1) * defaults.CYCLE_MONTHS, defaults.CYCLE_MONTHS
        )
        Cycle.objects.create(programme=programme, number=number, starts_on=starts_on, ends_on=ends_on)
    Theme.objects.bulk_create(
        Theme(programme=programme, slug=t.slug, name=t.name, description=t.description, order=i)
        for i, t in enumerate(defaults.THEMES)
    )
    TransversalService.objects.bulk_create(
        TransversalService(programme=programme, slug=s.slug, name=s.name, description=s.description, order=i)
        for i, s in enumerate(defaults.SERVICES)
    )
    return programme


@transaction.atomic
def save_calendar(*, programme: Programme, phases: list[Phase], cycles: list[Cycle], by: Any) -> None:
    """Save changed phase and cycle dates, refusing ones that break the edition's shape."""
    from icc.core.models import AuditKind, record

    all_phases = {p.pk: p for p in programme.phases.all()} | {p.pk: p for p in phases}
    main_line = sorted((p for p in all_phases.values() if not p.former_dcc_only), key=lambda p: p.order)
    for earlier, later in itertools.pairwise(main_line):
        if later.starts_on <= earlier.ends_on:
            raise ValidationError(
                _("%(later)s must start after %(earlier)s ends.") % {"later": later.name, "earlier": earlier.name}
            )
    all_cycles = sorted(
        ({c.pk: c for c in programme.cycles.all()} | {c.pk: c for c in cycles}).values(), key=lambda c: c.number
    )
    for earlier_cycle, later_cycle in itertools.pairwise(all_cycles):
        if later_cycle.starts_on <= earlier_cycle.ends_on:
            raise ValidationError(_("Cycles must not overlap."))
    dated: list[Phase | Cycle] = [*phases, *cycles]
    for item in dated:
        item.save()
        record(
            obj=item,
            action=AuditKind.DATES_CHANGED,
            actor=by,
            changes={"starts_on": str(item.starts_on), "ends_on": str(item.ends_on)},
        )
    if main_line:
        programme.starts_on = min(p.starts_on for p in all_phases.values())
        programme.ends_on = max(p.ends_on for p in all_phases.values())
        programme.save(update_fields=["starts_on", "ends_on"])
