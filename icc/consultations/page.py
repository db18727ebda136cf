"""The answer form as the page shows it: each question with its options, what the visitor
already gave, and the message of a problem, ready for the template."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.consultations import wording
from icc.consultations.answering import OTHER, Given, Parsed, field_name, text_limit
from icc.consultations.models import QuestionType
from icc.consultations.structure import QuestionInfo, Structure
from icc.core.formatting import format_number


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]
    ident: str
    checked: bool = False
    words: str = ""


@dataclass(frozen=True)
class Place:
    number: int
    name: str
    ident: str
    selected: str


@dataclass
class QuestionView:
    info: QuestionInfo
    name: str
    ident: str
    options: list[Option] = field(default_factory=list)
    other: Option | None = None
    other_text: str = ""
    places: list[Place] = field(default_factory=list)
    text: str = ""
    limit: int = 0
    hint: str = ""
    error: str = ""
    condition_number: int | None = None
    condition_label: dict[str, str] = field(default_factory=dict)

    @property
    def uses_fieldset(self) -> bool:
        return not self.info.is_text

    @property
    def type_label(self) -> str:
        return str(QuestionType(self.info.type).label)


def _hint(question: QuestionInfo) -> str:
    if question.is_multiple and question.picks:
        return ngettext("Choose up to %(n)s option.", "Choose up to %(n)s options.", question.picks) % {
            "n": format_number(question.picks, 0)
        }
    if question.is_multiple:
        return _("Choose as many as you like.")
    if question.is_ranking:
        return _("Put %(n)s different options in order: place 1 for the most important.") % {
            "n": format_number(question.picks or 0, 0)
        }
    if question.is_rating:
        return _("From 1 to %(n)s.") % {"n": format_number(question.scale or 0, 0)}
    if question.is_text:
        return _("At most %(n)s characters.") % {"n": format_number(text_limit(question), 0)}
    return ""


def _view(structure: Structure, question: QuestionInfo, given: Given | None, error: str) -> QuestionView:
    name = field_name(question)
    given = given or Given()
    view = QuestionView(
        info=question,
        name=name,
        ident=f"question-{question.pk}",
        hint=_hint(question),
        error=error,
        limit=text_limit(question) if question.is_text else 0,
        text=given.text,
        other_text=given.other_text,
    )
    if question.is_picking:
        view.options = [
            Option(str(c.pk), c.label, f"{name}-{c.pk}", str(c.pk) in given.picked) for c in question.choices
        ]
        if question.allow_other:
            view.other = Option(OTHER, {}, f"{name}-other-choice", OTHER in given.picked)
    elif question.is_rating:
        view.options = []
        for point in question.points:
            words = question.low_label if point == 1 else question.high_label if point == question.scale else {}
            view.options.append(Option(str(point), words, f"{name}-{point}", str(point) in given.picked))
    elif question.is_ranking:
        view.options = [Option(str(c.pk), c.label, "") for c in question.choices]
        view.places = [
            Place(place, f"{name}-{place}", f"{name}-{place}", given.places.get(place, "")) for place in question.places
        ]
    if question.condition_question is not None:
        earlier = structure.question(question.condition_question)
        chosen = earlier.choice(question.condition_choice) if earlier else None
        if earlier is not None and chosen is not None:
            view.condition_number, view.condition_label = earlier.number, chosen.label
    return view


def answer_form(structure: Structure, parsed: Parsed | None, default: str) -> list[QuestionView]:
    problems = parsed.problems if parsed else {}
    return [
        _view(
            structure,
            question,
            parsed.given.get(question.pk) if parsed else None,
            wording.problem(problems[field_name(question)]) if field_name(question) in problems else "",
        )
        for question in structure.questions
    ]


def problem_words(parsed: Parsed | None, key: str) -> str:
    if parsed is None or key not in parsed.problems:
        return ""
    return wording.problem(parsed.problems[key])
