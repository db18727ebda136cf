from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.accounts.models import Person
from icc.assessments.models import Direction, Indicator
from icc.cities.models import City, Organisation
from icc.core.formatting import format_number
from icc.core.validators import MEASURE, MONEY, RANK, measure_range
from icc.core.versioning import VersionedForm
from icc.core.widgets import DayInput
from icc.programmes.models import Cycle
from icc.roadmaps.actions import ACTION_FIELDS, PlanLine, kpi_name_taken
from icc.roadmaps.models import (
    KPI,
    Action,
    ActionKind,
    Detail,
    Measurement,
    Nature,
    Opportunity,
    Solution,
    Strategy,
    StrategyComment,
)

NOT_NEGATIVE = gettext_lazy("An amount cannot be negative.")


class StrategyForm(VersionedForm):
    class Meta:
        model = Strategy
        fields = ["vision", "short_term_goals", "long_term_goals", "ecosystem_role"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class CommentForm(forms.ModelForm):
    class Meta:
        model = StrategyComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class SolutionForm(VersionedForm):
    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city

    class Meta:
        model = Solution
        fields = ["name", "description", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Solution.objects.filter(city=self.city, name__iexact=name).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("The long list already has a solution called “%(name)s”.") % {"name": name})
        return name


class OpportunityForm(VersionedForm):
    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        RANK.apply(self.fields["rank"])

    class Meta:
        model = Opportunity
        fields = ["title", "need", "rank"]
        widgets = {"need": forms.Textarea(attrs={"rows": 3})}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if Opportunity.objects.filter(city=self.city, title__iexact=title).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The city already has an opportunity called “%(title)s”.") % {"title": title})
        return title

    def clean_rank(self) -> int | None:
        rank = self.cleaned_data.get("rank")
        if rank == 0:
            raise forms.ValidationError(_("Ranks start at 1."))
        return rank


def city_people(city: City) -> Any:
    """The people who can own an action of ``city``: everyone with a role in it."""
    return Person.objects.filter(roles__city=city).distinct().order_by("full_name")


class ActionForm(VersionedForm):
    enablers = forms.MultipleChoiceField(
        label=gettext_lazy("Local enablers it builds on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nature = forms.MultipleChoiceField(
        label=gettext_lazy("Nature (for accelerated impact actions)"),
        choices=Nature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        # What the action itself stores, plus the links it keeps to other records.
        fields = [*ACTION_FIELDS, "depends_on", "kpis", "solutions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DayInput(),
            "ends_on": DayInput(),
            "depends_on": forms.CheckboxSelectMultiple,
            "kpis": forms.CheckboxSelectMultiple,
            "solutions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, city: City, enablers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        fields = self.fields
        fields["opportunity"].queryset = Opportunity.objects.filter(city=city)  # type: ignore[attr-defined]
        fields["owner_person"].queryset = city_people(city)  # type: ignore[attr-defined]
        fields["owner_organisation"].queryset = Organisation.objects.filter(city=city)  # type: ignore[attr-defined]
        fields["cycle"].queryset = Cycle.objects.filter(programme_id=city.programme_id)  # type: ignore[attr-defined]
        fields["depends_on"].queryset = Action.objects.filter(city=city).exclude(pk=self.instance.pk)  # type: ignore[attr-defined]
        fields["kpis"].queryset = KPI.objects.filter(city=city)  # type: ignore[attr-defined]
        fields["solutions"].queryset = Solution.objects.filter(city=city)  # type: ignore[attr-defined]
        fields["enablers"].choices = enablers  # type: ignore[attr-defined]
        fields["owner_person"].error_messages["invalid_choice"] = _("Choose an owner among the people of %(city)s.") % {
            "city": city.name
        }
        fields["owner_organisation"].error_messages["invalid_choice"] = _(
            "Choose an organisation of the ecosystem of %(city)s."
        ) % {"city": city.name}
        fields["cycle"].error_messages["invalid_choice"] = _("Choose one of the programme's cycles.")
        fields["opportunity"].error_messages["invalid_choice"] = _("Choose one of the city's opportunities.")
        for name in ("depends_on", "kpis", "solutions"):
            fields[name].error_messages["invalid_choice"] = _("%(value)s is not one of this city's.")
            fields[name].error_messages["invalid_pk_value"] = _("“%(pk)s” is not a valid choice.")
        for name in ("budget", "spent"):
            fields[name].validators.append(_not_negative)
            MONEY.apply(fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end comes before the start."))
        owner_errors = "owner_person" in self.errors or "owner_organisation" in self.errors
        if not data.get("owner_person") and not data.get("owner_organisation") and not owner_errors:
            self.add_error("owner_person", _("Name an owner: a person or an organisation of the ecosystem."))
        if data.get("owner_person") and data.get("owner_organisation"):
            self.add_error("owner_organisation", _("An action has one owner: a person or an organisation, not both."))
        cycle = data.get("cycle")
        if cycle and starts and ends and (ends < cycle.starts_on or starts > cycle.ends_on):
            self.add_error(
                "cycle",
                _("%(cycle)s runs from %(start)s to %(end)s; the action's dates do not fall in it.")
                % {
                    "cycle": cycle,
                    "start": date_format(cycle.starts_on, "DATE_FORMAT"),
                    "end": date_format(cycle.ends_on, "DATE_FORMAT"),
                },
            )
        if data.get("kind") == ActionKind.ACCELERATED and not (
            data.get("quick") and data.get("limited_investment") and data.get("measurable")
        ):
            self.add_error(
                "kind",
                _(
                    "An accelerated impact action must tick the three boxes: implementable within 5–10 months, "
                    "with limited investment, and measurably improving a city KPI or EU goal."
                ),
            )
        dependencies = data.get("depends_on")
        if dependencies and self.instance.pk and _would_loop(self.city, self.instance.pk, [d.pk for d in dependencies]):
            self.add_error("depends_on", _("These dependencies would make the action depend on itself."))
        return data


def _not_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(NOT_NEGATIVE)


def _would_loop(city: City, action_id: int, dependencies: list[int]) -> bool:
    """Whether making ``action_id`` depend on ``dependencies`` closes a loop."""
    edges: dict[int, list[int]] = {}
    links = Action.depends_on.through.objects.filter(from_action__city=city)
    for source, target in links.values_list("from_action_id", "to_action_id"):
        edges.setdefault(source, []).append(target)
    seen: set[int] = set()
    stack = list(dependencies)
    while stack:
        current = stack.pop()
        if current == action_id:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(edges.get(current, []))
    return False


class ProgressReportForm(VersionedForm):
    """What the owner of an action reports: how far it is and what it has cost."""

    class Meta:
        model = Action
        fields = ["status", "spent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spent"].validators.append(_not_negative)
        MONEY.apply(self.fields["spent"])


class KPIForm(VersionedForm):
    class Meta:
        model = KPI
        fields = [
            "indicator",
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "target_value",
            "target_date",
            "frequency",
        ]
        widgets = {
            "baseline_date": DayInput(),
            "target_date": DayInput(),
        }

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city
        self.fields["indicator"].queryset = Indicator.objects.filter(programme_id=city.programme_id)  # type: ignore[attr-defined]
        self.fields["indicator"].error_messages["invalid_choice"] = _("Choose an indicator of the programme's library.")
        for name in ("name", "unit", "direction"):
            self.fields[name].required = False
        self.fields["name"].help_text = _("Leave empty to use the indicator's name.")
        for name in ("baseline_value", "target_value"):
            MEASURE.apply(self.fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        indicator: Indicator | None = data.get("indicator")
        for name in ("name", "unit", "direction"):
            if not data.get(name):
                if indicator is not None:
                    data[name] = getattr(indicator, name)
                else:
                    self.add_error(name, _("Give this, or choose an indicator from the library."))
        kpi_name = data.get("name")
        if kpi_name and kpi_name_taken(city=self.city, name=kpi_name, excluding=self.instance.pk):
            self.add_error("name", _("The city already tracks a KPI called “%(name)s”.") % {"name": kpi_name})
        if data.get("unit"):
            for name in ("baseline_value", "target_value"):
                if data.get(name) is not None:
                    try:
                        measure_range(data["unit"]).check(data[name])
                    except forms.ValidationError as error:
                        self.add_error(name, error)
        baseline_date, target_date = data.get("baseline_date"), data.get("target_date")
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error("target_date", _("The target date must come after the baseline date."))
        baseline, target, direction = data.get("baseline_value"), data.get("target_value"), data.get("direction")
        if baseline is not None and target is not None and direction:
            if direction == Direction.UP and target <= baseline:
                self.add_error(
                    "target_value",
                    _("Higher is better for this KPI, so the target must be above the baseline (%(baseline)s).")
                    % {"baseline": format_number(baseline, 4)},
                )
            if direction == Direction.DOWN and target >= baseline:
                self.add_error(
                    "target_value",
                    _("Lower is better for this KPI, so the target must be below the baseline (%(baseline)s).")
                    % {"baseline": format_number(baseline, 4)},
                )
        if baseline_date and self.instance.pk:
            first = self.instance.measurements.order_by("date").values_list("date", flat=True).first()
            if first is not None and first < baseline_date:
                self.add_error(
                    "baseline_date",
                    _("A value was measured on %(date)s; the baseline cannot come after it.")
                    % {"date": date_format(first, "DATE_FORMAT")},
                )
        return data


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["date", "value", "source"]
        widgets = {"date": DayInput()}

    def __init__(self, *args: Any, kpi: KPI, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        measure_range(kpi.unit).apply(self.fields["value"])

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date <= self.kpi.baseline_date:
            raise forms.ValidationError(
                _("The baseline is dated %(baseline)s; a measurement must come after it.")
                % {"baseline": date_format(self.kpi.baseline_date, "DATE_FORMAT")}
            )
        if date > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future: measure first, then record."))
        if self.kpi.measurements.filter(date=date).exists():
            raise forms.ValidationError(
                _("There is already a value for %(date)s.") % {"date": date_format(date, "DATE_FORMAT")}
            )
        return date


class CyclePlanForm(forms.Form):
    review = forms.CharField(
        label=gettext_lazy("Review of the last cycle"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        help_text=gettext_lazy("What was done, which KPIs moved, what the budget went to, what comes next."),
    )


class RankForm(forms.Form):
    """The rank of each opportunity in the cycle's top list."""

    def __init__(self, *args: Any, opportunities: list[Opportunity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opportunities = opportunities
        for opportunity in opportunities:
            self.fields[f"rank-{opportunity.pk}"] = RANK.integer_field(
                label=opportunity.title, required=False, initial=opportunity.rank
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[int, str] = {}
        for opportunity in self.opportunities:
            rank = data.get(f"rank-{opportunity.pk}")
            if rank is None:
                continue
            if rank in seen:
                self.add_error(
                    f"rank-{opportunity.pk}",
                    _("Rank %(rank)s is already given to “%(other)s”.") % {"rank": rank, "other": seen[rank]},
                )
            seen[rank] = opportunity.title
        return data

    def ranks(self) -> dict[int, int | None]:
        return {o.pk: self.cleaned_data.get(f"rank-{o.pk}") for o in self.opportunities}


class ReallocationForm(forms.Form):
    """One line of the cycle plan: who owns an action, in which cycle, with what budget.

    The choices are built once for the whole plan and shared by every line, so a plan of
    two hundred actions costs no more queries than a plan of two.
    """

    owner = forms.ChoiceField(label=gettext_lazy("Owner"))
    cycle = forms.TypedChoiceField(label=gettext_lazy("Cycle"), coerce=int, required=False, empty_value=None)
    detail = forms.ChoiceField(label=gettext_lazy("Level of detail"), choices=Detail.choices)
    budget = MONEY.decimal_field(label=gettext_lazy("Budget (€)"), required=False, validators=[_not_negative])
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, action: Action, owners: list[Any], cycles: list[tuple[Any, str]], **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "owner": owner_key(action),
                "cycle": action.cycle.number if action.cycle else None,
                "detail": action.detail,
                "budget": action.budget,
                "version": action.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]
        self.fields["owner"].error_messages["invalid_choice"] = _("Choose an owner among the people of the city.")
        self.fields["cycle"].choices = cycles  # type: ignore[attr-defined]
        self.fields["cycle"].error_messages["invalid_choice"] = _("Choose one of the programme's cycles.")
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} – {action.title}"

    def plan_line(self, cycles: Mapping[int, Cycle]) -> PlanLine:
        """The line as sent, for ``actions.reallocate``; ``cycles`` are the programme's, by number."""
        data = self.cleaned_data
        kind, _sep, owner_id = data["owner"].partition("-")
        return PlanLine(
            action=self.action,
            owner_person_id=int(owner_id) if kind == "person" else None,
            owner_organisation_id=int(owner_id) if kind == "organisation" else None,
            cycle=cycles.get(data["cycle"]) if data["cycle"] else None,
            detail=data["detail"],
            budget=data["budget"],
            expected_version=data["version"],
        )


def owner_key(action: Action) -> str:
    if action.owner_person_id:
        return f"person-{action.owner_person_id}"
    if action.owner_organisation_id:
        return f"organisation-{action.owner_organisation_id}"
    return ""


def owner_choices(city: City) -> list[Any]:
    """The owners an action of ``city`` may have, grouped for a single drop-down."""
    people = [(f"person-{p.pk}", p.full_name or p.email) for p in city_people(city)]
    organisations = [(f"organisation-{o.pk}", o.name) for o in Organisation.objects.filter(city=city)]
    return [("", "—"), (_("People"), people), (_("Organisations"), organisations)]
