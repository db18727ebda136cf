"""Validating rows into typed records, every problem with its row and column.

Nothing here writes. A record has passed every check that the row alone, the programme's
themes, phases and cities, and the earlier rows of the same file can tell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from icc.accounts.models import Person, normalise_address
from icc.cities.imports.cells import (
    Named,
    by_key_or_name,
    parse_bool,
    parse_cells,
    parse_choice,
    parse_country,
    parse_decimal,
    parse_integer,
    parse_list,
    parse_text,
    parse_time_zone,
)
from icc.cities.imports.read import Checked, Columns, Row, RowError
from icc.cities.models import CITY_ROLES, CORE_TYPES, City, CityType, Network, Organisation, RoleKind, Sector
from icc.core.validators import AREA_KM2, LATITUDE, LONGITUDE
from icc.programmes.models import Phase, Theme, TransversalService

CITY_COLUMNS = Columns(
    required=("name", "country", "type", "time_zone"),
    optional=(
        "population",
        "area_km2",
        "latitude",
        "longitude",
        "former_dcc",
        "track",
        "secondary_themes",
        "networks",
        "current_phase",
        "source",
    ),
)
PEOPLE_COLUMNS = Columns(
    required=("email", "full_name", "role"),
    optional=("city", "country", "theme", "service", "organisation", "sector"),
)
S = TypeVar("S", bound=Named)
# The columns of a people file that are saved as they are, with the field they go to.
PEOPLE_TEXTS = (("email", Person, "email"), ("full_name", Person, "full_name"), ("organisation", Organisation, "name"))


# Cities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CityRecord:
    """One row of a cities file, read and checked."""

    row: int
    name: str
    country: str
    type: str
    time_zone: str
    population: int | None
    area_km2: Decimal | None
    latitude: Decimal | None
    longitude: Decimal | None
    former_dcc: bool
    track: Theme | None
    current_phase: Phase | None
    secondary_themes: tuple[Theme, ...]
    networks: tuple[str, ...]
    source: str

    @property
    def key(self) -> tuple[str, str]:
        """A city is the same city when its name (in any letter case) and country are."""
        return (self.name.casefold(), self.country)


def _network_name(raw: str) -> str:
    return parse_text(raw, Network, "name")


def _city_record(
    row: Row, themes: Sequence[Theme], phases: Sequence[Phase]
) -> tuple[CityRecord | None, tuple[RowError, ...]]:
    values, errors = parse_cells(
        row,
        {
            "name": lambda raw: parse_text(raw, City, "name"),
            "country": parse_country,
            "type": lambda raw: parse_choice(raw, CityType.choices, _("city type")),
            "time_zone": parse_time_zone,
            "population": parse_integer,
            "area_km2": lambda raw: parse_decimal(raw, AREA_KM2),
            "latitude": lambda raw: parse_decimal(raw, LATITUDE),
            "longitude": lambda raw: parse_decimal(raw, LONGITUDE),
            "former_dcc": parse_bool,
            "track": lambda raw: by_key_or_name(themes, raw, "slug", _("track")),
            "current_phase": lambda raw: by_key_or_name(phases, raw, "key", _("phase")),
            "secondary_themes": lambda raw: parse_list(
                raw, lambda part: by_key_or_name(themes, part, "slug", _("theme"))
            ),
            "networks": lambda raw: parse_list(raw, _network_name),
            "source": lambda raw: parse_text(raw, City, "source"),
        },
        required=CITY_COLUMNS.required,
    )
    former_dcc = bool(values.get("former_dcc"))
    if former_dcc and values.get("type") and values["type"] not in CORE_TYPES:
        errors += (RowError(row.number, "former_dcc", _("Only core cities can be former DCC cities.")),)
    phase = values.get("current_phase")
    if phase is not None and phase.former_dcc_only and not former_dcc:
        errors += (RowError(row.number, "current_phase", _("Only former DCC cities go through this phase.")),)
    if errors:
        return None, errors
    defaults = {"secondary_themes": (), "networks": (), "source": ""}
    filled = {column: empty if values[column] is None else values[column] for column, empty in defaults.items()}
    return CityRecord(row=row.number, **{**values, **filled, "former_dcc": former_dcc}), ()


def validate_cities(rows: Sequence[Row], *, themes: Sequence[Theme], phases: Sequence[Phase]) -> Checked[CityRecord]:
    """A record for each right row, and every problem of the others: a wrong value, a city given twice."""
    records: list[CityRecord] = []
    errors: list[RowError] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in rows:
        record, problems = _city_record(row, themes, phases)
        errors += problems
        if record is None:
            continue
        if record.key in first_row:
            errors.append(
                RowError(
                    row.number,
                    "name",
                    _("%(name)s (%(country)s) is already on row %(row)s.")
                    % {"name": record.name, "country": record.country, "row": first_row[record.key]},
                )
            )
            continue
        first_row[record.key] = row.number
        records.append(record)
    return Checked(items=tuple(records), errors=tuple(errors))


# People -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """One row of a people file: a person and one role, read and checked."""

    row: int
    email: str
    full_name: str
    kind: RoleKind
    city: City | None
    theme: Theme | None
    service: TransversalService | None
    # An organisation of ``city`` by name, found or to be added, and the sector a new one gets.
    organisation: str
    sector: str


@dataclass(frozen=True)
class Scopes:
    """What a people file may name: the programme's cities, themes and transversal services."""

    cities: Sequence[City]
    themes: Sequence[Theme]
    services: Sequence[TransversalService]


def _find_city(row: Row, cities: Sequence[City]) -> tuple[City | None, tuple[RowError, ...]]:
    name = row.get("city")
    if not name:
        return None, (RowError(row.number, "city", _("This role needs a city.")),)
    matches = [city for city in cities if city.name.casefold() == name.casefold()]
    if row.get("country"):
        try:
            country = parse_country(row.get("country"))
        except ValueError as error:
            return None, (RowError(row.number, "country", str(error)),)
        matches = [city for city in matches if city.country == country]
    if not matches:
        message = _("No city “%(value)s” in this programme. Import the cities first.") % {"value": name}
        return None, (RowError(row.number, "city", message),)
    if len(matches) > 1:
        message = _("Several cities are called “%(value)s”: give the country.") % {"value": name}
        return None, (RowError(row.number, "country", message),)
    return matches[0], ()


def _scope(row: Row, column: str, items: Sequence[S], what: str) -> tuple[S | None, tuple[RowError, ...]]:
    raw = row.get(column)
    if not raw:
        return None, (RowError(row.number, column, _("This role needs a %(what)s.") % {"what": what}),)
    try:
        return by_key_or_name(items, raw, "slug", what), ()
    except ValueError as error:
        return None, (RowError(row.number, column, str(error)),)


def _email(row: Row) -> tuple[str, tuple[RowError, ...]]:
    email = normalise_address(row.get("email"))
    try:
        validate_email(email)
    except ValidationError:
        message = _("“%(value)s” is not an e-mail address.") % {"value": row.get("email")}
        return email, (RowError(row.number, "email", message),)
    return email, ()


def _full_name(row: Row, email: str, earlier: Mapping[str, tuple[str, int]]) -> tuple[RowError, ...]:
    """The name is required, and the same on every row of one address."""
    full_name = row.get("full_name")
    if not full_name:
        return (RowError(row.number, "full_name", _("A value is required.")),)
    if email in earlier and earlier[email][0] != full_name:
        name, first = earlier[email]
        message = _("Row %(row)s gives this e-mail address the name “%(name)s”.") % {"row": first, "name": name}
        return (RowError(row.number, "full_name", message),)
    return ()


def _person_record(
    row: Row, scopes: Scopes, earlier: Mapping[str, tuple[str, int]]
) -> tuple[PersonRecord | None, tuple[RowError, ...]]:
    """``earlier`` holds the name and first row of each address the file named on a valid row before."""
    too_long: list[RowError] = []
    for column, model, field_name in PEOPLE_TEXTS:
        try:
            parse_text(row.get(column), model, field_name)
        except ValueError as error:
            too_long.append(RowError(row.number, column, str(error)))
    if too_long:
        return None, tuple(too_long)
    email, errors = _email(row)
    errors += _full_name(row, email, earlier)
    kind: RoleKind | None = None
    try:
        kind = RoleKind(parse_choice(row.get("role"), RoleKind.choices, _("role")))
    except ValueError as error:
        errors += (RowError(row.number, "role", str(error)),)
    city: City | None = None
    theme: Theme | None = None
    service: TransversalService | None = None
    if kind in CITY_ROLES:
        city, problems = _find_city(row, scopes.cities)
        errors += problems
    elif row.get("city"):
        errors += (RowError(row.number, "city", _("This role is not tied to a city; leave the column empty.")),)
    if kind == RoleKind.THEMATIC_EXPERT:
        theme, problems = _scope(row, "theme", scopes.themes, _("theme"))
        errors += problems
    if kind == RoleKind.TRANSVERSAL_EXPERT:
        service, problems = _scope(row, "service", scopes.services, _("transversal service"))
        errors += problems
    organisation = row.get("organisation") if city is not None else ""
    sector = ""
    if organisation and row.get("sector"):
        try:
            sector = parse_choice(row.get("sector"), Sector.choices, _("sector"))
        except ValueError as error:
            errors += (RowError(row.number, "sector", str(error)),)
    if errors or kind is None:
        return None, errors
    record = PersonRecord(
        row=row.number,
        email=email,
        full_name=row.get("full_name"),
        kind=kind,
        city=city,
        theme=theme,
        service=service,
        organisation=organisation,
        sector=sector,
    )
    return record, ()


def validate_people(rows: Sequence[Row], *, scopes: Scopes) -> Checked[PersonRecord]:
    """A record for each right row, and every problem of the others."""
    records: list[PersonRecord] = []
    errors: list[RowError] = []
    names: dict[str, tuple[str, int]] = {}
    for row in rows:
        record, problems = _person_record(row, scopes, names)
        errors += problems
        if record is not None:
            names.setdefault(record.email, (record.full_name, record.row))
            records.append(record)
    return Checked(items=tuple(records), errors=tuple(errors))
