"""Reading a visitor's answers: every value checked on the server, nothing trusted.

:func:`parse` takes a consultation's :class:`~icc.consultations.structure.Structure`
and the posted form, and returns the rows to store or the problems, as codes with
parameters (:mod:`icc.consultations.wording` words them). The form works without
JavaScript, so a conditional question is always on the page: its answers count only
when the condition is met and are dropped otherwise.

Field names: ``q<id>`` (the choice id, several for a multiple choice, ``other`` for
“Other”; the point of a rating; the text), ``q<id>-other`` (the words of “Other”),
``q<id>-<place>`` (the choice id ranked at that place), ``consent`` and ``email``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from icc.consultations.models import LONG_ANSWER, SHORT_ANSWER, Moderation, QuestionType
from icc.consultations.structure import QuestionInfo, Structure
from icc.core.params import parse_id

OTHER = "other"
# The key of a problem with the whole answer rather than one question.
NOTHING = "answers"
EMAIL_LENGTH = 254


class FormData(Protocol):
    def get(self, key: str, default: Any = ...) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class Problem:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One answer row to store."""

    question: int
    choice: int | None = None
    other: bool = False
    position: int | None = None
    rating: int | None = None
    text: str = ""
    moderation: str = Moderation.NONE


@dataclass
class Given:
    """What the visitor sent for one question, to show the form again as they left it."""

    picked: set[str] = field(default_factory=set)
    other_text: str = ""
    places: dict[int, str] = field(default_factory=dict)
    text: str = ""


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: dict[str, Problem] = field(default_factory=dict)
    given: dict[int, Given] = field(default_factory=dict)
    consent: bool = False
    email: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def text_limit(question: QuestionInfo) -> int:
    return LONG_ANSWER if question.type == QuestionType.LONG_TEXT else SHORT_ANSWER


def _id(value: str) -> int | None:
    """An id, or None; a string of thousands of digits is not turned into a number at all."""
    return parse_id(value) if len(value) <= 19 else None


def _clean_text(raw: object) -> str:
    text = raw if isinstance(raw, str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _text_problem(text: str, limit: int) -> Problem | None:
    if "\x00" in text:
        return Problem("invalid_characters")
    if len(text) > limit:
        return Problem("too_long", {"length": len(text), "limit": limit})
    return None


def _values(data: FormData, name: str) -> list[str]:
    return [v for v in data.getlist(name) if isinstance(v, str) and v.strip()]


def field_name(question: QuestionInfo) -> str:
    return f"q{question.pk}"


def condition_met(question: QuestionInfo, chosen: Mapping[int, set[int]]) -> bool:
    if question.condition_question is None or question.condition_choice is None:
        return True
    return question.condition_choice in chosen.get(question.condition_question, set())


def _picking(question: QuestionInfo, data: FormData, given: Given) -> tuple[list[Row], Problem | None]:
    name = field_name(question)
    values = _values(data, name)
    given.picked = set(values)
    other_text = _clean_text(data.get(f"{name}-other", ""))
    given.other_text = other_text
    if question.is_single and len(values) > 1:
        return [], Problem("invalid_choice")
    picked: list[int] = []
    other = False
    for value in values:
        if value == OTHER and question.allow_other:
            other = True
            continue
        pk = _id(value)
        if pk is None or pk not in question.choice_ids:
            return [], Problem("invalid_choice")
        if pk not in picked:
            picked.append(pk)
    if other_text and not other:
        return [], Problem("other_unticked")
    if other:
        if not other_text:
            return [], Problem("other_missing")
        problem = _text_problem(other_text, SHORT_ANSWER)
        if problem:
            return [], problem
    count = len(picked) + (1 if other else 0)
    if question.is_multiple and question.picks and count > question.picks:
        return [], Problem("too_many", {"n": question.picks})
    if count == 0:
        return [], Problem("required") if question.required else None
    rows = [Row(question=question.pk, choice=pk) for pk in picked]
    if other:
        rows.append(Row(question=question.pk, other=True, text=other_text, moderation=Moderation.PENDING))
    return rows, None


def _ranking(question: QuestionInfo, data: FormData, given: Given) -> tuple[list[Row], Problem | None]:
    name = field_name(question)
    places: dict[int, int] = {}
    for place in question.places:
        values = _values(data, f"{name}-{place}")
        if not values:
            continue
        given.places[place] = values[0]
        pk = _id(values[0])
        if len(values) > 1 or pk is None or pk not in question.choice_ids:
            return [], Problem("invalid_choice")
        places[place] = pk
    if not places:
        return [], Problem("required", {"n": question.picks}) if question.required else None
    if len(set(places.values())) != len(places):
        return [], Problem("rank_duplicate")
    if len(places) != len(question.places):
        return [], Problem("rank_incomplete", {"n": question.picks})
    return [Row(question=question.pk, choice=pk, position=place) for place, pk in sorted(places.items())], None


def _rating(question: QuestionInfo, data: FormData, given: Given) -> tuple[list[Row], Problem | None]:
    values = _values(data, field_name(question))
    given.picked = set(values)
    if not values:
        return [], Problem("required") if question.required else None
    point = _id(values[0])
    if len(values) > 1 or point is None or point not in question.points:
        return [], Problem("rating_invalid", {"n": question.scale})
    return [Row(question=question.pk, rating=point)], None


def _text(question: QuestionInfo, data: FormData, given: Given) -> tuple[list[Row], Problem | None]:
    values = data.getlist(field_name(question))
    if len(values) > 1:
        return [], Problem("invalid_choice")
    text = _clean_text(values[0] if values else "")
    given.text = text
    if not text:
        return [], Problem("required") if question.required else None
    problem = _text_problem(text, text_limit(question))
    if problem:
        return [], problem
    moderation = Moderation.NONE if question.personal else Moderation.PENDING
    return [Row(question=question.pk, text=text, moderation=moderation)], None


READERS = {
    QuestionType.SINGLE: _picking,
    QuestionType.MULTIPLE: _picking,
    QuestionType.RANKING: _ranking,
    QuestionType.RATING: _rating,
    QuestionType.SHORT_TEXT: _text,
    QuestionType.LONG_TEXT: _text,
}


def _email(data: FormData) -> tuple[str, Problem | None]:
    email = _clean_text(data.get("email", ""))
    if not email:
        return "", Problem("email_missing")
    if len(email) > EMAIL_LENGTH or "\x00" in email:
        return email[:EMAIL_LENGTH], Problem("email_invalid")
    try:
        validate_email(email)
    except ValidationError:
        return email, Problem("email_invalid")
    return email, None


def parse(structure: Structure, data: FormData, *, needs_email: bool = False) -> Parsed:
    """The rows of a valid answer, or the problems of an invalid one (then no row counts)."""
    parsed = Parsed()
    chosen: dict[int, set[int]] = {}
    personal_given = False
    for question in structure.questions:
        given = Given()
        parsed.given[question.pk] = given
        rows, problem = READERS[QuestionType(question.type)](question, data, given)
        if not condition_met(question, chosen):
            # Shown on the page for those without JavaScript, but not asked of this visitor.
            continue
        if problem is not None:
            parsed.problems[field_name(question)] = problem
            continue
        if question.is_picking:
            chosen[question.pk] = {row.choice for row in rows if row.choice is not None}
        if question.personal and rows:
            personal_given = True
        parsed.rows.extend(rows)
    if not parsed.rows and not parsed.problems:
        parsed.problems[NOTHING] = Problem("empty")
    parsed.consent = data.get("consent") in {"on", "yes", "1", "true"}
    if personal_given and not parsed.consent:
        parsed.problems["consent"] = Problem("consent_missing")
    if needs_email:
        parsed.email, problem = _email(data)
        if problem is not None:
            parsed.problems["email"] = problem
    return parsed


def answered_questions(rows: Sequence[Row]) -> set[int]:
    return {row.question for row in rows}
