"""The words of a public form's field errors, from the public side's own catalogue.

Django words its field errors ("This field is required.") from its own catalogues, and
it has none for Maltese, Irish is incomplete, and its wording differs from the rest of
the public pages. A form citizens fill in passes through :func:`for_citizens`, which
words each error the way the consultations already do, in all 24 languages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy

from icc.core.validators import check_length

FILL_IN = gettext_lazy("Fill in this field.")
CHOOSE = gettext_lazy("Choose one of the options given.")
NOT_AN_EMAIL = gettext_lazy("This is not an e-mail address.")


@deconstructible
class TextLength:
    """The longest text a field takes, refused in the platform's own words."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        check_length(str(value), self.limit)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLength) and other.limit == self.limit


def for_citizens(form: forms.BaseForm) -> forms.BaseForm:
    """Word every field error of ``form`` from the public side's catalogue; returns the form."""
    for field in form.fields.values():
        field.error_messages = {**field.error_messages, "required": FILL_IN}
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = CHOOSE
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = NOT_AN_EMAIL
        field.validators = [
            TextLength(int(v.limit_value)) if isinstance(v, MaxLengthValidator) else v for v in field.validators
        ]
    return form
