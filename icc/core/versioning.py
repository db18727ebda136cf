"""The stale-edit guard: records several people edit carry the version they were opened on.

A save writes only if the record is still at the version the form was opened on; otherwise
it raises ``StaleEdit`` with what is saved now, nothing is written, and the page shows the
saved values beside the refused input so the person can save again on purpose.

    class Opportunity(Versioned): ...                       # the model
    class OpportunityForm(VersionedForm): ...               # the form carries the version
    save_versioned(obj, fields=[...], expected=version)     # in the action
    except StaleEdit as stale: current = refuse_stale(request, stale, form)   # in the view
    {% include "core/_stale.html" %}                       # in the template
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from icc.core.formatting import format_number


class Versioned(models.Model):
    """A record that counts its saves, so that a save over a newer one can be refused."""

    version = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """Someone else saved the record after this edit was opened; nothing was written."""

    def __init__(self, current: models.Model, *, field: str = "version") -> None:
        super().__init__(str(current))
        self.current = current
        self.version = int(getattr(current, field))


def save_versioned(obj: Any, *, fields: list[str], expected: int | None) -> None:
    """Save ``obj``: a new one at version 1, an existing one's ``fields`` only if it is still at ``expected``.

    ``expected=None`` saves without the check (an import, a command) but still counts the
    save, so that a form opened before it is refused.
    """
    model = type(obj)
    if obj.pk is None:
        obj.version = 1
        obj.save()
        return
    if expected is None:
        obj.save()
        model._default_manager.filter(pk=obj.pk).update(version=F("version") + 1)
        obj.version = model._default_manager.values_list("version", flat=True).get(pk=obj.pk)
        return
    concrete = {f.name: f for f in model._meta.concrete_fields}
    values = {concrete[name].attname: getattr(obj, concrete[name].attname) for name in fields}
    if "updated_at" in concrete:
        values["updated_at"] = timezone.now()
    written = model._default_manager.filter(pk=obj.pk, version=expected).update(version=F("version") + 1, **values)
    if not written:
        raise StaleEdit(model._default_manager.get(pk=obj.pk))
    obj.version = expected + 1


def lock_at_version(obj: Any, *, expected: int, field: str = "version") -> None:
    """Lock ``obj``'s row until the transaction ends; refuse with ``StaleEdit`` if it was
    saved since ``expected`` (for records saved together with their many-to-many fields)."""
    current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    if getattr(current, field) != expected:
        raise StaleEdit(current, field=field)


class VersionField(forms.IntegerField):
    """The hidden field a form carries the record's version in."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False, **kwargs)

    def to_python(self, value: Any) -> int:
        """A form sent without it (a new record, a script) was opened on version 0."""
        number = super().to_python(value)
        return 0 if number is None else int(number)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version of the record it was opened on."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data["version"])


def refuse_stale(request: HttpRequest, stale: StaleEdit, form: forms.BaseForm) -> list[tuple[str, str]]:
    """Tell the second editor; keep their input, move the form to the newer version, and
    return what is saved now, field by field, to show beside it."""
    form.data = form.data.copy()  # type: ignore[attr-defined]
    form.data[form.add_prefix("version")] = stale.version  # type: ignore[index]
    messages.error(
        request,
        _(
            "Someone else saved this while you were editing it. Nothing of yours was written: "
            "the form below shows your changes beside what is saved now. Check them and save again."
        ),
    )
    return current_values(form, stale.current)


@dataclass
class Attempt:
    """How a versioned write went: ``saved``, or refused with the form's errors, and
    ``current``, the saved values to show beside the form when someone got there first."""

    saved: bool
    current: list[tuple[str, str]] | None = None


def attempt(request: HttpRequest, form: forms.BaseForm, write: Callable[[], object]) -> Attempt:
    """Run ``write`` (an action with an expected version) for a valid ``form``: bad input
    becomes an error of the form, a stale edit the panel of what is saved now."""
    try:
        write()
    except ValidationError as error:
        form.add_error(None, error)
    except StaleEdit as stale:
        return Attempt(saved=False, current=refuse_stale(request, stale, form))
    else:
        return Attempt(saved=True)
    return Attempt(saved=False)


def current_values(form: forms.BaseForm, current: Any) -> list[tuple[str, str]]:
    values = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(current, name):
            continue
        value = getattr(current, name)
        display = getattr(current, f"get_{name}_display", None)
        if display is not None:
            value = display()
        elif hasattr(value, "all"):
            value = ", ".join(str(v) for v in value.all())
        values.append((str(field.label), _shown(value)))
    return values


def _shown(value: Any) -> str:
    """A saved value as the reader's language writes it (1 Dec 2026, 320,000)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return format_number(value, 4)
    return str(value)


class CountsSavesAdmin(admin.ModelAdmin):
    """An admin whose saves count as versions, so that a page form opened before them is refused."""

    version_field = "version"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), self.version_field]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            setattr(obj, self.version_field, (getattr(obj, self.version_field) or 0) + 1)
        super().save_model(request, obj, form, change)
