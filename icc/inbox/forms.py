"""The inbox's forms: how often the digest comes, and which notices the page lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.inbox.models import Frequency

if TYPE_CHECKING:
    from icc.accounts.models import Person

ALL, UNREAD = "all", "unread"


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail digest of your inbox"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_("What is new and unread in your inbox, in one e-mail. Every digest has a link to stop it."),
    )


def digest_form_for(person: Person) -> DigestForm:
    """The form as the preferences page shows it, with the person's current choice."""
    from icc.inbox.actions import frequency_of

    return DigestForm(initial={"frequency": frequency_of(person)})


class ShowForm(forms.Form):
    """Every notice or only the unread ones; anything else shows every notice."""

    show = forms.ChoiceField(label=_("Show"), choices=[(ALL, _("All")), (UNREAD, _("Unread only"))], required=False)

    def only_unread(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("show") == UNREAD
