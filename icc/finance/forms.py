"""The forms of access to finance: a call, the catalogue search, a saved search, an
application and a CSV file of calls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pycountry
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.cities.models import City, CityType
from icc.core import validators
from icc.core.params import ModelIdsField
from icc.core.versioning import VersionedForm
from icc.core.widgets import DayInput
from icc.finance.models import CO_FUNDING, Application, ApplicationStatus, Call, SavedSearch
from icc.programmes.models import Programme
from icc.roadmaps.models import Action

MAX_COUNTRIES = 200


def parse_countries(text: str) -> list[str]:
    """ISO 3166 codes or English names separated by commas, semicolons or spaces-between-codes."""
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    if len(parts) == 1 and " " in parts[0] and all(len(p) == 2 for p in parts[0].split()):
        parts = parts[0].split()
    codes, unknown = [], []
    for part in parts:
        try:
            codes.append(str(pycountry.countries.lookup(part).alpha_2))
        except LookupError:
            unknown.append(part)
    if unknown:
        raise forms.ValidationError(
            _("Unknown countries: %(list)s. Use ISO 3166 codes such as DE or PT.") % {"list": ", ".join(unknown[:5])}
        )
    if len(codes) > MAX_COUNTRIES:
        raise forms.ValidationError(_("At most %(n)s countries.") % {"n": MAX_COUNTRIES})
    return list(dict.fromkeys(codes))


def check_call(
    *,
    opens_on: dt.date | None,
    deadline: dt.date | None,
    min_amount: Decimal | None,
    max_amount: Decimal | None,
    new: bool,
    today: dt.date,
) -> dict[str, str]:
    """The problems of a call's dates and amounts, by field (the form and the import share them)."""
    errors: dict[str, str] = {}
    if deadline is not None and opens_on is not None and deadline < opens_on:
        errors["deadline"] = _("The deadline is before the call opens.")
    elif deadline is not None and new and deadline < today:
        errors["deadline"] = _("The deadline %(day)s has passed: a new call must still be open.") % {
            "day": date_format(deadline)
        }
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        errors["max_amount"] = _("The largest grant is smaller than the smallest grant.")
    return errors


class CallForm(VersionedForm):
    themes = ModelIdsField(
        queryset=None, label=gettext_lazy("Themes"), widget=forms.CheckboxSelectMultiple, required=True
    )
    city_types = forms.MultipleChoiceField(
        label=gettext_lazy("Eligible city types"),
        choices=CityType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("None ticked: every type of city may apply."),
    )
    countries = forms.CharField(
        label=gettext_lazy("Eligible countries"),
        max_length=1_000,
        required=False,
        help_text=gettext_lazy("ISO codes separated by commas (DE, PT, FR); empty: every country."),
    )
    co_funding_rate = CO_FUNDING.integer_field(
        label=gettext_lazy("Co-funding rate (%)"),
        help_text=gettext_lazy("The share of the costs the call pays, 0 to 100."),
    )
    min_amount = validators.MONEY.decimal_field(label=gettext_lazy("Smallest grant (€)"), required=False)
    max_amount = validators.MONEY.decimal_field(label=gettext_lazy("Largest grant (€)"), required=False)
    url = forms.URLField(label=gettext_lazy("Link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Call
        fields = [
            "identifier",
            "funding_programme",
            "title",
            "topic",
            "description",
            "themes",
            "opens_on",
            "deadline",
            "city_types",
            "countries",
            "co_funding_rate",
            "min_amount",
            "max_amount",
            "url",
        ]
        widgets = {"opens_on": DayInput(), "deadline": DayInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        cast(forms.ModelChoiceField, self.fields["themes"]).queryset = programme.themes.all()
        if self.instance.pk:
            self.initial["city_types"] = self.instance.city_type_list
            self.initial["countries"] = ", ".join(self.instance.country_list)

    def clean_countries(self) -> str:
        return " ".join(parse_countries(self.cleaned_data.get("countries") or ""))

    def clean_city_types(self) -> str:
        return " ".join(self.cleaned_data.get("city_types") or [])

    def clean_identifier(self) -> str:
        identifier: str = self.cleaned_data["identifier"].strip()
        taken = Call.objects.filter(programme=self.programme, identifier__iexact=identifier).exclude(
            pk=self.instance.pk or 0
        )
        if taken.exists():
            raise forms.ValidationError(_("Another call of the catalogue has this identifier."))
        return identifier

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = check_call(
            opens_on=data.get("opens_on"),
            deadline=data.get("deadline"),
            min_amount=data.get("min_amount"),
            max_amount=data.get("max_amount"),
            new=self.instance.pk is None,
            today=timezone.localdate(),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), max_length=200, required=False)
    theme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Theme"), required=False
    )
    funding_programme = forms.ChoiceField(label=gettext_lazy("Funding programme"), required=False)
    city_type = forms.ChoiceField(
        label=gettext_lazy("Open to city type"), choices=[("", "—"), *CityType.choices], required=False
    )
    country = forms.CharField(label=gettext_lazy("Open to country (ISO code)"), max_length=2, required=False)
    closed = forms.BooleanField(label=gettext_lazy("Include closed calls"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = programme.themes.all()
        names = Call.objects.filter(programme=programme).values_list("funding_programme", flat=True).distinct()
        cast(forms.ChoiceField, self.fields["funding_programme"]).choices = [
            ("", "—"),
            *((n, n) for n in sorted(set(names))),
        ]

    def clean_country(self) -> str:
        value = (self.cleaned_data.get("country") or "").strip().upper()
        if value and pycountry.countries.get(alpha_2=value) is None:
            raise forms.ValidationError(_("Unknown country code “%(code)s”.") % {"code": value})
        return value

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as stored with a saved search (the theme as its id)."""
        data = dict(self.cleaned_data)
        data["theme"] = data["theme"].pk if data.get("theme") else None
        return data

    @classmethod
    def from_saved(cls, search: SavedSearch) -> SearchForm:
        data = {k: v for k, v in search.filters.items() if v not in (None, "", False)}
        return cls(data, programme=search.programme)


class SaveSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "alerts"]
        help_texts = {
            "alerts": gettext_lazy(
                "Off unless you tick it. A notice in your inbox (and your digest) when a new call this search "
                "finds is added. You can turn it off at any time."
            )
        }


class AlertsForm(forms.Form):
    alerts = forms.BooleanField(label=gettext_lazy("Alerts on"), required=False)


class ApplicationForm(VersionedForm):
    call_identifier = forms.CharField(
        label=gettext_lazy("Call identifier"),
        max_length=80,
        help_text=gettext_lazy("As the catalogue lists it, such as HORIZON-CL5-2027-D4-01."),
    )
    amount_requested = validators.MONEY.decimal_field(label=gettext_lazy("Amount requested (€)"))
    amount_secured = validators.MONEY.decimal_field(
        label=gettext_lazy("Amount secured (€)"),
        required=False,
        help_text=gettext_lazy("Only when the application was awarded."),
    )

    class Meta:
        model = Application
        fields = ["action", "amount_requested", "status", "amount_secured", "applied_on", "decided_on", "note"]
        widgets = {"applied_on": DayInput(), "decided_on": DayInput()}

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        action_field = self.fields["action"]
        action_field.queryset = Action.objects.filter(city=city)  # type: ignore[attr-defined]
        action_field.error_messages["invalid_choice"] = _("Choose one of this city's own actions.")
        if self.instance.pk:
            self.initial["call_identifier"] = self.instance.call.identifier

    def clean_call_identifier(self) -> Call:
        identifier = self.cleaned_data["call_identifier"].strip()
        call = Call.objects.filter(programme_id=self.city.programme_id, identifier__iexact=identifier).first()
        if call is None:
            raise forms.ValidationError(
                _("No call of this edition's catalogue has the identifier “%(id)s”.") % {"id": identifier}
            )
        return call

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        secured, requested = data.get("amount_secured"), data.get("amount_requested")
        applied, decided = data.get("applied_on"), data.get("decided_on")
        today = timezone.localdate()
        if applied is not None and applied > today:
            self.add_error("applied_on", _("The application date cannot be in the future."))
        if decided is not None and decided > today:
            self.add_error("decided_on", _("The decision date cannot be in the future."))
        if decided is not None and applied is not None and decided < applied:
            self.add_error("decided_on", _("The decision is dated before the application."))
        if status == ApplicationStatus.AWARDED:
            if secured is None:
                self.add_error("amount_secured", _("Give the amount awarded."))
            elif requested is not None and secured > requested:
                self.add_error("amount_secured", _("The amount secured is more than the amount requested."))
            if decided is None:
                self.add_error("decided_on", _("Give the day of the decision."))
        elif status == ApplicationStatus.REJECTED:
            if secured:
                self.add_error("amount_secured", _("A rejected application secures nothing; leave it empty."))
            if decided is None:
                self.add_error("decided_on", _("Give the day of the decision."))
        elif status == ApplicationStatus.APPLIED:
            if secured:
                self.add_error("amount_secured", _("Nothing is secured before the decision; leave it empty."))
            if decided is not None:
                self.add_error("decided_on", _("An application waiting for its decision has no decision date."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))
