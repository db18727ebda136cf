from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


# Number ranges ----------------------------------------------------------------------------
#
# Every number a person types, uploads in a workbook or imports from a CSV file is checked
# against one of these ranges before it is saved. Each range fits both the column it is
# stored in (so that no database refuses it and every page can read it back) and what the
# number means (a city of 60 million people or a share of 150 % is a typing error).


@dataclass(frozen=True)
class NumberRange:
    """The values a number may take: ``low`` to ``high``, with at most ``places`` decimals."""

    low: Decimal
    high: Decimal
    places: int = 0
    grouped: bool = True  # shown with thousands separators in messages; not years

    def parse(self, raw: object, *, shown: object = None) -> Decimal:
        """Read a number typed in a form, a spreadsheet cell or a CSV value, and check it.

        Raises ``ValidationError`` with a message that quotes the value as given (or as
        ``shown``, when ``raw`` was cleaned of thousands separators and the like).
        """
        given = raw if shown is None else shown
        if isinstance(raw, bool):
            raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": given})
        if isinstance(raw, Decimal):
            number = raw
        elif isinstance(raw, int | float):
            number = Decimal(repr(raw)) if isinstance(raw, float) and math.isfinite(raw) else Decimal(raw)
        else:
            text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
            if len(text) > MAX_NUMBER_CHARACTERS:
                raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": str(given)[:40] + "…"})
            try:
                number = Decimal(text)
            except (InvalidOperation, ValueError):
                raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": given}) from None
        self.check(number, shown=given)
        if self.places == 0:
            return number.to_integral_value()
        return round(number, self.places)

    def check(self, value: Decimal | int | float | None, *, shown: object = None) -> None:
        """Refuse a value that is not finite, not whole where it must be, or out of range."""
        if value is None:
            return
        number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
        given = value if shown is None else shown
        if not number.is_finite():
            raise ValidationError(NOT_A_NUMBER, code="invalid", params={"value": given})
        if not self.low <= number <= self.high:
            raise ValidationError(
                OUT_OF_RANGE,
                code="out_of_range",
                params={"value": given, "low": self._shown(self.low), "high": self._shown(self.high)},
            )
        if self.places == 0 and number != number.to_integral_value():
            raise ValidationError(NOT_WHOLE, code="not_whole", params={"value": given})

    def _shown(self, value: Decimal) -> str:
        places = max(0, -int(value.normalize().as_tuple().exponent))
        return number_format(value, decimal_pos=places, force_grouping=self.grouped)

    def __call__(self, value: Decimal | int | float | None) -> None:
        """The range as a Django validator."""
        self.check(value)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """How migrations write the range, when a model field takes it as a validator."""
        return ("icc.core.validators.NumberRange", (self.low, self.high, self.places, self.grouped), {})

    def apply(self, field: Any) -> Any:
        """Give a form field this range: its check, and ``min``/``max`` in the page for browsers.

        The bounds a model field derives from its column type are replaced: this range is
        narrower, and one message says what is allowed.
        """
        field.validators = [
            v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator | NumberRange)
        ]
        field.validators.append(self)
        field.min_value, field.max_value = self.low, self.high
        field.widget.attrs["min"] = _attribute(self.low)
        field.widget.attrs["max"] = _attribute(self.high)
        return field

    def integer_field(self, **kwargs: Any) -> Any:
        from django import forms

        return self.apply(forms.IntegerField(**kwargs))

    def decimal_field(self, **kwargs: Any) -> Any:
        from django import forms

        kwargs.setdefault("decimal_places", self.places)
        kwargs.setdefault("max_digits", _digits(self.low, self.high, self.places))
        return self.apply(forms.DecimalField(**kwargs))


def _digits(low: Decimal, high: Decimal, places: int) -> int:
    whole = max(len(str(abs(int(low)))), len(str(abs(int(high)))))
    return whole + places


def _attribute(value: Decimal) -> str:
    return format(value.normalize(), "f")


NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_WHOLE = _("“%(value)s” is not a whole number.")
OUT_OF_RANGE = _("%(value)s is outside the range %(low)s to %(high)s.")
MAX_NUMBER_CHARACTERS = 60


def _range(low: str | int, high: str | int, places: int = 0, *, grouped: bool = True) -> NumberRange:
    return NumberRange(Decimal(low), Decimal(high), places, grouped)


# A city's profile. Population and area: the largest cities on earth, with room to spare.
POPULATION = _range(0, 50_000_000)
AREA_KM2 = _range(0, 300_000, places=2)
LATITUDE = _range(-90, 90, places=5)
LONGITUDE = _range(-180, 180, places=5)
# Any year a figure, a plan or an answer may be about.
YEAR = _range(1900, 2100, grouped=False)
# Euros: budgets, spending. Fits a column of 14 digits with 2 decimals.
MONEY = _range(0, "999999999999.99", places=2)
# Indicator values, KPI baselines, targets and measurements, number answers: stored in
# columns of 18 digits with 4 decimals, and drawn on charts; a share in % is 0 to 100.
MEASURE = _range(-1_000_000_000_000, 1_000_000_000_000, places=4)
PERCENTAGE = _range(0, 100, places=4)
# Technology maturity of a solution.
MATURITY = _range(0, 4)
# Places in a ranked list (top opportunities).
RANK = _range(1, 99)
# Thematic action groups and brain dates.
TAG_SIZE = _range(1, 20)
MENTOR_CAPACITY = _range(0, 20)
BRAIN_DATE_SIZE = _range(2, 10)
# How often a recurring event of the journey takes place.
EVERY_WEEKS = _range(1, 52)
# The first year an indicator value may be for.
FIRST_INDICATOR_YEAR = 1990

PERCENT_UNITS = frozenset({"%", "percent", "per cent", "pct"})


def measure_range(unit: str) -> NumberRange:
    """The range of a value measured in ``unit``: 0 to 100 for a share in %."""
    return PERCENTAGE if unit.strip().lower() in PERCENT_UNITS else MEASURE


def indicator_years() -> NumberRange:
    """The years an indicator value may be for: from 1990 to next year."""
    from django.utils import timezone

    return _range(FIRST_INDICATOR_YEAR, timezone.localdate().year + 1, grouped=False)


def max_length(model: Any, field: str) -> int | None:
    """The longest text a model's field holds, as the model declares it."""
    limit: int | None = model._meta.get_field(field).max_length
    return limit


TOO_LONG = _("This is %(length)s characters long; at most %(limit)s characters fit.")


def check_length(value: str, limit: int | None) -> None:
    """Refuse a text longer than ``limit``: a text is refused, never cut."""
    if limit is not None and len(value) > limit:
        raise ValidationError(
            TOO_LONG,
            code="too_long",
            params={
                "length": number_format(len(value), force_grouping=True),
                "limit": number_format(limit, force_grouping=True),
            },
        )


# Dates: any day a programme, a plan or a figure may be about. Outside it, date arithmetic
# (calendars, timelines, moving a cycle) would overflow and pages could not be drawn.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("%(value)s is outside the dates the platform keeps, %(low)s to %(high)s.")


def validate_day(value: dt.date | dt.datetime | None) -> None:
    """Refuse a date or a time outside FIRST_DAY to LAST_DAY."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="out_of_range",
            params={"value": day.isoformat(), "low": FIRST_DAY.isoformat(), "high": LAST_DAY.isoformat()},
        )
