"""Numbers and amounts written the way the reader's language writes them.

Dates go through Django's locale formats (``DATE_FORMAT`` and friends, with English set
in ``config/formats/en``); numbers and euro amounts through Babel's CLDR data, which
knows each EU language's separators and where the euro sign goes. Templates use the
``number`` and ``money`` filters of :mod:`icc.core.templatetags.numbers`; Python code
that words a message calls these functions.
"""

from __future__ import annotations

from copy import copy
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, format_currency, format_decimal
from django.conf import settings
from django.utils import translation

Number = int | float | Decimal


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


def reader_locale() -> Locale:
    return _locale(translation.get_language() or settings.LANGUAGE_CODE)


def _decimal(value: Number | str) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Number | str | None, places: int = 2, *, fixed: bool = False) -> str:
    """``value`` with the reader's separators: up to ``places`` decimals, trailing zeros
    dropped (7.8000 → 7.8), or exactly ``places`` when ``fixed``. Not a number → ""."""
    number = None if value is None else _decimal(value)
    if number is None:
        return ""
    if abs(number) <= Decimal(5).scaleb(-places - 1):
        number = Decimal(0)  # what rounds to zero reads 0, never -0
    fraction = ("0" if fixed else "#") * places
    pattern = "#,##0" + (f".{fraction}" if places else "")
    return str(format_decimal(number, format=pattern, locale=reader_locale()))


@lru_cache(maxsize=64)
def _whole_euro_pattern(locale: Locale) -> NumberPattern:
    pattern = copy(locale.currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def format_money(value: Number | str | None, currency: str = "EUR") -> str:
    """An amount in the reader's style: €320,000 in English, 320.000 € in German; cents
    only when there are some."""
    number = None if value is None else _decimal(value)
    if number is None:
        return ""
    locale = reader_locale()
    if number == number.to_integral_value():
        return str(
            format_currency(number, currency, format=_whole_euro_pattern(locale), locale=locale, currency_digits=False)
        )
    return str(format_currency(number, currency, locale=locale))
