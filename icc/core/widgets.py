"""Date pickers whose value is ISO 8601 in every language, as browsers require.

Django's date widgets write their value in the reader's format, so a German page would
give ``<input type="date" value="01.12.2026">`` and the browser would show an empty picker.
"""

from __future__ import annotations

from typing import Any

from django import forms

DAY = "%Y-%m-%d"
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DAY, **kwargs)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_MINUTE, **kwargs)
