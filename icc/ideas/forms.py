"""Forms of the calls for ideas: the city team's call and moderation forms, and the
citizen's idea form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.cities.models import City
from icc.core import lengths
from icc.core.versioning import VersionedForm
from icc.core.widgets import DayInput
from icc.ideas.models import LISTED_STATES, QUESTION_LENGTH, TITLE_LENGTH, Idea, IdeaCall, Purpose
from icc.programmes.models import Cycle
from icc.public import translations
from icc.public.field_errors import for_citizens
from icc.public.languages import EU_LANGUAGES
from icc.roadmaps.models import Action


class CallForm(VersionedForm):
    """A call's question and description in each language the city writes in, its purpose and dates."""

    class Meta:
        model = IdeaCall
        fields = ["purpose", "cycle", "opens_on", "closes_on", "voting_opens_on", "voting_closes_on"]
        widgets = {name: DayInput() for name in ["opens_on", "closes_on", "voting_opens_on", "voting_closes_on"]}
        help_texts = {
            "cycle": gettext_lazy("Only for ideas that prepare a cycle's planning."),
            "voting_opens_on": gettext_lazy("Leave the vote's days empty if the ideas are not put to a vote."),
        }

    def __init__(self, *args: Any, city: City, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        self.languages = languages
        self.fields["cycle"].queryset = Cycle.objects.filter(programme_id=city.programme_id)  # type: ignore[attr-defined]
        translations.add_fields(
            self,
            "question",
            label=str(_("Question")),
            languages=languages,
            max_length=QUESTION_LENGTH,
            initial=self.instance.question,
        )
        translations.add_fields(
            self,
            "description",
            label=str(_("Description")),
            languages=languages,
            max_length=lengths.TEXT,
            initial=self.instance.description,
            textarea=True,
        )
        order = [translations.field_name(n, c) for n in ("question", "description") for c in languages]
        self.order_fields([*order, "purpose", "cycle"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["question"] = translations.collect(
                data, "question", languages=self.languages, required=self.languages[0]
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        data["description"] = translations.collect(data, "description", languages=self.languages)
        if data.get("purpose") == Purpose.CYCLE_PLANNING and not data.get("cycle"):
            self.add_error("cycle", _("Choose the cycle whose planning the ideas prepare."))
        elif data.get("purpose") == Purpose.PROJECTS:
            data["cycle"] = None  # a cycle only belongs to a call that prepares its planning
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Sending ideas cannot end before it starts."))
        vote_opens, vote_closes = data.get("voting_opens_on"), data.get("voting_closes_on")
        if vote_opens and vote_closes and vote_closes < vote_opens:
            self.add_error("voting_closes_on", _("The vote cannot end before it starts."))
        return data

    def save(self, commit: bool = True) -> IdeaCall:
        call: IdeaCall = super().save(commit=False)
        call.question = self.cleaned_data["question"]
        call.description = self.cleaned_data["description"]
        return call


class IdeaForm(forms.Form):
    """What a citizen sends: a title, the idea, its language, and an e-mail address if they want news."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_LENGTH)
    text = forms.CharField(
        label=gettext_lazy("Your idea"),
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("What should the city do, and why? At most 2,000 characters."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language you write in"), choices=sorted(EU_LANGUAGES.items()))
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address (optional)"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Only to tell you what happens to your idea. It is never shown to anyone."),
    )
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, language: str, kept_until: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for_citizens(self)
        self.fields["language"].initial = language
        self.fields["consent"].label = _(
            "I agree that the city keeps my e-mail address until %(date)s, only to tell me what happens to my idea."
        ) % {"date": date_format(kept_until, "DATE_FORMAT")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") and not data.get("consent"):
            self.add_error("consent", _("Tick this box to leave your e-mail address, or leave the address empty."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the author reads it)"),
        max_length=lengths.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    """Into which published idea of the same call a duplicate goes; ``targets`` are the call's
    published ideas as (id, label), read once for the whole page."""

    into = forms.TypedChoiceField(label=gettext_lazy("Merge into"), coerce=int)

    def __init__(self, *args: Any, idea: Idea, targets: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "—"), *((pk, label) for pk, label in targets if pk != idea.pk)]  # type: ignore[attr-defined]

    @property
    def has_choices(self) -> bool:
        return len(self.fields["into"].choices) > 1  # type: ignore[attr-defined]


def merge_targets(call: IdeaCall) -> list[tuple[int, str]]:
    ideas = Idea.objects.filter(call=call, state__in=LISTED_STATES).order_by("pk").values_list("pk", "title")
    return [(pk, _("No. %(number)s: %(title)s") % {"number": pk, "title": title}) for pk, title in ideas]


class ActionLinkForm(forms.Form):
    """The roadmap action of the city an idea became; ``choices`` are the city's actions."""

    action = forms.TypedChoiceField(
        label=gettext_lazy("Roadmap action it became"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Not taken up")), *choices]  # type: ignore[attr-defined]


def action_choices(city: City) -> list[tuple[int, str]]:
    return list(Action.objects.filter(city=city).order_by("title", "pk").values_list("pk", "title"))
