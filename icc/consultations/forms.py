"""The city team's forms: start a consultation, its settings, a question, a later closing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from icc.consultations import blueprints
from icc.consultations.actions import QuestionData
from icc.consultations.models import (
    CHOICE_TYPES,
    INTRODUCTION,
    MAX_CHOICES,
    MAX_SCALE,
    PICKING_TYPES,
    QUESTION,
    TITLE,
    Question,
    QuestionType,
)
from icc.consultations.structure import Structure
from icc.core import lengths
from icc.core.validators import NumberRange, validate_day
from icc.core.widgets import DayInput, LocalDateTimeInput
from icc.public.languages import EU_LANGUAGES
from icc.public.translations import add_fields, collect, field_name

PICKS = NumberRange(Decimal(1), Decimal(MAX_CHOICES))
SCALE = NumberRange(Decimal(2), Decimal(MAX_SCALE))
CHOICES_TEXT = lengths.TEXT
SCALE_WORDS = 100


def start_choices() -> list[tuple[str, str]]:
    return [
        *((key, str(name)) for key, name in blueprints.BLANK_NAMES.items()),
        *((b.key, str(b.name)) for b in blueprints.blueprints().values()),
    ]


class CreateForm(forms.Form):
    start = forms.ChoiceField(label=_("Start from"), choices=start_choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE,
        required=False,
        help_text=_(
            "In the default language; a ready-made consultation brings its own title when you leave this empty."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") in blueprints.BLANK_NAMES and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the consultation a title."))
        return data


class SettingsForm(forms.Form):
    """Title, introduction, dates and what the consultation asks of those who answer."""

    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=LocalDateTimeInput(),
        validators=[validate_day],
        help_text=_(
            "In the city's time zone. If this moment has passed when you open the consultation, it opens at once."
        ),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), required=False, widget=LocalDateTimeInput(), validators=[validate_day]
    )
    needs_confirmation = forms.BooleanField(
        label=_("Confirm each answer by e-mail"),
        required=False,
        help_text=_(
            "Each answer counts once its sender confirms it from a link sent by e-mail; one answer per address. "
            "The address itself is not kept."
        ),
    )
    personal_data_until = forms.DateField(
        label=_("Personal answers are erased after"),
        required=False,
        widget=DayInput(),
        validators=[validate_day],
        help_text=_("Needed when a question asks for personal data: from the closing day to two years after it."),
    )

    def __init__(
        self, *args: Any, languages: Sequence[str], default: str, initial_texts: dict[str, dict], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages, self.default = list(languages), default
        texts = dict(self.fields)
        self.fields.clear()
        add_fields(
            self,
            "title",
            label=str(_("Title")),
            languages=self.languages,
            max_length=TITLE,
            initial=initial_texts.get("title"),
        )
        add_fields(
            self,
            "introduction",
            label=str(_("Introduction")),
            languages=self.languages,
            max_length=INTRODUCTION,
            initial=initial_texts.get("introduction"),
            textarea=True,
        )
        self.fields.update(texts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["title"] = collect(data, "title", languages=self.languages, required=self.default)
        except ValidationError as error:
            self.add_error(None, error)
        data["introduction"] = collect(data, "introduction", languages=self.languages)
        return data


class ClosingForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=LocalDateTimeInput(),
        validators=[validate_day],
        help_text=_("In the city's time zone."),
    )


def condition_choices(structure: Structure, before: int | None, default: str) -> list[tuple[str, str]]:
    """“Question 2: Yes” for every choice of the single and multiple choice questions before ``before``."""
    from icc.public.translations import pick

    choices = [("", str(_("Always asked")))]
    for question in structure.questions:
        if before is not None and question.pk == before:
            break
        if question.type not in PICKING_TYPES:
            continue
        for choice in question.choices:
            label = _("Only after question %(n)s got “%(choice)s”") % {
                "n": question.number,
                "choice": pick(choice.label, default, default).text,
            }
            choices.append((f"{question.pk}:{choice.pk}", str(label)))
    return choices


class QuestionForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    allow_other = forms.BooleanField(
        label=_("Offer “Other”, with a text"), required=False, help_text=_("For one or several choices.")
    )
    picks = PICKS.integer_field(
        label=_("How many"),
        required=False,
        help_text=_("Several choices: the most one may pick (empty: no limit). Ranking: how many places to rank."),
    )
    scale = SCALE.integer_field(label=_("Points on the scale"), required=False, help_text=_("Rating: from 1 to this."))
    personal = forms.BooleanField(
        label=_("Asks for personal data (a name, an e-mail address, a postcode)"),
        required=False,
        help_text=_(
            "Short or long text only. Answering it needs a consent line ticked; the answers never appear in results "
            "and are erased after the date set for the consultation."
        ),
    )
    condition = forms.ChoiceField(label=_("When to ask it"), required=False)

    def __init__(
        self,
        *args: Any,
        languages: Sequence[str],
        default: str,
        structure: Structure,
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.languages, self.default = list(languages), default
        self.question = question
        settings = dict(self.fields)
        self.fields.clear()
        self.fields["type"] = settings.pop("type")
        existing = structure.question(question.pk) if question else None

        def initial(name: str) -> dict[str, str]:
            return dict(getattr(existing, name, {}) or {}) if existing else {}

        add_fields(
            self,
            "text",
            label=str(_("Question")),
            languages=self.languages,
            max_length=QUESTION,
            initial=initial("text"),
        )
        add_fields(
            self,
            "help",
            label=str(_("Explanation")),
            languages=self.languages,
            max_length=QUESTION,
            initial=initial("help"),
        )
        lines = {
            code: "\n".join(c.label.get(code, "") for c in existing.choices) if existing else ""
            for code in self.languages
        }
        add_fields(
            self,
            "choices",
            label=str(_("Choices, one a line")),
            languages=self.languages,
            max_length=CHOICES_TEXT,
            initial=lines,
            textarea=True,
        )
        add_fields(
            self,
            "low",
            label=str(_("The lowest point means")),
            languages=self.languages,
            max_length=SCALE_WORDS,
            initial=initial("low_label"),
        )
        add_fields(
            self,
            "high",
            label=str(_("The highest point means")),
            languages=self.languages,
            max_length=SCALE_WORDS,
            initial=initial("high_label"),
        )
        self.fields.update(settings)
        condition = self.fields["condition"]
        assert isinstance(condition, forms.ChoiceField)
        condition.choices = condition_choices(structure, question.pk if question else None, default)
        if existing:
            self.initial.update(
                {
                    "type": existing.type,
                    "required": existing.required,
                    "allow_other": existing.allow_other,
                    "picks": existing.picks,
                    "scale": existing.scale,
                    "personal": existing.personal,
                    "condition": f"{existing.condition_question}:{existing.condition_choice}"
                    if existing.condition_question
                    else "",
                }
            )

    def _choices(self, data: dict[str, Any]) -> list[dict[str, str]]:
        per_language: dict[str, list[str]] = {}
        for code in self.languages:
            raw = data.get(field_name("choices", code)) or ""
            lines = [line.strip() for line in raw.splitlines() if line.strip()]
            if lines:
                per_language[code] = lines
        if data.get("type") not in CHOICE_TYPES:
            return []
        wanted = per_language.get(self.default, [])
        if not wanted:
            raise ValidationError(
                {
                    field_name("choices", self.default): _("Write the choices in %(language)s, one a line.")
                    % {"language": EU_LANGUAGES.get(self.default, self.default)}
                }
            )
        for code, lines in per_language.items():
            if len(lines) != len(wanted):
                raise ValidationError(
                    {
                        field_name("choices", code): _(
                            "Give as many lines as in %(language)s (%(n)s), in the same order."
                        )
                        % {"language": EU_LANGUAGES.get(self.default, self.default), "n": len(wanted)}
                    }
                )
            for line in lines:
                if len(line) > TITLE:
                    raise ValidationError(
                        {field_name("choices", code): _("A choice is at most %(n)s characters long.") % {"n": TITLE}}
                    )
        return [{code: lines[index] for code, lines in per_language.items()} for index in range(len(wanted))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["text"] = collect(data, "text", languages=self.languages, required=self.default)
        except ValidationError as error:
            self.add_error(None, error)
        data["help"] = collect(data, "help", languages=self.languages)
        data["low"] = collect(data, "low", languages=self.languages)
        data["high"] = collect(data, "high", languages=self.languages)
        try:
            data["choice_labels"] = self._choices(data)
        except ValidationError as error:
            self.add_error(None, error)
        condition = data.get("condition") or ""
        question_id = choice_id = None
        if condition:
            first, _sep, second = condition.partition(":")
            question_id, choice_id = int(first), int(second)
        data["condition_ids"] = (question_id, choice_id)
        return data

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        question_id, choice_id = data["condition_ids"]
        return QuestionData(
            type=data["type"],
            text=data["text"],
            help=data["help"],
            required=bool(data.get("required")),
            allow_other=bool(data.get("allow_other")),
            picks=data.get("picks"),
            scale=data.get("scale"),
            low_label=data["low"],
            high_label=data["high"],
            personal=bool(data.get("personal")),
            condition_question=question_id,
            condition_choice=choice_id,
            choices=data["choice_labels"],
        )
