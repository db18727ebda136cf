from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A measured value as people write it: no trailing zeros, no exponent (12.5, 1000, 0.25)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text
