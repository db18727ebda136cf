"""Reading ids people send in forms and query strings, which may be anything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """``value`` as a database id, or None when it is not one ("abc", "²", "-1", "1e3", 2**70)."""
    # An id has at most 19 digits; a longer string is refused before int() is asked to
    # convert thousands of digits (which Python refuses with a ValueError).
    if not isinstance(value, str) or len(value) > 19 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses what is no id before the database sees it (a
    30-digit number would overflow the database's integer and fail the whole request)."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if parse_id(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(pk)[:20]}
                    )
        return super().clean(value)
