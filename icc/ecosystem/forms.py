"""The ecosystem's forms: a stakeholder's profile, a contact, an interview planned and
recorded, a sensitive note, an insight, and the edition's interview guide.

Every choice of a city's organisation or contact is limited to that city's, so that one
of another city is refused as an invalid choice, never saved.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.accounts.models import Person
from icc.cities.models import City, Organisation, Role
from icc.cities.roles import CITY_EDIT_ROLES
from icc.core import lengths
from icc.core.validators import validate_day
from icc.core.versioning import VersionedForm
from icc.core.widgets import DayInput
from icc.ecosystem.models import Contact, Insight, Interview, InterviewGuide, InterviewStatus, Stakeholder


class StakeholderForm(VersionedForm):
    class Meta:
        model = Stakeholder
        fields = ["role", "influence", "interest", "commitment", "champion", "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("influence", "interest"):
            field = cast(forms.IntegerField, self.fields[name])
            field.widget.attrs.update({"min": 1, "max": 5})
            field.error_messages["min_value"] = _("Give a value from 1 to 5.")
            field.error_messages["max_value"] = _("Give a value from 1 to 5.")


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the person's name."))
        return name


def interviewers(city: City) -> Any:
    """Who may interview for the city: its lead expert, representatives and mentor representatives."""
    people = Role.objects.filter(city=city, kind__in=CITY_EDIT_ROLES).values("person")
    return Person.objects.filter(pk__in=people).order_by("full_name", "pk")


def _contact_label(obj: Any) -> str:
    return f"{obj.name} ({obj.organisation.name})"


class InterviewForm(VersionedForm):
    """Plan an interview, or record it: who, when, and the summary shared with the city's team."""

    planned_on = forms.DateField(label=_("Planned for"), widget=DayInput(), validators=[validate_day])
    held_on = forms.DateField(label=_("Held on"), widget=DayInput(), validators=[validate_day], required=False)

    class Meta:
        model = Interview
        fields = ["organisation", "contact", "interviewer", "planned_on", "status", "held_on", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        fields = self.fields
        cast(forms.ModelChoiceField, fields["organisation"]).queryset = Organisation.objects.filter(city=city)
        cast(forms.ModelChoiceField, fields["contact"]).queryset = Contact.objects.filter(
            organisation__city=city
        ).select_related("organisation")
        interviewer = cast(forms.ModelChoiceField, fields["interviewer"])
        interviewer.queryset = interviewers(city)
        interviewer.help_text = _("The city's lead expert, a city representative or a mentor representative.")
        contact = cast(forms.ModelChoiceField, fields["contact"])
        contact.label_from_instance = _contact_label  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, contact = data.get("organisation"), data.get("contact")
        if organisation is not None and contact is not None and contact.organisation_id != organisation.pk:
            self.add_error("contact", _("This person works at another organisation."))
        status, held_on = data.get("status"), data.get("held_on")
        if status == InterviewStatus.HELD and held_on is None:
            self.add_error("held_on", _("Give the day the interview was held."))
        if status != InterviewStatus.HELD and held_on is not None:
            self.add_error("status", _("An interview with a day it was held is marked as held."))
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your sensitive note"),
        required=False,
        max_length=lengths.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Read only by you and the city's lead expert: not by the city representatives, the mayor or the "
            "programme team. Leave it empty to delete your note."
        ),
    )


class InsightForm(forms.ModelForm):
    class Meta:
        model = Insight
        fields = ["text", "enabler", "theme"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, city: City, enablers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enabler"] = forms.ChoiceField(
            label=_("Local enabler"), choices=[("", "—"), *enablers], required=False
        )
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = city.programme.themes.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("enabler") and not data.get("theme"):
            raise forms.ValidationError(_("Tag the insight with a local enabler, a theme, or both."))
        return data


class GuideForm(VersionedForm):
    class Meta:
        model = InterviewGuide
        fields = ["introduction", "questions"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 12})}

    def clean_questions(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Write at least one question."))
        return "\n".join(lines)
