"""The filters of a search of solutions, for the pages of those taking part and for the
public pages alike (its words are in the public catalogue)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from icc.cities.models import country_name
from icc.marketplace.finding import NGSI_LD, CitySize, Counts
from icc.marketplace.vocabulary import DATA_MODEL, SDG_GOALS, Function, Mim
from icc.programmes.models import Programme, Theme

SEARCH_LENGTH = 200


class BrowseForm(forms.Form):
    """The filters of a search of solutions: words and one value per facet. The choices of
    the facets can carry the number of solutions behind each (see :meth:`count`)."""

    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=SEARCH_LENGTH)
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"), queryset=Theme.objects.none(), required=False, empty_label="—"
    )
    sdg = forms.TypedChoiceField(
        label=gettext_lazy("SDG goal"),
        choices=[("", "—"), *((str(g), gettext_lazy("Goal %(goal)s") % {"goal": g}) for g in SDG_GOALS)],
        required=False,
    )
    function = forms.ChoiceField(label=gettext_lazy("Function"), choices=[("", "—"), *Function.choices], required=False)
    standard = forms.ChoiceField(
        label=gettext_lazy("Standard"), choices=[("", "—"), *Mim.choices, (NGSI_LD, "NGSI-LD")], required=False
    )
    data_model = forms.RegexField(
        label=gettext_lazy("Smart Data Model"),
        regex=DATA_MODEL,
        required=False,
        max_length=62,
        error_messages={"invalid": gettext_lazy("A Smart Data Models name, such as StreetLight.")},
    )
    country = forms.ChoiceField(label=gettext_lazy("Deployed in country"), required=False)
    size = forms.ChoiceField(
        label=gettext_lazy("Deployed in cities of"), choices=[("", "—"), *CitySize.choices], required=False
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["theme"]).queryset = Theme.objects.filter(programme=programme)
        countries = sorted({c for c in programme.cities.values_list("country", flat=True) if c})
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", "—"),
            *((code, country_name(code)) for code in countries),
        ]

    def count(self, counts: Counts) -> None:
        """Show how many of the solutions found carry each value of each facet."""
        by_field: dict[str, dict[Any, int]] = {
            "sdg": counts.sdg,
            "function": counts.function,
            "standard": counts.standard,
            "country": counts.country,
        }
        for name, numbers in by_field.items():
            field = cast(forms.ChoiceField, self.fields[name])
            choices = cast(list[tuple[Any, Any]], field.choices)
            field.choices = [
                (value, label if not value else f"{label} ({numbers.get(value, 0)})") for value, label in choices
            ]
        theme = cast(forms.ModelChoiceField, self.fields["theme"])
        themes = cast(QuerySet[Theme], theme.queryset)
        theme.choices = [("", "—"), *((t.pk, f"{t.name} ({counts.theme.get(t.pk, 0)})") for t in themes)]
