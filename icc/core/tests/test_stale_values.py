"""The panel of a refused edit shows the saved values as the reader's language writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.utils import translation

from icc.core.versioning import current_values


class _Form(forms.Form):
    version = forms.IntegerField()
    budget = forms.DecimalField(label="Budget")
    starts_on = forms.DateField(label="Starts on")
    public = forms.BooleanField(label="Public")
    note = forms.CharField(label="Note")


def test_saved_numbers_dates_and_flags_are_written_for_people() -> None:
    saved = SimpleNamespace(
        version=3, budget=Decimal("320000.00"), starts_on=dt.date(2026, 5, 19), public=True, note=None
    )
    with translation.override("en"):
        assert current_values(_Form(), saved) == [
            ("Budget", "320,000"),
            ("Starts on", "19 May 2026"),
            ("Public", "yes"),
            ("Note", ""),
        ]
    with translation.override("de"):
        assert dict(current_values(_Form(), saved))["Budget"] == "320.000"
