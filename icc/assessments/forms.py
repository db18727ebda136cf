"""The form for one response, built from the instrument's questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from icc.assessments.models import MAX_POPULATION, Question, QuestionType
from icc.core.validators import measure_range, validate_day
from icc.core.widgets import DayInput

UNKNOWN = "unknown"
UNKNOWN_LABEL = _("Don't know")


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {"label": question.text, "help_text": question.help, "required": False}
    unknown: list[tuple[str, Any]] = [(UNKNOWN, UNKNOWN_LABEL)] if question.allow_unknown else []
    kind = question.type
    if kind == QuestionType.SCALE:
        choices: list[tuple[str, Any]] = [
            (str(i), f"{i} – {label}") for i, label in enumerate(question.levels, start=1)
        ]
        return forms.ChoiceField(choices=choices + unknown, widget=forms.RadioSelect, **common)
    if kind == QuestionType.SINGLE:
        return forms.ChoiceField(
            choices=[*((c, c) for c in question.choices), *unknown], widget=forms.RadioSelect, **common
        )
    if kind == QuestionType.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionType.PERCENTAGE:
        return forms.DecimalField(
            min_value=Decimal(0),
            max_value=Decimal(100),
            decimal_places=2,
            **{**common, "label": f"{question.text} (%)"},
        )
    if kind == QuestionType.YEAR:
        return forms.IntegerField(min_value=1900, max_value=2100, **common)
    if kind == QuestionType.NUMBER:
        label = f"{question.text} ({question.unit})" if question.unit else question.text
        return measure_range(question.unit).decimal_field(**{**common, "label": label})
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)


class ResponseForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Question], disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = _field(question)
            field.disabled = disabled
            self.fields[f"q{question.pk}"] = field
            if question.allow_unknown and question.type not in (QuestionType.SCALE, QuestionType.SINGLE):
                self.fields[f"q{question.pk}_unknown"] = forms.BooleanField(
                    label=UNKNOWN_LABEL, required=False, disabled=disabled
                )

    def answers(self) -> dict[int, tuple[Any, bool]]:
        """Question id → (JSON-ready value, don't know)."""
        result: dict[int, tuple[Any, bool]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            unknown = value == UNKNOWN or bool(self.cleaned_data.get(f"q{question.pk}_unknown"))
            if unknown:
                result[question.pk] = (None, True)
            elif value in (None, "", []):
                continue
            elif question.type == QuestionType.SCALE:
                result[question.pk] = (int(str(value)), False)
            elif isinstance(value, Decimal):
                result[question.pk] = (
                    str(value.normalize()) if question.type != QuestionType.YEAR else int(value),
                    False,
                )
            else:
                result[question.pk] = (value, False)
        return result

    @staticmethod
    def initial_from(answers: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for answer in answers:
            name = f"q{answer.question_id}"
            if answer.unknown:
                initial[name] = UNKNOWN
                initial[f"{name}_unknown"] = True
            else:
                initial[name] = str(answer.value) if isinstance(answer.value, int) else answer.value
        return initial

    def sections(self) -> list[tuple[Any, list[Any]]]:
        """Bound fields grouped by section, in order, for the template."""
        groups: dict[int, tuple[Any, list[Any]]] = {}
        for question in self.questions:
            section = question.section
            groups.setdefault(section.pk, (section, []))[1].append(
                (
                    question,
                    self[f"q{question.pk}"],
                    self[f"q{question.pk}_unknown"] if f"q{question.pk}_unknown" in self.fields else None,
                )
            )
        return list(groups.values())


class CampaignForm(forms.Form):
    closes_on = forms.DateField(label=_("Open until"), widget=DayInput(), validators=[validate_day])


class InviteStakeholdersForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Each receives a single-use link. The addresses are not kept."),
    )

    def clean_emails(self) -> list[str]:
        from django.core.validators import validate_email

        addresses = [
            line.strip() for line in self.cleaned_data["emails"].replace(",", "\n").splitlines() if line.strip()
        ]
        wrong = []
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError:
                wrong.append(address)
        if wrong:
            raise forms.ValidationError(_("Not e-mail addresses: %(list)s") % {"list": ", ".join(wrong[:10])})
        if not addresses:
            raise forms.ValidationError(_("Give at least one address."))
        return list(dict.fromkeys(a.lower() for a in addresses))


class PeerPopulationForm(forms.Form):
    """The programme team confirms the population a city is compared by."""

    population = forms.IntegerField(
        label=_("Population for peer comparisons"),
        min_value=1,
        max_value=MAX_POPULATION,
        help_text=_("Peers are the cities of the same track with between half and twice this population."),
    )


class IndicatorValuesForm(forms.Form):
    """Value, year and source of each indicator, then the maturity of the solutions considered."""

    EXTRA_SOLUTIONS = 3

    def __init__(
        self, *args: Any, indicators: list[Any], ratings: list[Any], locked: bool = False, **kwargs: Any
    ) -> None:
        from icc.assessments.models import MaturityLevel
        from icc.core.validators import indicator_years

        super().__init__(*args, **kwargs)
        self.indicators = indicators
        years = indicator_years()
        for indicator in indicators:
            self.fields[f"v{indicator.pk}"] = measure_range(indicator.unit).decimal_field(
                label=f"{indicator.name} ({indicator.unit})", required=False
            )
            self.fields[f"y{indicator.pk}"] = forms.IntegerField(
                label=_("Year"), required=False, min_value=int(years.low), max_value=int(years.high)
            )
            self.fields[f"s{indicator.pk}"] = forms.CharField(label=_("Source"), required=False, max_length=300)
            if locked:
                # Submitted values are locked until reopened; the maturity ratings stay editable.
                for prefix in "vys":
                    self.fields[f"{prefix}{indicator.pk}"].disabled = True
        levels = [("", "—"), *MaturityLevel.choices]
        self.rating_rows = len(ratings) + self.EXTRA_SOLUTIONS
        for index in range(self.rating_rows):
            self.fields[f"sol{index}"] = forms.CharField(label=_("Solution"), required=False, max_length=200)
            self.fields[f"lvl{index}"] = forms.TypedChoiceField(
                label=_("Current level"), choices=levels, coerce=int, required=False, empty_value=None
            )
            self.fields[f"tgt{index}"] = forms.TypedChoiceField(
                label=_("Target level"), choices=levels, coerce=int, required=False, empty_value=None
            )
        for index, rating in enumerate(ratings):
            self.initial.setdefault(f"sol{index}", rating.solution)
            self.initial.setdefault(f"lvl{index}", rating.level)
            self.initial.setdefault(f"tgt{index}", rating.target)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for indicator in self.indicators:
            value, year, source = (data.get(f"{p}{indicator.pk}") for p in "vys")
            if value is not None or year or source:
                if value is None:
                    self.add_error(f"v{indicator.pk}", _("Give the value, or clear the year and source."))
                if not year:
                    self.add_error(f"y{indicator.pk}", _("Say which year the value is for."))
                if not source:
                    self.add_error(f"s{indicator.pk}", _("Say where the value comes from."))
        solutions = set()
        for index in range(self.rating_rows):
            solution, level, target = (
                data.get(f"sol{index}", "").strip(),
                data.get(f"lvl{index}"),
                data.get(f"tgt{index}"),
            )
            if not solution and level is None and target is None:
                continue
            if not solution:
                self.add_error(f"sol{index}", _("Name the solution."))
            elif solution.lower() in solutions:
                self.add_error(f"sol{index}", _("This solution is listed twice."))
            solutions.add(solution.lower())
            if level is None or target is None:
                self.add_error(f"lvl{index}" if level is None else f"tgt{index}", _("Give both levels."))
            elif target < level:
                self.add_error(f"tgt{index}", _("The target cannot be below the current level."))
        return data

    def values(self) -> dict[int, Any]:
        result: dict[int, Any] = {}
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"v{indicator.pk}")
            result[indicator.pk] = (
                None
                if value is None
                else (value, self.cleaned_data[f"y{indicator.pk}"], self.cleaned_data[f"s{indicator.pk}"])
            )
        return result

    def ratings(self) -> list[tuple[str, int, int]]:
        rows = []
        for index in range(self.rating_rows):
            solution = self.cleaned_data.get(f"sol{index}", "").strip()
            if solution:
                rows.append((solution, self.cleaned_data[f"lvl{index}"], self.cleaned_data[f"tgt{index}"]))
        return rows

    def indicator_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [(i, self[f"v{i.pk}"], self[f"y{i.pk}"], self[f"s{i.pk}"]) for i in self.indicators]

    def rating_fields(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"sol{n}"], self[f"lvl{n}"], self[f"tgt{n}"]) for n in range(self.rating_rows)]


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in workbook (.xlsx)"))


class QuestionEditForm(forms.ModelForm):
    """The programme team words a question of its edition's instrument."""

    levels = forms.CharField(
        label=_("Labelled levels, 1 to 5, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = Question
        fields = ["text", "help", "required", "allow_unknown"]
        widgets = {"help": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("levels", "\n".join(self.instance.levels))
        if self.instance.type != QuestionType.SCALE:
            del self.fields["levels"]
        elif self.instance.pk and self.instance.is_answered():
            # Answers were given against these levels; changing them would change what the answers mean.
            self.fields["levels"].disabled = True
            self.fields["levels"].help_text = _("Fixed: the question has answers.")

    def clean_levels(self) -> list[str]:
        levels = [line.strip() for line in self.cleaned_data["levels"].splitlines() if line.strip()]
        if len(levels) != 5:
            raise forms.ValidationError(
                _("A 1–5 scale needs exactly five labelled levels (%(n)s given).") % {"n": len(levels)}
            )
        return levels

    def save(self, commit: bool = True) -> Question:
        if "levels" in self.cleaned_data and not self.fields["levels"].disabled:
            self.instance.levels = self.cleaned_data["levels"]
        return super().save(commit=commit)
