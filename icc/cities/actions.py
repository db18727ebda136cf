"""Changes to cities, organisations, people and roles: each atomic and audited."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from icc.accounts.models import Person, normalise_address
from icc.accounts.tasks import send_invitation
from icc.cities.models import (
    CITY_ROLES,
    CORE_TYPES,
    MAX_CITY_REPS,
    City,
    Network,
    Organisation,
    Role,
    RoleKind,
)
from icc.core.formatting import format_number
from icc.core.models import AuditKind, record
from icc.core.versioning import save_versioned
from icc.programmes.models import Programme, Theme, TransversalService

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Actor = Person | AnonymousUser | None


# What a save of a city's profile writes (its many-to-many fields are set after it).
CITY_FIELDS = [f.name for f in City._meta.concrete_fields if f.name not in {"id", "programme", "version"}]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "all"):
        return sorted(str(v) for v in value.all())
    return str(value)


@transaction.atomic
def save_city(
    *,
    city: City,
    changed: list[str],
    by: Actor,
    source: str = "",
    save_m2m: Callable[[], object] | None = None,
    expected_version: int | None = None,
) -> City:
    """Save a city whose fields are already set, then its many-to-many fields, and audit the change.

    With ``expected_version`` (a form), the save is refused with ``StaleEdit`` if someone
    saved the city since the form was opened."""
    created = city.pk is None
    save_versioned(city, fields=CITY_FIELDS, expected=expected_version)
    if save_m2m is not None:
        save_m2m()
    record(
        obj=city,
        action=AuditKind.CREATED if created else AuditKind.CHANGED,
        actor=by,
        changes={name: _jsonable(getattr(city, name)) for name in changed},
        source=source,
    )
    return city


@dataclass(frozen=True)
class RoleSpec:
    kind: RoleKind
    city: City | None = None
    theme: Theme | None = None
    service: TransversalService | None = None
    organisation: Organisation | None = None


def check_role(
    *, person: Person | None, programme: Programme, spec: RoleSpec, holders: Sequence[str] | None = None
) -> None:
    """Raise ValidationError if ``spec`` does not fit the programme's rules.

    ``holders`` are the names of the others who hold ``spec.kind`` in ``spec.city``; they are
    read from the database unless given (an import counts the roles its earlier rows add).
    """
    kind = spec.kind
    if kind in CITY_ROLES and spec.city is None:
        raise ValidationError(_("A %(role)s role needs a city.") % {"role": kind.label})
    if kind == RoleKind.THEMATIC_EXPERT and spec.theme is None:
        raise ValidationError(_("A thematic expert role needs a theme."))
    if kind == RoleKind.TRANSVERSAL_EXPERT and spec.service is None:
        raise ValidationError(_("A transversal expert role needs a transversal service."))
    for scope in (spec.city, spec.theme, spec.service):
        if scope is not None and scope.programme_id != programme.pk:
            raise ValidationError(_("“%(scope)s” belongs to another programme.") % {"scope": scope})
    city = spec.city
    if city is None:
        return
    if spec.organisation is not None and spec.organisation.city_id != city.pk:
        raise ValidationError(
            _("“%(org)s” is not an organisation of %(city)s.") % {"org": spec.organisation, "city": city}
        )
    if holders is None:
        others = Role.objects.filter(city=city, kind=kind).select_related("person")
        if person is not None and person.pk:
            others = others.exclude(person=person)
        holders = [str(role.person) for role in others]
    if kind == RoleKind.CITY_REP:
        if city.type not in CORE_TYPES:
            raise ValidationError(
                _("%(city)s is a mentor city: add a mentor city representative instead.") % {"city": city}
            )
        if len(holders) >= MAX_CITY_REPS:
            raise ValidationError(
                _("%(city)s already has %(n)s city representatives.")
                % {"city": city, "n": format_number(MAX_CITY_REPS)}
            )
    if kind == RoleKind.MENTOR_REP and city.type in CORE_TYPES:
        raise ValidationError(_("%(city)s is not a mentor city.") % {"city": city})
    if kind in (RoleKind.LEAD_EXPERT, RoleKind.MAYOR) and holders:
        raise ValidationError(
            _("%(city)s already has a %(role)s: %(who)s.")
            % {"city": city, "role": kind.label.lower(), "who": holders[0]}
        )


@transaction.atomic
def assign_role(*, person: Person, programme: Programme, spec: RoleSpec, by: Actor, source: str = "") -> Role:
    """Give ``person`` a role; an identical role already held is returned unchanged."""
    existing = Role.objects.filter(
        person=person, programme=programme, kind=spec.kind, city=spec.city, theme=spec.theme, service=spec.service
    ).first()
    if existing is not None:
        if spec.organisation is not None and existing.organisation_id != spec.organisation.pk:
            existing.organisation = spec.organisation
            existing.save(update_fields=["organisation"])
            record(
                obj=existing,
                action=AuditKind.CHANGED,
                actor=by,
                changes={"organisation": str(spec.organisation)},
                source=source,
            )
        return existing
    check_role(person=person, programme=programme, spec=spec)
    role = Role.objects.create(
        person=person,
        programme=programme,
        kind=spec.kind,
        city=spec.city,
        theme=spec.theme,
        service=spec.service,
        organisation=spec.organisation,
    )
    record(obj=person, action=AuditKind.ROLE_ADDED, actor=by, changes={"role": str(role)}, source=source)
    return role


@transaction.atomic
def remove_role(*, role: Role, by: Actor) -> None:
    record(obj=role.person, action=AuditKind.ROLE_REMOVED, actor=by, changes={"role": str(role)})
    role.delete()


def has_open_invitation(*, email: str) -> bool:
    """Whether ``email`` belongs to a person invited before who has not set a password yet.

    A new invitation replaces that one: the earlier link stops working.
    """
    return Person.objects.filter(
        email__iexact=normalise_address(email), invited_at__isnull=False, password__startswith=UNUSABLE_PASSWORD_PREFIX
    ).exists()


@transaction.atomic
def invite_person(
    *,
    programme: Programme,
    email: str,
    full_name: str,
    specs: list[RoleSpec],
    by: Actor,
    send: bool = True,
    source: str = "",
) -> Person:
    """Create (or find) a person, give them roles, and e-mail them a link to set a password."""
    email = normalise_address(email)
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create_user(email=email, full_name=full_name.strip())
        record(
            obj=person,
            action=AuditKind.CREATED,
            actor=by,
            changes={"email": email, "full_name": person.full_name},
            source=source,
        )
    for spec in specs:
        assign_role(person=person, programme=programme, spec=spec, by=by, source=source)
    if send and not person.has_usable_password():
        person.invited_at = timezone.now()
        person.save(update_fields=["invited_at"])
        transaction.on_commit(lambda: send_invitation.enqueue(person_id=person.pk, programme_id=programme.pk))
    return person


@transaction.atomic
def resend_invitation(*, programme: Programme, person: Person, by: Actor) -> bool:
    """E-mail ``person`` a new link to set a password; whether it replaces one still open."""
    replaces = has_open_invitation(email=person.email)
    invite_person(programme=programme, email=person.email, full_name=person.full_name, specs=[], by=by)
    return replaces


@transaction.atomic
def update_person(*, person: Person, full_name: str, email: str, by: Actor, source: str = "") -> Person:
    """Save a person's name and address; the change is read against what is stored, not ``person``'s fields
    (a model form has set those already)."""
    changes = {}
    email = normalise_address(email)
    stored = Person.objects.filter(pk=person.pk).values("full_name", "email").get()
    if stored["full_name"] != full_name:
        changes["full_name"] = full_name
    if stored["email"] != email:
        changes["email"] = email
    if changes:
        person.full_name, person.email = full_name, email
        person.save(update_fields=["full_name", "email"])
        record(obj=person, action=AuditKind.CHANGED, actor=by, changes=changes, source=source)
    return person


@transaction.atomic
def add_organisation(
    *, city: City, name: str, sector: str, website: str = "", by: Actor, source: str = ""
) -> Organisation:
    organisation = Organisation.objects.create(city=city, name=name.strip(), sector=sector, website=website)
    record(
        obj=organisation,
        action=AuditKind.CREATED,
        actor=by,
        changes={"city": str(city), "sector": sector},
        source=source,
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, changed: list[str], expected_version: int | None, by: Actor
) -> Organisation:
    save_versioned(organisation, fields=["name", "sector", "website"], expected=expected_version)
    record(
        obj=organisation,
        action=AuditKind.CHANGED,
        actor=by,
        changes={name: _jsonable(getattr(organisation, name)) for name in changed},
    )
    return organisation


def _unique_network_slug(name: str) -> str:
    base = slugify(name)[:45] or "network"
    slug, n = base, 2
    while Network.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def add_network(*, name: str, by: Actor, source: str = "") -> Network:
    """Add a city network under a key of its own."""
    network = Network.objects.create(name=name.strip(), slug=_unique_network_slug(name))
    record(obj=network, action=AuditKind.CREATED, actor=by, changes={"name": network.name}, source=source)
    return network
