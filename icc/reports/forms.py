from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.core import lengths
from icc.reports.models import CITY_KINDS


class RequestForm(forms.Form):
    """Asking for one of a city's reports."""

    kind = forms.ChoiceField(label=_("Report"), choices=[(kind.value, kind.label) for kind in CITY_KINDS])


class SubmitForm(forms.Form):
    """Submitting a made report as the next version of one of the city's deliverables."""

    milestone = forms.TypedChoiceField(label=_("Deliverable"), coerce=int)
    note = forms.CharField(
        label=_("Note to the reviewer"),
        required=False,
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, milestones: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["milestone"]).choices = milestones
