"""Rows for a person in every model that points at people, made from the models' own fields.

Each relation to the person model gets one row where none points at the person yet:
required fields get a plain value of their type, a relation to another model the first
row it has (or one made the same way). A row the database refuses is reported, not
hidden: the key test checks that the important apps have theirs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from icc.privacy.holdings import Relation, person_model, person_relations

_numbers = itertools.count(1)


def _value(field: models.Field[Any, Any], person: Any, depth: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    number = next(_numbers)
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        if field.related_model is person_model():
            return person
        related = field.related_model
        assert isinstance(related, type), f"{field} points at a model"
        return existing_or_new(related, person, depth + 1)
    if isinstance(field, models.FileField):
        return ContentFile(b"%PDF-1.4 filler", name=f"filler-{number}.pdf")
    if isinstance(field, models.EmailField):
        return f"filler{number}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{number}"
    if isinstance(field, models.SlugField):
        return f"filler-{number}"
    if isinstance(field, models.CharField):
        return f"filler {number}"[: field.max_length or 10]
    if isinstance(field, models.TextField):
        return f"Filler text {number}"
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.DurationField):
        return dt.timedelta(hours=1)
    raise LookupError(f"no value for {field}")


def new_row(model: type[models.Model], person: Any, depth: int = 0, /, **given: Any) -> models.Model:
    if depth > 4:
        raise LookupError(f"{model._meta.label} is too deep")
    values: dict[str, Any] = dict(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values:
            continue
        if field.is_relation and field.related_model is person_model():
            values[field.name] = person
            continue
        if field.has_default() or field.null or (field.blank and not field.is_relation):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[field.name] = _value(field, person, depth)
    obj = model(**values)
    obj.save()
    return obj


def existing_or_new(model: type[models.Model], person: Any, depth: int) -> models.Model:
    found = model._default_manager.order_by("pk").first()
    return found if found is not None else new_row(model, person, depth)


def points_at(relation: Relation, person: Any) -> bool:
    return relation.model._default_manager.filter(**{relation.field: person}).exists()


def fill(person: Any) -> dict[str, str]:
    """Give ``person`` a row through every relation that has none; what could not be made, and why."""
    failed: dict[str, str] = {}
    for relation in person_relations():
        if points_at(relation, person):
            continue
        try:
            with transaction.atomic():
                if relation.many:
                    row = existing_or_new(relation.model, person, 0)
                    getattr(row, relation.field).add(person)
                else:
                    new_row(relation.model, person, **{relation.field: person})
        except Exception as error:
            failed[relation.label] = f"{type(error).__name__}: {error}"
    return failed
