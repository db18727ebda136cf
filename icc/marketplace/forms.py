"""The marketplace's forms: a solution, a provider, a deployment, a challenge, a city's
profile, a review decision, a report, and the browsing filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.core.params import ModelIdsField
from icc.marketplace.models import BUDGET_LIMIT, URL_LENGTH, Challenge, CityProfile, Deployment, Provider, Solution
from icc.marketplace.vocabulary import DATA_MODEL, SDG_TARGET, SPDX, Function, Mim, ProviderKind
from icc.programmes.models import Programme, Theme

SEARCH_LENGTH = 200
LIST_LIMIT = 20


def _codes(text: str, pattern: Any, message: str) -> list[str]:
    """Comma-separated codes, each checked against ``pattern``; duplicates dropped."""
    codes = [c.strip() for c in (text or "").replace(";", ",").split(",") if c.strip()]
    if len(codes) > LIST_LIMIT:
        raise forms.ValidationError(_("At most %(limit)s, separated by commas.") % {"limit": LIST_LIMIT})
    wrong = [c for c in codes if not pattern.match(c)]
    if wrong:
        raise forms.ValidationError(message % {"codes": ", ".join(wrong[:5])})
    return list(dict.fromkeys(codes))


class CodesField(forms.CharField):
    def __init__(self, *, pattern: Any, message: Any, **kwargs: Any) -> None:
        self.pattern, self.message = pattern, message
        super().__init__(required=False, max_length=500, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[str]:
        return _codes(super().clean(value), self.pattern, self.message)


def _data_models() -> CodesField:
    return CodesField(
        label=gettext_lazy("Smart Data Models"),
        pattern=DATA_MODEL,
        message=gettext_lazy("Not a Smart Data Models entity name: %(codes)s (for example WeatherObserved)."),
        help_text=gettext_lazy("Entity names separated by commas, for example StreetLight, WeatherObserved."),
    )


def _sdgs() -> CodesField:
    return CodesField(
        label=gettext_lazy("SDG targets"),
        pattern=SDG_TARGET,
        message=gettext_lazy("Not an SDG target: %(codes)s (for example 11.2 or 7.a)."),
        help_text=gettext_lazy("As the UN numbers them, separated by commas: 11.2, 7.a."),
    )


def _url(label: Any) -> forms.URLField:
    return forms.URLField(label=label, required=False, max_length=URL_LENGTH, assume_scheme="https")


class SolutionForm(forms.ModelForm):
    functions = forms.MultipleChoiceField(
        label=gettext_lazy("Technology functions"), choices=Function.choices, widget=forms.CheckboxSelectMultiple
    )
    mims = forms.MultipleChoiceField(
        label=gettext_lazy("OASC MIMs"), choices=Mim.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    data_models = _data_models()
    sdgs = _sdgs()
    repository = _url(gettext_lazy("Source code"))

    class Meta:
        model = Solution
        fields = [
            "name",
            "provider",
            "summary",
            "themes",
            "functions",
            "mims",
            "data_models",
            "ngsi_ld",
            "standards",
            "requirements",
            "cost_model",
            "licence",
            "repository",
            "development",
            "sdgs",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}
        field_classes = {"themes": ModelIdsField}

    def __init__(self, *args: Any, programme: Programme, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        cast(forms.ModelChoiceField, self.fields["themes"]).queryset = Theme.objects.filter(programme=programme)
        self.fields["themes"].required = False

    def clean_licence(self) -> str:
        licence = (self.cleaned_data.get("licence") or "").strip()
        if licence and not SPDX.match(licence):
            raise forms.ValidationError(_("Write the licence as an SPDX identifier, for example EUPL-1.2 or MIT."))
        return licence


class ProviderForm(forms.ModelForm):
    website = _url(gettext_lazy("Website"))

    class Meta:
        model = Provider
        fields = ["name", "kind", "country", "website"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        # A city that provides a solution is the city itself, not a provider written here.
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            c for c in ProviderKind.choices if c[0] != ProviderKind.CITY
        ]

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if Provider.objects.filter(programme=self.instance.programme, name__iexact=name).exists():
            raise forms.ValidationError(
                _("A provider of this name is already in the marketplace: choose it in the list.")
            )
        return name


class DeploymentForm(forms.ModelForm):
    class Meta:
        model = Deployment
        fields = ["city", "started_on", "scale", "outcome", "kpi", "action"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, cities: Any, kpis: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = cities
        cast(forms.ModelChoiceField, self.fields["kpi"]).queryset = kpis
        cast(forms.ModelChoiceField, self.fields["action"]).queryset = actions


class ChallengeForm(forms.ModelForm):
    functions = forms.MultipleChoiceField(
        label=gettext_lazy("Technology functions needed"),
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    data_models = _data_models()
    sdgs = _sdgs()

    class Meta:
        model = Challenge
        fields = [
            "city",
            "title",
            "context",
            "theme",
            "functions",
            "data_models",
            "sdgs",
            "budget_min",
            "budget_max",
            "needed_by",
        ]
        widgets = {"needed_by": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, programme: Programme, cities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = cities
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = Theme.objects.filter(programme=programme)
        for name in ("budget_min", "budget_max"):
            self.fields[name].widget.attrs["max"] = BUDGET_LIMIT

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and high < low:
            self.add_error("budget_max", _("The budget's upper end is below its lower end."))
        if not data.get("functions") and not data.get("data_models"):
            self.add_error(
                "functions", _("Choose at least one function or name a data model, so that solutions can be matched.")
            )
        return data


class ProfileForm(forms.ModelForm):
    mims = forms.MultipleChoiceField(
        label=gettext_lazy("OASC MIMs adopted"),
        choices=Mim.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CityProfile
        fields = [
            "summary",
            "open_data_portal",
            "open_data_charter",
            "platforms",
            "mims",
            "procurement",
            "procurement_contact",
            "tenders",
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", gettext_lazy("Publish")), ("refuse", gettext_lazy("Refuse"))])
    reason = forms.CharField(
        label=gettext_lazy("Reason for a refusal"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class BrowseForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=SEARCH_LENGTH)
    theme = forms.ModelChoiceField(label=gettext_lazy("Theme"), queryset=Theme.objects.none(), required=False)
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=[("", "—"), *Function.choices], required=False)
    mim = forms.ChoiceField(label=gettext_lazy("Standard"), choices=[("", "—"), *Mim.choices], required=False)
    country = forms.CharField(label=gettext_lazy("Deployed in country"), required=False, max_length=2)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = Theme.objects.filter(programme=programme)

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()
