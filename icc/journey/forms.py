from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.accounts.models import Person
from icc.cities.models import CityType, RoleKind
from icc.core import uploads
from icc.core.validators import EVERY_WEEKS, validate_day
from icc.core.versioning import VersionField
from icc.core.widgets import LOCAL_MINUTE, DayInput, LocalDateTimeInput
from icc.journey.models import FORMER_DCC, Event, EventStatus, EventType, Recurrence, Review, Submission


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
    version = VersionField()

    def __init__(self, *args: Any, event: Event, people: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "version": event.sequence,
                "status": event.status,
                "attendees": list(event.attendees.all()),
                "other_attendees": event.other_attendees,
                "minutes": event.minutes,
                "outcomes": event.outcomes,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


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
