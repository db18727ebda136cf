"""The publication settings form: address, languages, introduction, what to show, next update."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.cities.models import City
from icc.core import lengths
from icc.core.params import ModelIdsField
from icc.core.validators import validate_day
from icc.core.widgets import DayInput
from icc.public import translations
from icc.public.actions import SLUG_LENGTH, Settings
from icc.public.languages import CONTENT_LANGUAGE_CHOICES, EU_LANGUAGES
from icc.roadmaps.models import KPI, Action

# The seeds publish progress every 3 to 6 months; a date further than this is a typing error.
FURTHEST_UPDATE_DAYS = 366


class KPIChoices(ModelIdsField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.unit})"


class ActionChoices(ModelIdsField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} · {obj.opportunity.title}"


class PublicationForm(forms.Form):
    slug = forms.SlugField(
        label=gettext_lazy("Address of the public page"),
        max_length=SLUG_LENGTH,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens; it ends the page's address."),
    )
    default_language = forms.ChoiceField(label=gettext_lazy("Default language"), choices=CONTENT_LANGUAGE_CHOICES)
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Other languages the city writes in"),
        choices=CONTENT_LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roadmap_language = forms.ChoiceField(
        label=gettext_lazy("Language of the strategy, actions and KPIs"),
        required=False,
        help_text=gettext_lazy("They are shown as written on the programme's pages, marked with this language."),
    )
    next_update_on = forms.DateField(
        label=gettext_lazy("Next update of the dashboard"),
        required=False,
        widget=DayInput(),
        validators=[validate_day],
        help_text=gettext_lazy("Publish new figures every 3 to 6 months."),
    )
    kpis = KPIChoices(
        label=gettext_lazy("KPIs shown on the dashboard"),
        queryset=KPI.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = ActionChoices(
        label=gettext_lazy("Actions shown on the city page"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any = None, *, city: City, initial: Settings, today: dt.date | None = None) -> None:
        super().__init__(
            data,
            initial={
                "slug": initial.slug,
                "default_language": initial.default_language,
                "languages": [c for c in initial.languages if c != initial.default_language],
                "roadmap_language": initial.roadmap_language,
                "next_update_on": initial.next_update_on,
                "kpis": [k.pk for k in initial.kpis],
                "actions": [a.pk for a in initial.actions],
            },
        )
        self.city = city
        self.today = today or timezone.localdate()
        cast(forms.ChoiceField, self.fields["roadmap_language"]).choices = [
            ("", _("The default language")),
            *CONTENT_LANGUAGE_CHOICES,
        ]
        cast(KPIChoices, self.fields["kpis"]).queryset = KPI.objects.filter(city=city).order_by("name")
        cast(ActionChoices, self.fields["actions"]).queryset = (
            Action.objects.filter(city=city).select_related("opportunity").order_by("opportunity__rank", "starts_on")
        )
        self.written = self._written(data, initial)
        translations.add_fields(
            self,
            "introduction",
            label=_("Introduction"),
            languages=self.written,
            max_length=lengths.TEXT,
            initial=initial.introduction,
            textarea=True,
        )

    @staticmethod
    def _written(data: Any, initial: Settings) -> list[str]:
        """The languages to ask the introduction in: those posted, when they are valid, else the saved ones."""
        default, others = initial.default_language, list(initial.languages)
        if data is not None:
            posted = data.get("default_language")
            default = posted if posted in EU_LANGUAGES else default
            others = [code for code in data.getlist("languages") if code in EU_LANGUAGES]
        return [default, *(code for code in others if code != default)]

    def introduction_fields(self) -> list[forms.BoundField]:
        return [self[translations.field_name("introduction", code)] for code in self.written]

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).lower()

    def clean_next_update_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("next_update_on")
        if day is None:
            return None
        if day < self.today:
            raise forms.ValidationError(_("The next update cannot be in the past."))
        if day > self.today + dt.timedelta(days=FURTHEST_UPDATE_DAYS):
            furthest = self.today + dt.timedelta(days=FURTHEST_UPDATE_DAYS)
            raise forms.ValidationError(
                _("Set a date within the next year (by %(day)s).") % {"day": date_format(furthest, "DATE_FORMAT")}
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default = cleaned.get("default_language")
        if default:
            names = [translations.field_name("introduction", code) for code in self.written]
            given = any((cleaned.get(name) or "").strip() for name in names)
            try:
                # Optional; once written in any language, it must exist in the default one.
                cleaned["introduction"] = translations.collect(
                    cleaned, "introduction", languages=self.written, required=default if given else None
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def settings(self) -> Settings:
        data = self.cleaned_data
        return Settings(
            slug=data["slug"],
            default_language=data["default_language"],
            languages=[c for c in data.get("languages", []) if c != data["default_language"]],
            roadmap_language=data.get("roadmap_language") or "",
            introduction=data.get("introduction", {}),
            next_update_on=data.get("next_update_on"),
            kpis=list(data.get("kpis") or []),
            actions=list(data.get("actions") or []),
        )
