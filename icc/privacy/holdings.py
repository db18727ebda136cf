"""What the platform holds about one person, found through the models' own relations.

Every foreign key, one-to-one and many-to-many field that points at the person model is
followed, in every installed app, so a model added later is exported without a change
here; so are the rows whose e-mail fields carry the person's address, and the audit
entries about them. Secrets (password hashes, token digests, keyed hashes) are never
read out, and neither are other people's sensitive notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from icc.core.models import AuditEntry

if TYPE_CHECKING:
    from icc.accounts.models import Person

# A field whose name holds one of these is a secret, or a hash that could be matched
# against a guess: it is left out of every export.
SECRET_PARTS = ("password", "digest", "hash", "token", "secret", "_key")
# Models never read out: sign-in sessions (they hold only a signed key).
LEFT_OUT = frozenset({"sessions.Session"})
# Models whose rows are read out only when the person wrote them (the named field).
OWN_ONLY = {"ecosystem.SensitiveNote": "author"}


@dataclass(frozen=True)
class Relation:
    """One way a model points at a person: ``model.<field>`` (``many`` for a many-to-many)."""

    model: type[models.Model]
    field: str
    many: bool = False

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


@dataclass
class Group:
    """The rows of one model that concern the person."""

    model: type[models.Model]
    rows: dict[Any, dict[str, Any]] = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def name(self) -> str:
        return self.model._meta.object_name or self.model.__name__

    @property
    def app_name(self) -> str:
        return str(self.model._meta.app_config.verbose_name)

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def latest(self) -> dt.date | None:
        """The newest day among the rows' date and time fields, for the summary page."""
        days = [_day(value) for row in self.rows.values() for value in row.values() if isinstance(value, dt.date)]
        return max(days, default=None)


def _day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def is_secret(name: str) -> bool:
    return any(part in name for part in SECRET_PARTS)


def person_model() -> type[Person]:
    return get_user_model()


def person_relations() -> list[Relation]:
    """Every field of every installed model that points at the person model."""
    person = person_model()
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in LEFT_OUT:
            continue
        for model_field in meta.get_fields():
            if not model_field.is_relation or model_field.auto_created or model_field.related_model is not person:
                continue
            if model_field.many_to_many:
                found.append(Relation(model, model_field.name, many=True))
            elif model_field.concrete:
                found.append(Relation(model, model_field.name))
    return found


def email_fields() -> list[tuple[type[models.Model], str]]:
    """Every e-mail field outside the person model, where someone may have left an address."""
    person = person_model()
    return [
        (model, model_field.name)
        for model in apps.get_models()
        if model is not person and not model._meta.proxy and model._meta.managed
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.EmailField)
    ]


def row_data(obj: models.Model) -> dict[str, Any]:
    """A row's fields by name, its secrets left out; a relation is the related row's id."""
    data: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        if is_secret(model_field.name) or is_secret(model_field.attname):
            continue
        value = model_field.value_from_object(obj)
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        data[model_field.name] = value
    return data


def _allowed(relation_model: type[models.Model], field_name: str) -> bool:
    own = OWN_ONLY.get(relation_model._meta.label)
    return own is None or own == field_name


def gather(person: Person) -> list[Group]:
    """Every row that concerns ``person``, grouped by model (the person's own row first).

    One query per relation and per e-mail field, however many rows there are.
    """
    groups: dict[str, Group] = {}

    def add(model: type[models.Model], objs: Any) -> None:
        group = groups.setdefault(model._meta.label, Group(model))
        for obj in objs:
            group.rows.setdefault(obj.pk, row_data(obj))

    own = person_model()
    add(own, [person])
    for relation in person_relations():
        if not _allowed(relation.model, relation.field):
            continue
        add(relation.model, relation.model._default_manager.filter(**{relation.field: person}).distinct())
    for model, name in email_fields():
        if model._meta.label in OWN_ONLY:
            continue
        add(model, model._default_manager.filter(**{f"{name}__iexact": person.email}))
    add(AuditEntry, AuditEntry.objects.for_object(person))
    return [group for group in groups.values() if group.rows]


def as_document(person: Person, groups: list[Group]) -> dict[str, Any]:
    """The export: ``{app: {model: [row, ...]}}``, with the person's own row's id on top."""
    apps_data: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for group in groups:
        apps_data.setdefault(group.app_label, {})[group.name] = list(group.rows.values())
    return {"person": person.pk, "apps": apps_data}
