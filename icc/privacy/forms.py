"""The forms of the personal-data pages: asking for erasure, and declining it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.core import lengths


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you want your data erased?"),
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The programme team reads this before it confirms the erasure."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say in a few words why you want your data erased."))
        return reason


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the request declined?"),
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person reads this on their personal data page."),
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say why the request is declined."))
        return note
