"""Every date picker of every form keeps an ISO value in every language."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.utils import translation

from icc.core.widgets import DayInput, LocalDateTimeInput

FORM_MODULES = [
    "icc.roadmaps.forms",
    "icc.assessments.forms",
    "icc.journey.forms",
    "icc.programmes.forms",
    "icc.tags.forms",
]


def test_a_german_picker_gets_an_iso_value() -> None:
    with translation.override("de"):
        day = DayInput().render("d", dt.date(2026, 12, 1))
        moment = LocalDateTimeInput().render("m", dt.datetime(2026, 12, 1, 9, 30))
    assert 'type="date"' in day and 'value="2026-12-01"' in day
    assert 'type="datetime-local"' in moment and 'value="2026-12-01T09:30"' in moment


def _date_widgets() -> list[tuple[str, forms.Widget]]:
    found: list[tuple[str, forms.Widget]] = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.Form | forms.ModelForm) or form.__module__ != module_name:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field.widget, forms.DateInput | forms.DateTimeInput):
                    found.append((f"{name}.{field_name}", field.widget))
    return found


@pytest.mark.parametrize(("where", "widget"), _date_widgets(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_form_uses_a_picker_that_writes_the_readers_format(where: str, widget: forms.Widget) -> None:
    assert isinstance(widget, DayInput | LocalDateTimeInput), f"{where}: use icc.core.widgets"
