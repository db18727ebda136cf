"""Planning an import: what each record would create or change, decided before anything is written.

A plan is made from the records and what the database holds now; it is checked against
the same rules the pages apply (:func:`icc.cities.actions.check_role`, the city model's own
validation), counting what the earlier rows of the file would add.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from icc.accounts.models import Person
from icc.cities.actions import RoleSpec, check_role
from icc.cities.imports.read import RowError
from icc.cities.imports.validate import CityRecord, PersonRecord
from icc.cities.models import City, Network, Organisation, Role, RoleKind, Sector
from icc.programmes.models import Programme, Theme

Outcome = Literal["created", "updated", "unchanged"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "unchanged")

# The fields of a city a cities file sets, besides its name, country and lists.
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


def _count(steps: Iterable[CityStep | PersonStep]) -> dict[Outcome, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for step in steps:
        counts[step.outcome] += 1
    return counts


# Cities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CityStep:
    """One city to add, change or leave as it is."""

    row: int
    city: City  # with the values it will have; a new city has no pk yet
    changed: tuple[str, ...]  # the fields the audit trail names
    secondary_themes: tuple[Theme, ...]
    networks: tuple[str, ...]  # by name in lower case
    outcome: Outcome


@dataclass(frozen=True)
class CityPlan:
    steps: tuple[CityStep, ...]
    networks: Mapping[str, Network]  # the networks there are, by name in lower case
    new_networks: tuple[str, ...]  # the names of the networks to add, as the file first spells them
    errors: tuple[RowError, ...] = ()

    @property
    def counts(self) -> dict[Outcome, int]:
        return _count(self.steps)


def _validation_errors(row: int, error: ValidationError) -> tuple[RowError, ...]:
    return tuple(
        RowError(row, "" if column == NON_FIELD_ERRORS else column, message)
        for column, messages in error.message_dict.items()
        for message in messages
    )


def _city_step(
    programme: Programme, record: CityRecord, found: City | None
) -> tuple[CityStep | None, tuple[RowError, ...]]:
    city = (
        copy.copy(found) if found is not None else City(programme=programme, name=record.name, country=record.country)
    )
    changed = [name for name in SCALAR_CITY_FIELDS if getattr(city, name) != getattr(record, name)]
    for name in changed:
        setattr(city, name, getattr(record, name))
    networks = tuple(name.casefold() for name in record.networks)
    if found is not None:
        if {theme.pk for theme in found.secondary_themes.all()} != {theme.pk for theme in record.secondary_themes}:
            changed.append("secondary_themes")
        if {network.name.casefold() for network in found.networks.all()} != set(networks):
            changed.append("networks")
    outcome: Outcome = "created" if found is None else "updated" if changed else "unchanged"
    if outcome != "unchanged":
        try:
            city.full_clean(exclude=["programme"], validate_unique=False)
        except ValidationError as error:
            return None, _validation_errors(record.row, error)
    step = CityStep(
        row=record.row,
        city=city,
        changed=tuple(changed) if found is not None else ("name", "country", *changed),
        secondary_themes=record.secondary_themes,
        networks=networks,
        outcome=outcome,
    )
    return step, ()


def plan_cities(*, programme: Programme, records: Sequence[CityRecord]) -> CityPlan:
    """Which cities the records add, change or leave, and which networks they add."""
    existing = {
        (city.name.casefold(), city.country): city
        for city in City.objects.filter(programme=programme)
        .select_related("track", "current_phase")
        .prefetch_related("secondary_themes", "networks")
    }
    networks = {network.name.casefold(): network for network in Network.objects.all()}
    new_networks: dict[str, str] = {}
    for record in records:
        for name in record.networks:
            if name.casefold() not in networks:
                new_networks.setdefault(name.casefold(), name)
    planned = [_city_step(programme, record, existing.get(record.key)) for record in records]
    return CityPlan(
        steps=tuple(step for step, _errors in planned if step is not None),
        networks=networks,
        new_networks=tuple(new_networks.values()),
        errors=tuple(error for _step, errors in planned for error in errors),
    )


# People -----------------------------------------------------------------------------

OrganisationKey = tuple[int, str]  # the city's pk and the name in lower case
RoleKey = tuple[str, str, int | None, int | None, int | None]  # address, kind, city, theme, service


@dataclass(frozen=True)
class NewOrganisation:
    city: City
    name: str
    sector: str


@dataclass(frozen=True)
class PersonStep:
    """One row of a people file: the person to add or rename, and the role to give them."""

    row: int
    email: str
    full_name: str
    person: Person | None  # None: added by this step, or by an earlier step of the same address
    rename: bool
    spec: RoleSpec  # without the organisation, which may be added by the plan
    organisation: OrganisationKey | None
    assign: bool
    outcome: Outcome

    @property
    def role_key(self) -> RoleKey:
        return _role_key(self.email, self.spec)


@dataclass(frozen=True)
class PeoplePlan:
    steps: tuple[PersonStep, ...]
    organisations: Mapping[OrganisationKey, Organisation]  # there already
    new_organisations: Mapping[OrganisationKey, NewOrganisation]
    errors: tuple[RowError, ...] = ()

    @property
    def counts(self) -> dict[Outcome, int]:
        return _count(self.steps)


def _pk(item: models.Model | None) -> int | None:
    return None if item is None else item.pk


def _role_key(email: str, spec: RoleSpec) -> RoleKey:
    return (email, spec.kind, _pk(spec.city), _pk(spec.theme), _pk(spec.service))


def _organisation_key(organisation: Organisation | None) -> OrganisationKey | None:
    return None if organisation is None else (organisation.city_id, organisation.name.casefold())


def _person_step(
    record: PersonRecord,
    *,
    programme: Programme,
    person: Person | None,
    names: Mapping[str, str],
    held: Mapping[RoleKey, OrganisationKey | None],
    holders: Mapping[tuple[int, str], Sequence[tuple[str, str]]],
) -> tuple[PersonStep | None, RowError | None]:
    """The step of ``record``, given who is named and holds which role after the earlier rows."""
    spec = RoleSpec(kind=record.kind, city=record.city, theme=record.theme, service=record.service)
    organisation = (
        None if record.city is None or not record.organisation else (record.city.pk, record.organisation.casefold())
    )
    key = _role_key(record.email, spec)
    if key not in held:
        others = holders.get((record.city.pk, record.kind), ()) if record.city is not None else ()
        try:
            check_role(
                person=person,
                programme=programme,
                spec=spec,
                holders=[name for email, name in others if email != record.email],
            )
        except ValidationError as error:
            return None, RowError(record.row, "role", " ".join(error.messages))
    added = record.email not in names
    rename = not added and names[record.email] != record.full_name
    assign = key not in held or (organisation is not None and held[key] != organisation)
    outcome: Outcome = "created" if added else "updated" if rename or assign else "unchanged"
    step = PersonStep(
        row=record.row,
        email=record.email,
        full_name=record.full_name,
        person=person,
        rename=rename,
        spec=spec,
        organisation=organisation,
        assign=assign,
        outcome=outcome,
    )
    return step, None


def plan_people(*, programme: Programme, records: Sequence[PersonRecord]) -> PeoplePlan:
    """Who the records add or rename, which roles they give, and which organisations they add."""
    persons = {person.email: person for person in Person.objects.filter(email__in={r.email for r in records})}
    roles = list(
        Role.objects.filter(programme=programme).select_related("person", "city", "theme", "service", "organisation")
    )
    organisations = {
        (organisation.city_id, organisation.name.casefold()): organisation
        for organisation in Organisation.objects.filter(city__programme=programme).select_related("city")
    }
    names = {email: person.full_name for email, person in persons.items()}
    held: dict[RoleKey, OrganisationKey | None] = {
        _role_key(
            role.person.email, RoleSpec(RoleKind(role.kind), role.city, role.theme, role.service)
        ): _organisation_key(role.organisation)
        for role in roles
    }
    holders: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for role in roles:
        if role.city_id is not None:
            holders[(role.city_id, role.kind)].append((role.person.email, str(role.person)))
    new_organisations: dict[OrganisationKey, NewOrganisation] = {}
    steps: list[PersonStep] = []
    errors: list[RowError] = []
    for record in records:
        step, error = _person_step(
            record, programme=programme, person=persons.get(record.email), names=names, held=held, holders=holders
        )
        if step is None:
            errors += [error] if error is not None else []
            continue
        steps.append(step)
        names[step.email] = step.full_name
        if step.role_key not in held and step.spec.city is not None:
            holders[(step.spec.city.pk, step.spec.kind)].append((step.email, step.full_name))
        if step.assign:
            held[step.role_key] = step.organisation
        if step.organisation is not None and step.organisation not in organisations and record.city is not None:
            new_organisations.setdefault(
                step.organisation, NewOrganisation(record.city, record.organisation, record.sector or Sector.OTHER)
            )
    return PeoplePlan(
        steps=tuple(steps), organisations=organisations, new_organisations=new_organisations, errors=tuple(errors)
    )
