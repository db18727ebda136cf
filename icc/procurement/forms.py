"""The forms of a procurement plan: the plan, a phase, a document."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.cities.models import City
from icc.core import validators
from icc.core.params import ModelIdsField
from icc.core.versioning import VersionedForm
from icc.core.widgets import DayInput
from icc.marketplace.models import ProcurementGroup
from icc.procurement.models import DOCUMENT_NAME_LENGTH, TITLE_LENGTH, DocumentKind, Phase, PhaseKind, Plan, kinds_of
from icc.roadmaps.models import Action

PLAN_FIELDS = ["title", "need", "route", "category", "tender_title", "tender_description", "suppliers"]


class PlanForm(VersionedForm):
    cities = ModelIdsField(
        label=gettext_lazy("Cities of the group taking part"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The buying city always takes part."),
    )

    class Meta:
        model = Plan
        fields = [*PLAN_FIELDS, "version"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 4}),
            "tender_description": forms.Textarea(attrs={"rows": 3}),
            "suppliers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, cities: QuerySet[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["cities"]).queryset = cities
        if self.instance.pk is not None:
            if self.instance.group_id is None:
                # A roadmap action's plan is its city's alone: there is nothing to choose.
                self.fields.pop("cities")
            else:
                self.fields["cities"].initial = [c.pk for c in self.instance.taking_part()]


def _group_label(group: ProcurementGroup) -> str:
    return str(group.challenge)


class NewPlanForm(PlanForm):
    """A new plan names what it is for: one of the city's actions, or one of its groups."""

    action = forms.ModelChoiceField(
        label=gettext_lazy("For the roadmap action"), queryset=Action.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Or for the joint-procurement group"),
        queryset=ProcurementGroup.objects.none(),
        required=False,
        help_text=gettext_lazy("A group's plan is written by all its cities; only they take part."),
    )

    field_order = ["action", "group"]

    def __init__(
        self, *args: Any, actions: QuerySet[Action], groups: QuerySet[ProcurementGroup], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        # Only a group's plan takes other cities: the boxes offered are the members of this
        # city's groups, and none when it is in no group. Any other city of the programme
        # is still read, so that the plan's action can say why it may not take part.
        members = City.objects.filter(procurement_groups__in=groups).distinct().order_by("name")
        if members.exists():
            self.fields["cities"].help_text = _(
                "For a joint-procurement group's plan only (a roadmap action's plan is its city's alone). "
                "The buying city always takes part."
            )
            self.fields["cities"].widget.choices = [(c.pk, c.name) for c in members]
        else:
            self.fields.pop("cities")
        action_field = cast(forms.ModelChoiceField, self.fields["action"])
        action_field.queryset = actions
        action_field.error_messages["invalid_choice"] = _("Choose one of this city's own roadmap actions.")
        group_field = cast(forms.ModelChoiceField, self.fields["group"])
        group_field.queryset = groups
        group_field.label_from_instance = _group_label  # type: ignore[method-assign,assignment]
        group_field.error_messages["invalid_choice"] = _("Choose a joint-procurement group this city is a member of.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") and data.get("group"):
            raise forms.ValidationError(_("A plan is for one action or for one group, not both: choose one."))
        chosen = data.get("action") or data.get("group")
        if not chosen and not self.has_error("action") and not self.has_error("group"):
            raise forms.ValidationError(_("Choose the roadmap action or the joint-procurement group it is for."))
        return data


class PhaseForm(forms.ModelForm[Phase]):
    starts_on = forms.DateField(
        label=gettext_lazy("Starts"), required=False, widget=DayInput(), validators=[validators.validate_day]
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends"), required=False, widget=DayInput(), validators=[validators.validate_day]
    )
    budget = validators.MONEY.decimal_field(label=gettext_lazy("Budget (€)"), required=False)

    class Meta:
        model = Phase
        fields = ["kind", "starts_on", "ends_on", "budget", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "notes": gettext_lazy(
                "For those who work on the plan: notes stay on the platform and are not published in the "
                "Open Contracting export."
            )
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = set(plan.phases.exclude(pk=self.instance.pk).values_list("kind", flat=True))
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(k, PhaseKind(k).label) for k in kinds_of(plan.route) if k not in taken]
        if self.instance.pk is not None:
            self.fields.pop("kind")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The phase ends before it starts: the end date must be on or after the start."))
        return data


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_LENGTH)
    upload = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, Word, Excel, PowerPoint or OpenDocument, without macros."),
    )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data["upload"]
        name = Path(upload.name or "").name
        if len(name) > DOCUMENT_NAME_LENGTH:
            raise forms.ValidationError(
                _(
                    "The file's name is %(length)d characters long; the limit is %(limit)d. "
                    "Shorten the name and upload the file again."
                )
                % {"length": len(name), "limit": DOCUMENT_NAME_LENGTH},
                code="name_too_long",
            )
        return upload
