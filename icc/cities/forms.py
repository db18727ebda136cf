from __future__ import annotations

from typing import Any, cast

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from icc.accounts.models import Person, normalise_address
from icc.cities.models import City, Organisation, RoleKind, country_name
from icc.core.validators import AREA_KM2, LATITUDE, LONGITUDE, POPULATION, available_time_zones
from icc.core.versioning import VersionedForm
from icc.programmes.models import Programme, Theme, TransversalService


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda item: item[1])


NUMBER_RANGES = {"population": POPULATION, "area_km2": AREA_KM2, "latitude": LATITUDE, "longitude": LONGITUDE}


# What only the programme team sets: where a city stands in the programme. A city's own
# team changing them would move it out of its experts' sight or off its journey.
PROGRAMME_TEAM_FIELDS = ("type", "former_dcc", "track", "current_phase")


class CityForm(VersionedForm):
    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = City
        fields = [
            "name",
            "country",
            "type",
            "former_dcc",
            "population",
            "area_km2",
            "latitude",
            "longitude",
            "time_zone",
            "track",
            "secondary_themes",
            "networks",
            "current_phase",
            "named_in_comparisons",
            "source",
        ]
        widgets = {"secondary_themes": forms.CheckboxSelectMultiple, "networks": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programme: Programme, manage: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        if not manage:
            for name in PROGRAMME_TEAM_FIELDS:
                del self.fields[name]
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *country_choices()]
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = [("", "—")] + [
            (tz, tz) for tz in sorted(available_time_zones())
        ]
        themes = programme.themes.all()
        if manage:
            self.fields["track"].queryset = themes  # type: ignore[attr-defined]
            self.fields["current_phase"].queryset = programme.phases.all()  # type: ignore[attr-defined]
        self.fields["secondary_themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["secondary_themes"].help_text = _("Mentor cities may mentor themes beyond their main track.")
        for name, number_range in NUMBER_RANGES.items():
            number_range.apply(self.fields[name])

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except forms.ValidationError:
            self.add_error("name", _("This programme already has a city of that name in that country."))


class OrganisationForm(VersionedForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "sector", "website"]

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.city = city

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Organisation.objects.filter(city=self.instance.city, name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This city already lists an organisation of that name."))
        return name


class RoleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none(), required=False)
    theme = forms.ModelChoiceField(label=_("Theme (thematic experts)"), queryset=Theme.objects.none(), required=False)
    service = forms.ModelChoiceField(
        label=_("Transversal service (transversal experts)"), queryset=TransversalService.objects.none(), required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = programme.cities.order_by("name")  # type: ignore[attr-defined]
        self.fields["city"].help_text = _("For lead experts, city representatives, mayors, mentors and stakeholders.")
        self.fields["theme"].queryset = programme.themes.all()  # type: ignore[attr-defined]
        self.fields["service"].queryset = programme.services.all()  # type: ignore[attr-defined]


class InviteForm(RoleForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["full_name", "email", "kind", "city", "theme", "service"]

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "email"]

    def clean_email(self) -> str:
        email = normalise_address(self.cleaned_data["email"])
        if Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another person already uses this e-mail address."))
        return email


class ImportForm(forms.Form):
    KIND_CHOICES = [("cities", _("Cities")), ("people", _("People and roles"))]
    kind = forms.ChoiceField(label=_("What the file holds"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    invite = forms.BooleanField(
        label=_("E-mail an invitation to each new person"),
        required=False,
        help_text=_("Only for people files. People who already have an account are not e-mailed."),
    )
