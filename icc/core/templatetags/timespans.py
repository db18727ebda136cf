"""When something happens, written the same way on every page."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def timespan(
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    datetime_format: str = "DATETIME_FORMAT",
    time_format: str = "TIME_FORMAT",
) -> SafeString:
    """Start – end in the active time zone; the end names its day when it is not the start's day.

    A 960-minute lab from 10:00 reads "Mon 5 Oct 2026, 10:00 – Tue 6 Oct 2026, 02:00", not
    "10:00 – 02:00" as if it ended before it began.
    """
    start = _local(starts_at)
    start_html = format_html('<time datetime="{}">{}</time>', start.isoformat(), date_format(start, datetime_format))
    if ends_at is None:
        return start_html
    end = _local(ends_at)
    end_format = time_format if end.date() == start.date() else datetime_format
    return format_html('{} – <time datetime="{}">{}</time>', start_html, end.isoformat(), date_format(end, end_format))


def _local(value: dt.datetime) -> dt.datetime:
    """``value`` in the active time zone (the reader's, or the one a ``{% timezone %}`` block sets)."""
    return timezone.localtime(value) if timezone.is_aware(value) else value
