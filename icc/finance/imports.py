"""CSV import of the funding catalogue, as the city import does it: the upload gate, then
every row and column checked, then everything saved in one transaction or nothing.

A row whose ``identifier`` is already in the catalogue changes that call; any other row
adds one, and a new call's deadline must not have passed. Importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.imports.cells import parse_cells, parse_choice, parse_decimal, parse_integer, parse_list, parse_text
from icc.cities.imports.read import Columns, RowError, read_rows
from icc.cities.models import CityType
from icc.core import validators
from icc.core.models import AuditKind, record
from icc.finance.actions import announce_new_calls
from icc.finance.forms import check_call, parse_countries
from icc.finance.models import CO_FUNDING, Call

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.programmes.models import Programme, Theme

COLUMNS = Columns(
    required=("identifier", "funding_programme", "title", "themes", "opens_on", "deadline", "co_funding_rate"),
    optional=("topic", "description", "city_types", "countries", "min_amount", "max_amount", "url"),
)
TEXT_FIELDS = ("identifier", "funding_programme", "title", "topic", "description", "url")
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class CallImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _day(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date; write it as 2027-03-31.") % {"value": value}) from None
    try:
        validators.validate_day(day)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return day


def _link(value: str) -> str:
    try:
        _url(value)
    except ValidationError:
        raise ValueError(_("“%(value)s” is not a web address starting with https://.") % {"value": value}) from None
    return parse_text(value, Call, "url")


def _countries(value: str) -> str:
    try:
        return " ".join(parse_countries(value))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def _parsers(themes: list[Theme]) -> dict[str, Any]:
    def theme(value: str) -> Theme:
        lowered = value.lower()
        for item in themes:
            if lowered in {item.slug.lower(), item.name.lower()}:
                return item
        raise ValueError(
            _("Unknown theme “%(value)s”. Use one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(t.slug for t in themes)}
        )

    def city_type(value: str) -> str:
        return parse_choice(value, CityType.choices, _("city type"))

    parsers: dict[str, Any] = {name: (lambda v, n=name: parse_text(v, Call, n)) for name in TEXT_FIELDS}
    parsers.update(
        {
            "url": _link,
            "themes": lambda v: parse_list(v, theme),
            "opens_on": _day,
            "deadline": _day,
            "city_types": lambda v: " ".join(dict.fromkeys(parse_list(v, city_type))),
            "countries": _countries,
            "co_funding_rate": lambda v: parse_integer(v.rstrip("% "), CO_FUNDING),
            "min_amount": lambda v: parse_decimal(v, validators.MONEY),
            "max_amount": lambda v: parse_decimal(v, validators.MONEY),
        }
    )
    return parsers


@dataclass
class _Record:
    row: int
    values: dict[str, Any]
    themes: list[Theme]


def _validate(programme: Programme, rows: tuple[Any, ...], today: dt.date) -> tuple[list[_Record], list[RowError]]:
    existing_lower = {
        identifier.lower()
        for identifier in Call.objects.filter(programme=programme).values_list("identifier", flat=True)
    }
    parsers = _parsers(list(programme.themes.all()))
    records: list[_Record] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row in rows:
        values, problems = parse_cells(row, parsers, required=COLUMNS.required)
        errors.extend(problems)
        if problems:
            continue
        key = values["identifier"].lower()
        if key in seen:
            errors.append(
                RowError(row.number, "identifier", _("Row %(row)s has this identifier too.") % {"row": seen[key]})
            )
            continue
        seen[key] = row.number
        if not values["themes"]:
            errors.append(RowError(row.number, "themes", _("A value is required.")))
            continue
        wrong = check_call(
            opens_on=values["opens_on"],
            deadline=values["deadline"],
            min_amount=values["min_amount"],
            max_amount=values["max_amount"],
            new=key not in existing_lower,
            today=today,
        )
        errors.extend(RowError(row.number, column, message) for column, message in wrong.items())
        if not wrong:
            themes = list(dict.fromkeys(values.pop("themes")))
            for name in ("topic", "description", "url", "city_types", "countries"):
                values[name] = values[name] or ""
            records.append(_Record(row.number, values, themes))
    return records, errors


def _differs(call: Call, values: dict[str, Any], themes: set[int], current_themes: set[int]) -> bool:
    return any(getattr(call, name) != value for name, value in values.items()) or themes != current_themes


@transaction.atomic
def _apply(programme: Programme, records: list[_Record], by: Person | None, source: str) -> CallImportResult:
    calls = {c.identifier.lower(): c for c in Call.objects.select_for_update().filter(programme=programme)}
    through = Call.themes.through
    current: dict[int, set[int]] = {}
    for call_id, theme_id in through.objects.filter(call__programme=programme).values_list("call_id", "theme_id"):
        current.setdefault(call_id, set()).add(theme_id)
    new: list[tuple[Call, list[Theme]]] = []
    changed: list[tuple[Call, list[Theme]]] = []
    unchanged = 0
    for item in records:
        values = item.values
        call = calls.get(values["identifier"].lower())
        theme_ids = {t.pk for t in item.themes}
        if call is None:
            new.append((Call(programme=programme, created_by=by, version=1, **values), item.themes))
        elif _differs(call, values, theme_ids, current.get(call.pk, set())):
            for name, value in values.items():
                setattr(call, name, value)
            changed.append((call, item.themes))
        else:
            unchanged += 1
    for call, _themes in new + changed:
        call.full_clean(exclude=["programme", "created_by", "version"], validate_unique=False)
    created = Call.objects.bulk_create([c for c, _t in new])
    if changed:
        now = timezone.now()
        for call, _themes in changed:
            call.updated_at = now
        Call.objects.bulk_update([c for c, _t in changed], [*values.keys(), "updated_at"], batch_size=500)
        Call.objects.filter(pk__in=[c.pk for c, _t in changed]).update(version=F("version") + 1)
        through.objects.filter(call__in=[c.pk for c, _t in changed]).delete()
    through.objects.bulk_create(
        [
            through(call_id=c.pk, theme_id=t.pk)
            for c, themes in [*zip(created, [t for _c, t in new], strict=True), *changed]
            for t in themes
        ],
        batch_size=2_000,
    )
    for call in created:
        record(obj=call, action=AuditKind.CREATED, actor=by, changes={"identifier": call.identifier}, source=source)
    for call, _themes in changed:
        record(obj=call, action=AuditKind.CHANGED, actor=by, changes={"identifier": call.identifier}, source=source)
    if created or changed:
        announce_new_calls(programme.pk, [c.pk for c in created])
    return CallImportResult(created=len(created), updated=len(changed), unchanged=unchanged)


def import_calls(*, programme: Programme, data: bytes, by: Person | None, source: str) -> CallImportResult:
    """Check the whole file; save every row or none."""
    rows = read_rows(data, columns=COLUMNS)
    if rows.errors:
        return CallImportResult(errors=list(rows.errors))
    records, errors = _validate(programme, rows.items, timezone.localdate())
    if errors:
        return CallImportResult(errors=sorted(errors, key=lambda e: e.row))
    try:
        return _apply(programme, records, by if by is not None and by.is_authenticated else None, source)
    except ValidationError as error:
        return CallImportResult(errors=[RowError(0, "", message) for message in error.messages])


def template_csv() -> str:
    """The header row of a catalogue file."""
    return ",".join(COLUMNS.known) + "\n"
