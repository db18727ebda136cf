from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.accounts.models import Person
from icc.cities.models import City, CityType, Organisation, Role, RoleKind
from icc.core import lengths, uploads
from icc.core.validators import EVERY_WEEKS, validate_day
from icc.core.versioning import VersionField
from icc.core.widgets import LOCAL_MINUTE, DayInput, LocalDateTimeInput
from icc.journey.actions import check_expert
from icc.journey.models import EXPERT_VISIT, FORMER_DCC, Event, EventStatus, EventType, Recurrence, Review, Submission
from icc.journey.models.calls import MAX_ITEM_MINUTES
from icc.programmes.models import Programme, TransversalService
from icc.roadmaps.models import Opportunity


class MoveEventForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=LocalDateTimeInput(), input_formats=[LOCAL_MINUTE], validators=[validate_day]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=LocalDateTimeInput(), input_formats=[LOCAL_MINUTE], validators=[validate_day]
    )
    location = forms.CharField(label=_("Place or video link"), max_length=300, required=False)
    version = VersionField()

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "starts_at": timezone.localtime(event.starts_at),
                "ends_at": timezone.localtime(event.ends_at),
                "location": event.location,
                "version": event.sequence,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].help_text = _("In your time zone, %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class RecordEventForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EventStatus.choices)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_attendees = forms.IntegerField(label=_("Other attendees"), min_value=0, max_value=5000, initial=0)
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations of the ecosystem that attended"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()

    def __init__(self, *args: Any, event: Event, people: Any, organisations: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": event.sequence,
                "status": event.status,
                "attendees": list(event.attendees.all()),
                "other_attendees": event.other_attendees,
                "minutes": event.minutes,
                "outcomes": event.outcomes,
                "organisations": list(event.organisations.all()) if organisations is not None else [],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]
        if organisations is None:  # a multi-city event: no one city's ecosystem
            del self.fields["organisations"]
        else:
            field = self.fields["organisations"]
            field.queryset = organisations  # type: ignore[attr-defined]
            field.error_messages["invalid_choice"] = _("Choose organisations of the city's own ecosystem.")


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Follow-up"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DayInput(), validators=[validate_day])

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]

    def clean_due_on(self) -> dt.date:
        due_on: dt.date = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date is in the past."))
        return due_on


class SubmissionForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument, without macros."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{t}" for t in sorted(uploads.DOCUMENT_TYPES))}),
    )
    note = forms.CharField(
        label=_("Note to the reviewer"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def clean_document(self) -> Any:
        """The document passes the upload checks: its size, its type and what its file holds."""
        document = self.cleaned_data["document"]
        uploads.check_document(document)
        return document


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["decision", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}


class AchievementForm(forms.Form):
    evidence_event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)
    evidence_submission = forms.ModelChoiceField(
        label=_("Deliverable"), queryset=Submission.objects.none(), required=False
    )
    evidence_note = forms.CharField(label=_("Note or link"), max_length=2000, required=False)

    def __init__(self, *args: Any, events: Any, submissions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_event"].queryset = events  # type: ignore[attr-defined]
        self.fields["evidence_submission"].queryset = submissions  # type: ignore[attr-defined]


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "time_zone"]


CITY_TYPE_CHOICES = [
    (FORMER_DCC, _("Former DCC cities")),
    (CityType.EU_CORE, _("EU core cities")),
    (CityType.INTERNATIONAL_CORE, _("International core cities")),
    (CityType.EU_MENTOR, _("EU mentor cities")),
    (CityType.INTERNATIONAL_MENTOR, _("International mentor cities")),
]


class LinesField(forms.CharField):
    """A list of short texts, edited one per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class EventTypeForm(forms.ModelForm):
    city_types = forms.MultipleChoiceField(
        label=_("Cities concerned"), choices=CITY_TYPE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"), choices=RoleKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    checklist = LinesField(label=_("Key elements to have ready (one per line)"), required=False, max_length=5000)
    agenda = LinesField(label=_("Illustrative agenda (one item per line)"), required=False, max_length=5000)

    class Meta:
        model = EventType
        fields = [
            "name",
            "purpose",
            "format",
            "mode",
            "duration_minutes",
            "audience",
            "city_types",
            "phases",
            "scheduled_by",
            "recurrence",
            "count",
            "every_weeks",
            "position",
            "checklist",
            "agenda",
            "notes",
        ]
        widgets = {"phases": forms.CheckboxSelectMultiple, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phases"].queryset = self.instance.programme.phases.all()  # type: ignore[attr-defined]
        self.fields["duration_minutes"].validators.append(MaxValueValidator(60 * 24 * 5))
        EVERY_WEEKS.apply(self.fields["every_weeks"])
        if self.instance.key == EXPERT_VISIT:
            self.fields["count"].label = _("Visits each city may book (its credit)")
            self.fields["count"].help_text = _(
                "Cities book these visits when they need them; the schedules do not place them."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        recurrence = data.get("recurrence")
        if recurrence == Recurrence.COUNT and not data.get("count"):
            self.add_error("count", _("Say how many times the event takes place."))
        if recurrence == Recurrence.EVERY and not data.get("every_weeks"):
            self.add_error("every_weeks", _("Say every how many weeks the event takes place."))
        if data.get("count") is not None and data["count"] > 200:
            self.add_error("count", _("At most 200 occurrences."))
        return data


# Ecosystem calls -----------------------------------------------------------------------


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=MAX_ITEM_MINUTES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Ids of its own: the call's page also holds the write-up and follow-up forms.
        kwargs.setdefault("auto_id", "agenda-%s")
        super().__init__(*args, **kwargs)


class BecomesForm(forms.Form):
    """What an agreement becomes: a roadmap action or a follow-up of the city, its owner and due date."""

    BECOMES_CHOICES = [
        ("action", _("A roadmap action of the city")),
        ("follow-up", _("A follow-up of this call")),
    ]

    becomes = forms.ChoiceField(label=_("It becomes"), choices=BECOMES_CHOICES, widget=forms.RadioSelect)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_on = forms.DateField(label=_("Due"), widget=DayInput(), validators=[validate_day], required=False)
    opportunity = forms.ModelChoiceField(
        label=_("Opportunity it serves (for an action)"), queryset=Opportunity.objects.none(), required=False
    )
    optional = False

    def __init__(self, *args: Any, city: City, people: Any, organisations: Any, opportunities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.city = city
        self._people = {f"person-{p.pk}": p for p in people}
        self._organisations = {f"organisation-{o.pk}": o for o in organisations}
        owner = self.fields["owner"]
        owner.choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (_("People of %(city)s") % {"city": city.name}, [(key, p.full_name) for key, p in self._people.items()]),
            (_("Organisations"), [(key, o.name) for key, o in self._organisations.items()]),
        ]
        owner.error_messages["invalid_choice"] = _(
            "The owner must be one of the people or organisations of %(city)s; that one is not."
        ) % {"city": city.name}
        opportunity = self.fields["opportunity"]
        opportunity.queryset = opportunities  # type: ignore[attr-defined]
        opportunity.error_messages["invalid_choice"] = _(
            "That opportunity is not one of %(city)s's: an agreement of %(city)s becomes an action of %(city)s only."
        ) % {"city": city.name}
        if self.optional:
            becomes = self.fields["becomes"]
            becomes.required = False
            becomes.choices = [("", _("Nothing yet: keep it as an agreement")), *self.BECOMES_CHOICES]  # type: ignore[attr-defined]
            becomes.initial = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = data.get("owner") or ""
        data["owner_person"] = self._people.get(key)
        data["owner_organisation"] = self._organisations.get(key)
        becomes = data.get("becomes")
        if not becomes:
            return data
        if not key and "owner" not in self.errors:
            self.add_error(
                "owner", _("Name who owns it: a person or an organisation of %(city)s.") % {"city": self.city.name}
            )
        if becomes == "follow-up" and data["owner_organisation"] is not None:
            self.add_error(
                "owner", _("A follow-up is owned by a person; an organisation can own a roadmap action instead.")
            )
        due_on = data.get("due_on")
        if due_on is None and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the due date."))
        elif due_on is not None and due_on < timezone.localdate():
            self.add_error("due_on", _("The due date is in the past."))
        if becomes == "action" and data.get("opportunity") is None and "opportunity" not in self.errors:
            self.add_error(
                "opportunity", _("Choose the opportunity of %(city)s the action serves.") % {"city": self.city.name}
            )
        return data


class AgreementForm(BecomesForm):
    text = forms.CharField(label=_("What was agreed"), max_length=300)
    organisation = forms.ModelChoiceField(
        label=_("Stakeholder who agreed"), queryset=Organisation.objects.none(), required=False
    )
    field_order = ["text", "organisation", "becomes", "owner", "due_on", "opportunity"]
    optional = True

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        # Ids of its own: the follow-up form on the same page has fields of the same names.
        kwargs.setdefault("auto_id", "agreement-%s")
        super().__init__(*args, organisations=organisations, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _("Choose an organisation of the ecosystem of %(city)s.") % {
            "city": self.city.name
        }


# Transversal expert visits -------------------------------------------------------------


class ExpertChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services: dict[int, list[str]] = {}

    def label_from_instance(self, obj: Any) -> str:
        services = self.services.get(obj.pk)
        return f"{obj.full_name} ({', '.join(services)})" if services else str(obj.full_name)


class VisitForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=TransversalService.objects.none())
    expert = ExpertChoiceField(label=_("Transversal expert"), queryset=Person.objects.none())
    day = forms.DateField(label=_("Day of the visit"), widget=DayInput(), validators=[validate_day])
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=lengths.NOTE,
        help_text=_("The barrier or question the visit should help with."),
    )

    def __init__(self, *args: Any, programme: Programme, experts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        service = self.fields["service"]
        service.queryset = programme.services.all()  # type: ignore[attr-defined]
        service.error_messages["invalid_choice"] = _("Choose one of the edition's transversal services.")
        expert = self.fields["expert"]
        assert isinstance(expert, ExpertChoiceField)
        expert.queryset = experts
        expert.error_messages["invalid_choice"] = _(
            "Choose one of the edition's transversal experts: that person is not one."
        )
        for person_id, name in Role.objects.filter(
            programme=programme, kind=RoleKind.TRANSVERSAL_EXPERT, service__isnull=False
        ).values_list("person_id", "service__name"):
            expert.services.setdefault(person_id, []).append(name)

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The visit date is in the past; choose today or a later day."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("service") and data.get("expert"):
            try:
                check_expert(programme=self.programme, service=data["service"], expert=data["expert"])
            except forms.ValidationError as error:
                self.add_error("expert", error)
        return data


class VisitReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report of the visit"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=lengths.LONG_TEXT,
        help_text=_("What was looked at, what was advised, and what the city does next."),
    )
