from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.accounts.models import Person
from icc.cities.models import CORE_TYPES, MENTOR_TYPES, City, RoleKind
from icc.core import lengths
from icc.core.validators import BRAIN_DATE_SIZE, MENTOR_CAPACITY, TAG_SIZE
from icc.core.versioning import VersionedForm, VersionField
from icc.core.widgets import DayInput
from icc.programmes.models import Programme, Theme
from icc.tags.models import (
    Award,
    Commitment,
    CommitmentStatus,
    Lab,
    Nomination,
    PairingRule,
    Project,
    Session,
    Tag,
    UseCase,
)


class PreferencesForm(forms.Form):
    """Up to three mentors, ranked."""

    def __init__(self, *args: Any, mentors: list[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((m.pk, m.name) for m in mentors)]
        self.mentors = {m.pk: m for m in mentors}
        for rank, label in enumerate((_("First choice"), _("Second choice"), _("Third choice")), start=1):
            self.fields[f"rank_{rank}"] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, required=False, empty_value=None
            )
            self.fields[f"rank_{rank}"].error_messages["invalid_choice"] = _("Choose one of the edition's mentors.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(f"rank_{rank}") for rank in (1, 2, 3)]
        picked = [c for c in chosen if c]
        if len(set(picked)) != len(picked):
            raise forms.ValidationError(_("Each mentor can be ranked only once."))
        if (chosen[1] and not chosen[0]) or (chosen[2] and not chosen[1]):
            raise forms.ValidationError(_("Fill the choices in order: first, then second, then third."))
        return data

    def ranked(self) -> list[City]:
        return [self.mentors[c] for c in (self.cleaned_data.get(f"rank_{r}") for r in (1, 2, 3)) if c]


class RuleForm(forms.ModelForm):
    class Meta:
        model = PairingRule
        fields = ["city", "mentor", "kind"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cities = City.objects.filter(programme=programme)
        self.fields["city"].queryset = cities.filter(type__in=CORE_TYPES)  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = cities.filter(type__in=MENTOR_TYPES)  # type: ignore[attr-defined]
        self.fields["city"].label = _("Core city")
        self.fields["mentor"].label = _("Mentor city")
        self.fields["city"].error_messages["invalid_choice"] = _("Choose a core city of this edition.")
        self.fields["mentor"].error_messages["invalid_choice"] = _("Choose a mentor city of this edition.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        city, mentor = data.get("city"), data.get("mentor")
        if city and mentor and PairingRule.objects.filter(city=city, mentor=mentor).exists():
            raise forms.ValidationError(
                _("There is already a rule for %(city)s and %(mentor)s: remove it first.")
                % {"city": city, "mentor": mentor}
            )
        return data


class RunForm(forms.Form):
    min_size = TAG_SIZE.integer_field(label=gettext_lazy("Fewest core cities per TAG"), initial=5)
    max_size = TAG_SIZE.integer_field(label=gettext_lazy("Most core cities per TAG"), initial=7)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("min_size") and data.get("max_size") and data["min_size"] > data["max_size"]:
            raise forms.ValidationError(_("The fewest cannot be more than the most."))
        return data


class CapacityForm(forms.Form):
    def __init__(self, *args: Any, mentors: list[City], capacities: dict[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentors = mentors
        for mentor in mentors:
            self.fields[f"m{mentor.pk}"] = MENTOR_CAPACITY.integer_field(
                label=mentor.name, initial=capacities.get(mentor.pk, 1)
            )

    def capacities(self) -> dict[City, int]:
        return {m: self.cleaned_data[f"m{m.pk}"] for m in self.mentors}


class TopicForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("What it would cover"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=lengths.TEXT,
    )


class TopicVoteForm(forms.Form):
    """A city's vote, sent with the topic its vote was on when the page was opened."""

    replacing = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, tag: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replacing"].choices = [("", "—"), *((t.pk, t.title) for t in tag.topics.all())]  # type: ignore[attr-defined]
        self.fields["replacing"].error_messages["invalid_choice"] = _(
            "The page was out of date: look at the topics again and vote."
        )


class SessionForm(VersionedForm):
    class Meta:
        model = Session
        fields = ["agenda", "pre_reads", "questions", "notes"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("How far did it get?"),
        choices=[(v, label) for v, label in CommitmentStatus.choices if v != CommitmentStatus.OPEN],
    )
    note = forms.CharField(label=gettext_lazy("Follow-up"), required=False, max_length=2000)


class SecondMentorForm(forms.Form):
    theme = forms.ModelChoiceField(label=gettext_lazy("Secondary theme"), queryset=Theme.objects.none())
    mentor = forms.ModelChoiceField(label=gettext_lazy("Mentor city"), queryset=City.objects.none())
    message = forms.CharField(
        label=gettext_lazy("What would you like help with?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=lengths.NOTE,
    )

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = city.secondary_themes.all()  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = City.objects.filter(  # type: ignore[attr-defined]
            programme_id=city.programme_id, type__in=MENTOR_TYPES
        )
        self.fields["theme"].error_messages["invalid_choice"] = _("Choose one of the city's secondary themes.")
        self.fields["mentor"].error_messages["invalid_choice"] = _("Choose a mentor city of this edition.")


class LabForm(forms.ModelForm):
    class Meta:
        model = Lab
        fields = ["title", "held_on", "picks_close_on", "min_group", "max_group"]
        widgets = {
            "held_on": DayInput(),
            "picks_close_on": DayInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("min_group", "max_group"):
            BRAIN_DATE_SIZE.apply(self.fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("picks_close_on") and data.get("held_on") and data["picks_close_on"] > data["held_on"]:
            self.add_error("picks_close_on", _("Picks must close before the lab is held."))
        low, high = data.get("min_group"), data.get("max_group")
        if low is not None and high is not None and not 2 <= low <= high:
            self.add_error("max_group", _("Brain dates take at least two cities, and the largest cannot be smaller."))
        return data


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description", "theme", "topic", "slowest", "barriers", "questions"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("description", "barriers", "questions")}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = programme.themes.all()  # type: ignore[attr-defined]
        self.fields["theme"].error_messages["invalid_choice"] = _("Choose one of the edition's themes.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("slowest") and not data.get("barriers"):
            self.add_error("barriers", _("Say what holds the slowest-moving project back."))
        return data


class PicksForm(forms.Form):
    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = {p.pk: p for p in projects}
        choices = [("", "—"), *((p.pk, str(p)) for p in projects)]
        for rank in range(1, 6):
            self.fields[f"pick_{rank}"] = forms.TypedChoiceField(
                label=_("Pick %(rank)s") % {"rank": rank}, choices=choices, coerce=int, required=False, empty_value=None
            )
            self.fields[f"pick_{rank}"].error_messages["invalid_choice"] = _("Choose a peer's project of this lab.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = [data.get(f"pick_{rank}") for rank in range(1, 6)]
        given = [p for p in picked if p]
        if len(set(given)) != len(given):
            raise forms.ValidationError(_("Each project can be picked only once."))
        if any(picked[i] and not picked[i - 1] for i in range(1, 5)):
            raise forms.ValidationError(_("Fill the picks in order, from the first."))
        return data

    def ranked(self) -> list[Project]:
        return [self.projects[p] for p in (self.cleaned_data.get(f"pick_{r}") for r in range(1, 6)) if p]


class TakeawaysForm(forms.Form):
    version = VersionField()
    takeaway_1 = forms.CharField(label=gettext_lazy("First takeaway"), max_length=2000)
    takeaway_2 = forms.CharField(label=gettext_lazy("Second takeaway"), max_length=2000, required=False)
    takeaway_3 = forms.CharField(label=gettext_lazy("Third takeaway"), max_length=2000, required=False)


class UseCaseForm(forms.ModelForm):
    class Meta:
        model = UseCase
        fields = ["category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class NominationForm(forms.Form):
    award = forms.ChoiceField(label=gettext_lazy("Award"), choices=Award.choices)
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none(), required=False)
    person = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=Person.objects.none(), required=False)
    reason = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(programme=programme).order_by("name")  # type: ignore[attr-defined]
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(roles__programme=programme).exclude(roles__kind=RoleKind.STAKEHOLDER).distinct()
        )
        self.fields["city"].error_messages["invalid_choice"] = _("Choose a city of this edition.")
        self.fields["person"].error_messages["invalid_choice"] = _("Choose a person of this edition.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("city")) == bool(data.get("person")):
            raise forms.ValidationError(_("Nominate either a city or a person."))
        return data

    def nomination(self, programme: Programme) -> Nomination:
        return Nomination(
            programme=programme,
            award=self.cleaned_data["award"],
            city=self.cleaned_data.get("city"),
            person=self.cleaned_data.get("person"),
            reason=self.cleaned_data["reason"],
        )
