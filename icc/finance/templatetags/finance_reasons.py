"""``{{ match.reasons|readable:themes }}``: a stored match's reasons with their parameters
as dates, amounts and theme names, for ``finance/_reasons.html`` to word."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()

DATES = ("deadline", "ends_on")
AMOUNTS = ("gap", "max", "own_share")


def _amount(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def readable(reasons: Any, themes: dict[int, str] | None = None) -> list[dict[str, Any]]:
    shown = []
    for reason in reasons if isinstance(reasons, list) else []:
        params = dict(reason.get("params") or {})
        for key in DATES:
            if key in params:
                params[key] = _day(params[key])
        for key in AMOUNTS:
            if key in params:
                params[key] = _amount(params[key])
        if "themes" in params:
            params["themes"] = ", ".join(
                (themes or {}).get(int(pk), "") for pk in params["themes"] if str(pk).isdigit()
            )
        shown.append({"code": reason.get("code", ""), **params})
    return shown
