"""Dates as the city reads them: a consultation opens, closes and forgets by the city's clock."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone

from icc.cities.models import City


def city_zone(city: City) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(city.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def city_day(city: City, moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, city_zone(city)).date()


def start_of_day_after(city: City, day: dt.date) -> dt.datetime:
    """The first moment after ``day`` ends where the city is."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=city_zone(city))
