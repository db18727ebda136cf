"""CSV import of a cohort: cities, then people with their roles.

A file is checked as a whole. Any wrong row means nothing is saved, and every problem is
reported with its row and column so the programme office can fix the file in one go.
Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from icc.accounts.models import Person, normalise_address
from icc.cities.actions import RoleSpec, assign_role, check_role, invite_person, save_city
from icc.cities.models import (
    CITY_ROLES,
    CORE_TYPES,
    City,
    CityType,
    Network,
    Organisation,
    RoleKind,
    Sector,
)
from icc.core import uploads
from icc.core.models import AuditKind, record
from icc.core.validators import (
    AREA_KM2,
    LATITUDE,
    LONGITUDE,
    POPULATION,
    NumberRange,
    available_time_zones,
    check_length,
    max_length,
)
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from icc.cities.actions import Actor

CITY_REQUIRED = ("name", "country", "type", "time_zone")
CITY_OPTIONAL = (
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
)
PEOPLE_REQUIRED = ("email", "full_name", "role")
PEOPLE_OPTIONAL = ("city", "country", "theme", "service", "organisation", "sector")
# The columns of a people file that are saved as they are, with the field they go to.
PEOPLE_TEXTS = (("email", Person, "email"), ("full_name", Person, "full_name"), ("organisation", Organisation, "name"))
LIST_SEPARATOR = ";"
HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rejected(Exception):
    """Raised inside the import transaction to undo everything."""


# Reading the file ------------------------------------------------------------------


def size_error(size: int) -> RowError | None:
    """The error for a file over the import limit, decided before it is read."""
    try:
        uploads.check_size(size, settings.ICC_MAX_IMPORT_BYTES)
    except uploads.UploadRefused as refused:
        return RowError(0, "", refused.text)
    return None


def read_rows(
    data: bytes, *, required: tuple[str, ...], optional: tuple[str, ...]
) -> tuple[list[dict[str, str]], list[RowError]]:
    """Decode and parse a CSV file; rows are numbered as a spreadsheet shows them."""
    try:
        text = uploads.check_csv(data)
    except uploads.UploadRefused as refused:
        return [], [RowError(refused.row, "", refused.text)]
    if not text.strip():
        return [], [RowError(HEADER_ROW, "", _("The file is empty."))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except csv.Error as error:
        return [], [RowError(HEADER_ROW, "", str(error))]
    errors = [RowError(HEADER_ROW, column, _("This column is missing.")) for column in required if column not in header]
    known = set(required) | set(optional)
    errors += [
        RowError(
            HEADER_ROW,
            column or "?",
            _("Unknown column. Expected columns: %(columns)s.") % {"columns": ", ".join((*required, *optional))},
        )
        for column in header
        if column not in known
    ]
    duplicates = {column for column in header if header.count(column) > 1}
    errors += [RowError(HEADER_ROW, column, _("This column appears twice.")) for column in sorted(duplicates)]
    if errors:
        return [], errors
    rows: list[dict[str, str]] = []
    try:
        for values in reader:
            row_number = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(header):
                errors.append(
                    RowError(
                        row_number,
                        "",
                        _("This row has %(n)s values but the header has %(m)s columns.")
                        % {"n": len(values), "m": len(header)},
                    )
                )
                continue
            row = {column: value.strip() for column, value in zip(header, values, strict=False)}
            row["__row__"] = str(row_number)
            rows.append(row)
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", str(error)))
    if not rows and not errors:
        errors.append(RowError(HEADER_ROW + 1, "", _("The file has a header but no rows.")))
    return rows, errors


# Parsing values ---------------------------------------------------------------------

_GROUPED_INTEGER = re.compile(r"^\d{1,3}([ ,.'_\u00a0\u202f]\d{3})+$")


def _checked(number_range: NumberRange, value: str, cleaned: str) -> Decimal:
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
    return int(_checked(number_range, value, cleaned))


def parse_decimal(value: str, number_range: NumberRange) -> Decimal:
    cleaned = value.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return _checked(number_range, value, cleaned)


def parse_text(value: str, model: Any, field: str) -> str:
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


def parse_choice(value: str, choices: Any, what: str) -> str:
    lowered = value.strip().lower()
    for choice_value, label in choices:
        if lowered in {str(choice_value).lower(), str(label).lower()}:
            return str(choice_value)
    allowed = ", ".join(str(v) for v, _label in choices)
    raise ValueError(
        _("Unknown %(what)s “%(value)s”. Use one of: %(allowed)s.") % {"what": what, "value": value, "allowed": allowed}
    )


def _by_key_or_name(items: list[Any], value: str, key: str, what: str) -> Any:
    lowered = value.strip().lower()
    for item in items:
        if lowered in {str(getattr(item, key)).lower(), item.name.lower()}:
            return item
    allowed = ", ".join(str(getattr(item, key)) for item in items)
    raise ValueError(
        _("Unknown %(what)s “%(value)s”. Use one of: %(allowed)s.") % {"what": what, "value": value, "allowed": allowed}
    )


# Cities -----------------------------------------------------------------------------


def _city_values(
    row: dict[str, str], programme: Programme, themes: list[Any], phases: list[Any]
) -> tuple[dict[str, Any], list[RowError]]:
    number = int(row["__row__"])
    values: dict[str, Any] = {}
    errors: list[RowError] = []

    def parse(column: str, parser: Any, *, required: bool = False) -> None:
        raw = row.get(column, "")
        if not raw:
            if required:
                errors.append(RowError(number, column, _("A value is required.")))
            else:
                values[column] = None
            return
        try:
            values[column] = parser(raw)
        except ValueError as error:
            errors.append(RowError(number, column, str(error)))

    def time_zone(raw: str) -> str:
        if raw not in available_time_zones():
            raise ValueError(
                _("Unknown time zone “%(value)s”. Use an IANA name such as Europe/Lisbon.") % {"value": raw}
            )
        return raw

    def networks(raw: str) -> list[str]:
        names = [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]
        for network in names:
            parse_text(network, Network, "name")
        return names

    parse("name", lambda raw: parse_text(raw, City, "name"), required=True)
    parse("country", parse_country, required=True)
    parse("type", lambda raw: parse_choice(raw, CityType.choices, _("city type")), required=True)
    parse("time_zone", time_zone, required=True)
    parse("population", parse_integer)
    parse("area_km2", lambda raw: parse_decimal(raw, AREA_KM2))
    parse("latitude", lambda raw: parse_decimal(raw, LATITUDE))
    parse("longitude", lambda raw: parse_decimal(raw, LONGITUDE))
    parse("former_dcc", parse_bool)
    parse("track", lambda raw: _by_key_or_name(themes, raw, "slug", _("track")))
    parse("current_phase", lambda raw: _by_key_or_name(phases, raw, "key", _("phase")))
    parse(
        "secondary_themes",
        lambda raw: [
            _by_key_or_name(themes, part, "slug", _("theme")) for part in raw.split(LIST_SEPARATOR) if part.strip()
        ],
    )
    parse("networks", networks)
    parse("source", lambda raw: parse_text(raw, City, "source"))
    values["networks"] = values.get("networks") or []
    values["source"] = values.get("source") or ""
    values["former_dcc"] = bool(values.get("former_dcc"))
    values["secondary_themes"] = values.get("secondary_themes") or []
    if values["former_dcc"] and values.get("type") and values["type"] not in CORE_TYPES:
        errors.append(RowError(number, "former_dcc", _("Only core cities can be former DCC cities.")))
    phase = values.get("current_phase")
    if phase is not None and phase.former_dcc_only and not values["former_dcc"]:
        errors.append(RowError(number, "current_phase", _("Only former DCC cities go through this phase.")))
    return values, errors


SCALAR_CITY_FIELDS = (
    "type",
    "time_zone",
    "population",
    "area_km2",
    "latitude",
    "longitude",
    "former_dcc",
    "track",
    "current_phase",
    "source",
)


def import_cities(*, programme: Programme, data: bytes, by: Actor, source: str) -> ImportResult:
    rows, errors = read_rows(data, required=CITY_REQUIRED, optional=CITY_OPTIONAL)
    result = ImportResult(errors=errors)
    if errors:
        return result
    themes, phases = list(programme.themes.all()), list(programme.phases.all())
    parsed: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        values, row_errors = _city_values(row, programme, themes, phases)
        result.errors += row_errors
        if row_errors:
            continue
        key = (values["name"].casefold(), values["country"])
        number = int(row["__row__"])
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    "name",
                    _("%(name)s (%(country)s) is already on row %(row)s.")
                    % {"name": values["name"], "country": values["country"], "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        parsed.append(values)
    if result.errors:
        return result
    existing = {
        (city.name.casefold(), city.country): city
        for city in City.objects.filter(programme=programme).prefetch_related("secondary_themes", "networks")
    }
    networks = {network.name.casefold(): network for network in Network.objects.all()}
    with transaction.atomic():
        for values in parsed:
            outcome = _save_city_row(programme, values, existing, networks, by=by, source=source)
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _save_city_row(
    programme: Programme,
    values: dict[str, Any],
    existing: dict[tuple[str, str], City],
    networks: dict[str, Network],
    *,
    by: Actor,
    source: str,
) -> str:
    """Create or update one city; returns "created", "updated" or "unchanged"."""
    found = existing.get((values["name"].casefold(), values["country"]))
    city = found or City(programme=programme, name=values["name"], country=values["country"])
    changed = [name for name in SCALAR_CITY_FIELDS if getattr(city, name) != values[name]]
    for name in changed:
        setattr(city, name, values[name])
    wanted_networks = []
    for network_name in values["networks"]:
        network = networks.get(network_name.casefold())
        if network is None:
            network = Network.objects.create(name=network_name, slug=_unique_network_slug(network_name))
            networks[network_name.casefold()] = network
        wanted_networks.append(network)
    if found is not None:
        if {t.pk for t in found.secondary_themes.all()} != {t.pk for t in values["secondary_themes"]}:
            changed.append("secondary_themes")
        if {n.pk for n in found.networks.all()} != {n.pk for n in wanted_networks}:
            changed.append("networks")
        if not changed:
            return "unchanged"
    city.full_clean(exclude=["programme"], validate_unique=False)

    def save_m2m() -> None:
        city.secondary_themes.set(values["secondary_themes"])
        city.networks.set(wanted_networks)

    save_city(
        city=city,
        changed=changed if found else ["name", "country", *changed],
        by=by,
        source=source,
        save_m2m=save_m2m,
    )
    return "updated" if found else "created"


def _unique_network_slug(name: str) -> str:
    base = slugify(name)[:45] or "network"
    slug, n = base, 2
    while Network.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# People -----------------------------------------------------------------------------


def import_people(*, programme: Programme, data: bytes, by: Actor, source: str, invite: bool = False) -> ImportResult:
    rows, errors = read_rows(data, required=PEOPLE_REQUIRED, optional=PEOPLE_OPTIONAL)
    result = ImportResult(errors=errors)
    if errors:
        return result
    cities = list(City.objects.filter(programme=programme))
    themes, services = list(programme.themes.all()), list(programme.services.all())
    names_by_email: dict[str, tuple[str, int]] = {}
    invited: list[Person] = []
    try:
        with transaction.atomic():
            for row in rows:
                _import_person_row(
                    row, programme, cities, themes, services, names_by_email, result, by, source, invited
                )
            if result.errors:
                raise _Rejected
    except _Rejected:
        result.created = result.updated = result.unchanged = 0
        return result
    if invite:
        for person in invited:
            invite_person(programme=programme, email=person.email, full_name=person.full_name, specs=[], by=by)
    return result


def _import_person_row(
    row: dict[str, str],
    programme: Programme,
    cities: list[City],
    themes: list[Any],
    services: list[Any],
    names_by_email: dict[str, tuple[str, int]],
    result: ImportResult,
    by: Actor,
    source: str,
    invited: list[Person],
) -> None:
    number = int(row["__row__"])
    errors: list[RowError] = []
    for column, model, field_name in PEOPLE_TEXTS:
        try:
            parse_text(row.get(column, ""), model, field_name)
        except ValueError as error:
            errors.append(RowError(number, column, str(error)))
    if errors:
        result.errors += errors
        return
    email = normalise_address(row["email"])
    try:
        validate_email(email)
    except ValidationError:
        errors.append(RowError(number, "email", _("“%(value)s” is not an e-mail address.") % {"value": row["email"]}))
    full_name = row["full_name"]
    if not full_name:
        errors.append(RowError(number, "full_name", _("A value is required.")))
    elif email in names_by_email and names_by_email[email][0] != full_name:
        errors.append(
            RowError(
                number,
                "full_name",
                _("Row %(row)s gives this e-mail address the name “%(name)s”.")
                % {"row": names_by_email[email][1], "name": names_by_email[email][0]},
            )
        )
    kind: RoleKind | None = None
    try:
        kind = RoleKind(parse_choice(row["role"], RoleKind.choices, _("role")))
    except ValueError as error:
        errors.append(RowError(number, "role", str(error)))
    city = theme = service = organisation = None
    if kind in CITY_ROLES:
        city = _find_city(row, cities, number, errors)
    elif row.get("city"):
        errors.append(RowError(number, "city", _("This role is not tied to a city; leave the column empty.")))
    if kind == RoleKind.THEMATIC_EXPERT:
        theme = _lookup(row, "theme", themes, "slug", _("theme"), number, errors, required=True)
    if kind == RoleKind.TRANSVERSAL_EXPERT:
        service = _lookup(row, "service", services, "slug", _("transversal service"), number, errors, required=True)
    if row.get("organisation") and city is not None:
        organisation = _organisation(row, city, number, errors, by, source)
    if errors:
        result.errors += errors
        return
    assert kind is not None
    names_by_email.setdefault(email, (full_name, number))
    person = Person.objects.filter(email__iexact=email).first()
    spec = RoleSpec(kind=kind, city=city, theme=theme, service=service, organisation=organisation)
    if not _holds(person, programme, spec):
        try:
            check_role(person=person, programme=programme, spec=spec)
        except ValidationError as error:
            result.errors.append(RowError(number, "role", " ".join(error.messages)))
            return
    if person is None:
        person = Person.objects.create_user(email=email, full_name=full_name)
        record(obj=person, action=AuditKind.CREATED, actor=by, changes={"email": email, "full_name": full_name}, source=source)
        invited.append(person)
        outcome = "created"
    elif person.full_name != full_name:
        record(obj=person, action=AuditKind.CHANGED, actor=by, changes={"full_name": full_name}, source=source)
        person.full_name = full_name
        person.save(update_fields=["full_name"])
        outcome = "updated"
    else:
        outcome = "unchanged"
    if not _holds(person, programme, spec, exact=True):
        assign_role(person=person, programme=programme, spec=spec, by=by, source=source)
        outcome = "created" if outcome == "created" else "updated"
    setattr(result, outcome, getattr(result, outcome) + 1)


def _holds(person: Person | None, programme: Programme, spec: RoleSpec, *, exact: bool = False) -> bool:
    if person is None:
        return False
    roles = person.roles.filter(
        programme=programme, kind=spec.kind, city=spec.city, theme=spec.theme, service=spec.service
    )
    if exact:
        roles = roles.filter(organisation=spec.organisation)
    return roles.exists()


def _find_city(row: dict[str, str], cities: list[City], number: int, errors: list[RowError]) -> City | None:
    name = row.get("city", "")
    if not name:
        errors.append(RowError(number, "city", _("This role needs a city.")))
        return None
    matches = [city for city in cities if city.name.casefold() == name.casefold()]
    if row.get("country"):
        try:
            country = parse_country(row["country"])
        except ValueError as error:
            errors.append(RowError(number, "country", str(error)))
            return None
        matches = [city for city in matches if city.country == country]
    if not matches:
        errors.append(
            RowError(
                number, "city", _("No city “%(value)s” in this programme. Import the cities first.") % {"value": name}
            )
        )
        return None
    if len(matches) > 1:
        errors.append(
            RowError(number, "country", _("Several cities are called “%(value)s”: give the country.") % {"value": name})
        )
        return None
    return matches[0]


def _lookup(
    row: dict[str, str],
    column: str,
    items: list[Any],
    key: str,
    what: str,
    number: int,
    errors: list[RowError],
    *,
    required: bool,
) -> Any:
    raw = row.get(column, "")
    if not raw:
        if required:
            errors.append(RowError(number, column, _("This role needs a %(what)s.") % {"what": what}))
        return None
    try:
        return _by_key_or_name(items, raw, key, what)
    except ValueError as error:
        errors.append(RowError(number, column, str(error)))
        return None


def _organisation(
    row: dict[str, str], city: City, number: int, errors: list[RowError], by: Actor, source: str
) -> Organisation | None:
    name = row["organisation"]
    organisation = Organisation.objects.filter(city=city, name__iexact=name).first()
    sector = None
    if row.get("sector"):
        try:
            sector = parse_choice(row["sector"], Sector.choices, _("sector"))
        except ValueError as error:
            errors.append(RowError(number, "sector", str(error)))
            return None
    if organisation is not None:
        return organisation
    organisation = Organisation.objects.create(city=city, name=name, sector=sector or Sector.OTHER)
    record(
        obj=organisation,
        action=AuditKind.CREATED,
        actor=by,
        changes={"city": str(city), "sector": organisation.sector},
        source=source,
    )
    return organisation
