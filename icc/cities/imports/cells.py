"""Reading one cell: a number, a yes or no, a country, a choice, a text that fits its column.

Each parser returns the typed value or raises ``ValueError`` with the message the
programme office sees, as ``int()`` does; :func:`parse_cells` turns those into row errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from icc.cities.imports.read import Row, RowError
from icc.core.validators import POPULATION, NumberRange, available_time_zones, check_length, max_length

LIST_SEPARATOR = ";"
_GROUPED_INTEGER = re.compile(r"^\d{1,3}([ ,.'_\u00a0\u202f]\d{3})+$")

Parser = Callable[[str], Any]


class Named(Protocol):
    name: str


N = TypeVar("N", bound=Named)


def parse_cells(
    row: Row, parsers: Mapping[str, Parser], *, required: Collection[str] = ()
) -> tuple[dict[str, Any], tuple[RowError, ...]]:
    """Each column's value (``None`` when empty), and a row error for each cell that is wrong."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column, parser in parsers.items():
        raw = row.get(column)
        if not raw:
            if column in required:
                errors.append(RowError(row.number, column, _("A value is required.")))
            values[column] = None
            continue
        try:
            values[column] = parser(raw)
        except ValueError as error:
            errors.append(RowError(row.number, column, str(error)))
    return values, tuple(errors)


def _in_range(number_range: NumberRange, value: str, cleaned: str) -> Decimal:
    try:
        return number_range.parse(cleaned, shown=value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def parse_integer(value: str, number_range: NumberRange = POPULATION) -> int:
    cleaned = value.strip()
    if _GROUPED_INTEGER.match(cleaned):
        cleaned = re.sub(r"\D", "", cleaned)
    if not cleaned.isdigit():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(_in_range(number_range, value, cleaned))


def parse_decimal(value: str, number_range: NumberRange) -> Decimal:
    cleaned = value.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return _in_range(number_range, value, cleaned)


def parse_text(value: str, model: type[models.Model], field: str) -> str:
    """``value`` if it fits the model field's column; refused, never cut, if longer."""
    try:
        check_length(value, max_length(model, field))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


def parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"", "no", "false", "0", "n"}:
        return False
    if lowered in {"yes", "true", "1", "y"}:
        return True
    raise ValueError(_("“%(value)s” is not yes or no.") % {"value": value})


def parse_country(value: str) -> str:
    try:
        return str(pycountry.countries.lookup(value.strip()).alpha_2)
    except LookupError:
        raise ValueError(
            _("Unknown country “%(value)s”. Use an ISO 3166 code such as DE or PT.") % {"value": value}
        ) from None


def parse_time_zone(value: str) -> str:
    if value not in available_time_zones():
        raise ValueError(_("Unknown time zone “%(value)s”. Use an IANA name such as Europe/Lisbon.") % {"value": value})
    return value


def parse_choice(value: str, choices: Iterable[tuple[Any, Any]], what: str) -> str:
    """The value of the choice whose value or label is ``value``, in any letter case."""
    choices = list(choices)
    lowered = value.strip().lower()
    for choice_value, label in choices:
        if lowered in {str(choice_value).lower(), str(label).lower()}:
            return str(choice_value)
    allowed = ", ".join(str(v) for v, _label in choices)
    raise ValueError(
        _("Unknown %(what)s “%(value)s”. Use one of: %(allowed)s.") % {"what": what, "value": value, "allowed": allowed}
    )


def by_key_or_name(items: Sequence[N], value: str, key: str, what: str) -> N:
    """The item whose ``key`` attribute or name is ``value``, in any letter case."""
    lowered = value.strip().lower()
    for item in items:
        if lowered in {str(getattr(item, key)).lower(), item.name.lower()}:
            return item
    allowed = ", ".join(str(getattr(item, key)) for item in items)
    raise ValueError(
        _("Unknown %(what)s “%(value)s”. Use one of: %(allowed)s.") % {"what": what, "value": value, "allowed": allowed}
    )


def parse_list(value: str, parser: Callable[[str], Any]) -> tuple[Any, ...]:
    """The parts of a cell separated by ``;``, each read by ``parser``."""
    return tuple(parser(part.strip()) for part in value.split(LIST_SEPARATOR) if part.strip())
