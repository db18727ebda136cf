from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from icc.cities.models import CityType, PhaseStatus, country_name
from icc.core.widgets import DayInput
from icc.programmes.models import Cycle, Phase, Programme

StrOrPromise = str | Promise

SORTS = {
    "name": ("name",),
    "country": ("country", "name"),
    "population": ("population", "name"),
    "type": ("type", "name"),
    "track": ("track__order", "name"),
    "phase": ("current_phase__order", "name"),
}
GROUPS = {
    "country": _("Country"),
    "type": _("Type"),
    "track": _("Thematic track"),
    "phase": _("Current phase"),
}
# The grouping the grouped view uses, and its "Group by" box shows, when none is chosen.
DEFAULT_GROUP = "track"


class OverviewFilterForm(forms.Form):
    """The filters, sort order and view of the programme overview, read from the query string."""

    q = forms.CharField(label=_("City name contains"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *CityType.choices])
    track = forms.ChoiceField(label=_("Thematic track"), required=False)
    phase = forms.ChoiceField(label=_("Current phase"), required=False)
    status = forms.ChoiceField(
        label=_("Phase status"), required=False, choices=[("", _("Any status")), *PhaseStatus.choices]
    )
    former_dcc = forms.ChoiceField(
        label=_("Former DCC"),
        required=False,
        choices=[("", _("All")), ("yes", _("Former DCC only")), ("no", _("New cities only"))],
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS]
    )
    view = forms.ChoiceField(required=False, choices=[("table", _("Table")), ("grouped", _("Grouped"))])
    group = forms.ChoiceField(label=_("Group by"), required=False, choices=list(GROUPS.items()))

    def __init__(self, *args: Any, programme: Programme, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("group"):
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["group"] = DEFAULT_GROUP
            self.data = data
        by_name = sorted(((code, country_name(code)) for code in countries), key=lambda item: item[1])
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("All countries")), *by_name]
        themes = [(theme.slug, theme.name) for theme in programme.themes.all()]
        cast(forms.ChoiceField, self.fields["track"]).choices = [
            ("", _("All tracks")),
            ("none", _("No track chosen yet")),
            *themes,
        ]
        phases = [(phase.key, phase.name) for phase in programme.phases.all()]
        cast(forms.ChoiceField, self.fields["phase"]).choices = [
            ("", _("All phases")),
            ("none", _("Not started")),
            *phases,
        ]

    def valid_values(self) -> dict[str, str]:
        """The parameters that passed validation; the rest are ignored and reported."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def ignored(self) -> list[str]:
        self.is_valid()
        return [
            str(
                _("The “%(field)s” filter was ignored: %(error)s")
                % {"field": self.fields[name].label or name, "error": " ".join(str(e) for e in errors)}
            )
            for name, errors in self.errors.items()
        ]


DATE_WIDGETS = {"starts_on": DayInput(), "ends_on": DayInput()}


class _SpanForm(forms.ModelForm):
    """A record with a start and an end date, the end not before the start."""

    ends_before_start: StrOrPromise = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", str(self.ends_before_start))
        return data


class PhaseForm(_SpanForm):
    ends_before_start = _("A phase cannot end before it starts.")

    class Meta:
        model = Phase
        fields = ["name", "starts_on", "ends_on"]
        widgets = DATE_WIDGETS


class CycleForm(_SpanForm):
    ends_before_start = _("A cycle cannot end before it starts.")

    class Meta:
        model = Cycle
        fields = ["starts_on", "ends_on"]
        widgets = DATE_WIDGETS


PhaseFormSet = forms.modelformset_factory(Phase, form=PhaseForm, extra=0, can_delete=False)
CycleFormSet = forms.modelformset_factory(Cycle, form=CycleForm, extra=0, can_delete=False)
