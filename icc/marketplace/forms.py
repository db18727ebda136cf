"""The marketplace's forms: a solution, a provider, a deployment, a challenge, a city's
profile, a review decision and a report (the browsing filters are in ``filters``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.accounts.models import Person
from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.params import ModelIdsField
from icc.core.widgets import DayInput
from icc.marketplace.models import (
    BUDGET_LIMIT,
    CONSULTATION_NOTE,
    URL_LENGTH,
    Challenge,
    CityProfile,
    Deployment,
    ProcurementModel,
    Provider,
    Solution,
)
from icc.marketplace.vocabulary import DATA_MODEL, SDG_TARGET, SPDX, Function, Mim, ProviderKind
from icc.programmes.models import Programme, Theme
from icc.roadmaps.models import KPI
from icc.tags.models import Lab

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


# Governance: groups, consultations, deployments from the roadmap, provider people, images.


class LabField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({formats.date_format(obj.held_on, 'DATE_FORMAT')})"


class ProcurementGroupForm(forms.Form):
    lab = LabField(label=gettext_lazy("Cross-city lab"), queryset=Lab.objects.none())
    model = forms.ChoiceField(
        label=gettext_lazy("How the cities mean to buy together"),
        choices=ProcurementModel.choices,
        initial=ProcurementModel.UNDECIDED,
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labs = Lab.objects.filter(programme=programme).order_by("held_on")
        cast(forms.ModelChoiceField, self.fields["lab"]).queryset = labs
        # The next lab, or the latest one when none is ahead.
        chosen = labs.filter(held_on__gte=timezone.localdate()).first() or labs.last()
        if chosen is not None:
            self.fields["lab"].initial = chosen.pk


class ConsultationForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("What the city asks the market"),
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What providers should say: how their solution answers the need, its cost model, where it runs."
        ),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Responses until"), widget=DayInput(), validators=[validators.validate_day]
    )

    def __init__(self, *args: Any, first: dt.date, last: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
        self.fields["closes_on"].initial = first + dt.timedelta(days=27)


class ResponseForm(forms.Form):
    solution = forms.ModelChoiceField(label=gettext_lazy("Your solution"), queryset=Solution.objects.none())
    note = forms.CharField(
        label=gettext_lazy("Note to the city"),
        max_length=CONSULTATION_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("How it answers the need, in a few lines. Only the cities and the reviewers read it."),
    )

    def __init__(self, *args: Any, solutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["solution"]).queryset = solutions


class ActionDeploymentForm(forms.Form):
    """A completed roadmap action recorded as a deployment: its solution, since when, how large."""

    solution = forms.ModelChoiceField(
        label=gettext_lazy("Solution of the marketplace"), queryset=Solution.objects.none()
    )
    started_on = forms.DateField(
        label=gettext_lazy("Deployed since"), widget=DayInput(), validators=[validators.validate_day]
    )
    scale = forms.CharField(
        label=gettext_lazy("Scale"),
        max_length=200,
        help_text=gettext_lazy("For example: 40 buildings, the whole city."),
    )
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"),
        max_length=lengths.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kpi = forms.ModelChoiceField(label=gettext_lazy("KPI it moves"), queryset=KPI.objects.none(), required=False)

    def __init__(self, *args: Any, solutions: Any, kpis: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["solution"]).queryset = solutions
        cast(forms.ModelChoiceField, self.fields["kpi"]).queryset = kpis


class ProviderInviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed when the address has no account yet."),
    )
    city = forms.ModelChoiceField(label=gettext_lazy("Invited by the team of"), queryset=City.objects.none())

    def __init__(self, *args: Any, cities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not cities.exists():  # the programme team invites in its own name
            del self.fields["city"]
            return
        field = cast(forms.ModelChoiceField, self.fields["city"])
        field.queryset = cities
        field.initial = cities.first().pk


class ProviderEditForm(forms.ModelForm):
    """A provider's record of facts; a city that is a provider keeps its kind."""

    website = _url(gettext_lazy("Website"))

    class Meta:
        model = Provider
        fields = ["name", "kind", "country", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind == ProviderKind.CITY:
            del self.fields["kind"]
        else:
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                c for c in ProviderKind.choices if c[0] != ProviderKind.CITY
            ]

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        taken = Provider.objects.filter(programme=self.instance.programme, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(_("Another provider of the marketplace has this name."))
        return name


class LogoForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Logo"), help_text=gettext_lazy("PNG, JPEG or WebP, up to 1 MB and 2,000 pixels a side.")
    )


class ScreenshotForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Screenshot"),
        help_text=gettext_lazy("PNG, JPEG or WebP, up to 3 MB and 4,000 pixels a side."),
    )
    caption = forms.CharField(
        label=gettext_lazy("What it shows"),
        max_length=200,
        help_text=gettext_lazy("Read out to those who cannot see the image."),
    )


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})"


class EditorForm(forms.Form):
    person = PersonField(label=gettext_lazy("Person of a city"), queryset=Person.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=gettext_lazy("The duplicate to fold into this solution"),
        queryset=Solution.objects.none(),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["duplicate"]).queryset = candidates
