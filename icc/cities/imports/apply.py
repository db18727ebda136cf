"""Applying a plan through the actions the pages use, in one transaction: all of it or nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from icc.cities import actions
from icc.cities.imports.plan import CityPlan, CityStep, OrganisationKey, PeoplePlan, PersonStep
from icc.cities.imports.read import RowError
from icc.cities.models import Network, Organisation

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.actions import Actor
    from icc.programmes.models import Programme


def _save_city(step: CityStep, networks: Sequence[Network], *, by: Actor, source: str) -> None:
    city = step.city

    def save_m2m() -> None:
        city.secondary_themes.set(step.secondary_themes)
        city.networks.set(networks)

    actions.save_city(city=city, changed=list(step.changed), by=by, source=source, save_m2m=save_m2m)


@transaction.atomic
def apply_cities(*, plan: CityPlan, by: Actor, source: str) -> None:
    added = {name.casefold(): actions.add_network(name=name, by=by, source=source) for name in plan.new_networks}
    networks = {**plan.networks, **added}
    for step in plan.steps:
        if step.outcome != "unchanged":
            _save_city(step, [networks[name] for name in step.networks], by=by, source=source)


def _apply_person(
    step: PersonStep,
    person: Person | None,
    organisations: Mapping[OrganisationKey, Organisation],
    *,
    programme: Programme,
    by: Actor,
    source: str,
    invite: bool,
) -> Person:
    """Add or rename the person of ``step`` and give them its role; the person, as saved."""
    if person is None:
        person = actions.invite_person(
            programme=programme, email=step.email, full_name=step.full_name, specs=[], by=by, send=invite, source=source
        )
    elif step.rename:
        actions.update_person(person=person, full_name=step.full_name, email=person.email, by=by, source=source)
    if step.assign:
        organisation = organisations[step.organisation] if step.organisation is not None else None
        spec = dataclasses.replace(step.spec, organisation=organisation)
        actions.assign_role(person=person, programme=programme, spec=spec, by=by, source=source)
    return person


def apply_people(
    *, programme: Programme, plan: PeoplePlan, by: Actor, source: str, invite: bool
) -> tuple[RowError, ...]:
    """Save the plan; a rule that refuses a step (someone changed the roles meanwhile) undoes all of it."""
    with transaction.atomic():
        organisations = {
            **plan.organisations,
            **{
                key: actions.add_organisation(city=new.city, name=new.name, sector=new.sector, by=by, source=source)
                for key, new in plan.new_organisations.items()
            },
        }
        added: dict[str, Person] = {}
        for step in plan.steps:
            try:
                person = _apply_person(
                    step,
                    step.person or added.get(step.email),
                    organisations,
                    programme=programme,
                    by=by,
                    source=source,
                    invite=invite,
                )
            except ValidationError as error:
                transaction.set_rollback(True)
                return (RowError(step.row, "role", " ".join(error.messages)),)
            added.setdefault(step.email, person)
    return ()
