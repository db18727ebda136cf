"""``{{ value|number }}``, ``{{ value|number:1 }}``, ``{{ score|fixed:1 }}`` and ``{{ amount|money }}``."""

from __future__ import annotations

from typing import Any

from django import template

from icc.core.formatting import format_money, format_number

register = template.Library()


@register.filter
def number(value: Any, places: int = 2) -> str:
    """Up to ``places`` decimals, trailing zeros dropped, the reader's separators; "" for no value."""
    return format_number(value, int(places))


@register.filter
def fixed(value: Any, places: int = 1) -> str:
    """Exactly ``places`` decimals (a score out of 5 reads 3.2, never 3.25 beside 3.2)."""
    return format_number(value, int(places), fixed=True)


@register.filter
def money(value: Any) -> str:
    """A euro amount in the reader's style; "" for no value."""
    return format_money(value)
