"""The form that makes a personal access token: a name, its scopes, and an optional expiry."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.api.models import Scope
from icc.core.validators import validate_day

# The furthest a token may be set to expire; one without an expiry lasts until revoked.
MAX_DAYS = 366


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell it from the others, e.g. the script that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may read"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day],
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean_expires_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + dt.timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Choose a day within a year from today."))
        return day

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the platform's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
