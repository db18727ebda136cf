"""Between the upload of a workbook and its confirmation: what it would change, and what is kept.

The uploaded workbook is read (:func:`icc.assessments.workbook.read`), shown as a list of
changes against what is saved, and kept in the session as a plain payload until the city
team confirms it (:func:`icc.assessments.actions.apply_workbook`). Nothing here writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from icc.assessments import workbook
from icc.assessments.models import Answer, IndicatorValue, MaturityRating, Question
from icc.assessments.results import answer_text
from icc.cities.models import City
from icc.core.formatting import format_number

Change = tuple[str, str, str, str]


def session_key(city: City, round: str) -> str:
    return f"assessment-workbook:{city.pk}:{round}"


def current(city: City, round: str) -> tuple[dict[int, Any], dict[int, Any], list[MaturityRating]]:
    """What is saved now: answers (question id → (value, don't know)), values and ratings."""
    answers = {
        a.question_id: (a.value, a.unknown)
        for a in Answer.objects.filter(
            response__city=city, response__round=round, response__instrument__in=workbook.answerable(city)
        )
    }
    values = {
        v.indicator_id: (v.value, v.year, v.source) for v in IndicatorValue.objects.filter(city=city, round=round)
    }
    ratings = list(MaturityRating.objects.filter(city=city, round=round))
    return answers, values, ratings


def _shown(question: Question, answer: Any) -> str:
    if answer is None:
        return "—"
    return str(_("Don't know")) if answer[1] else answer_text(question, answer[0])


def _value(value: Any) -> str:
    """A value with its year and source: 7.8 (2024, Statistics office)."""
    if not value:
        return "—"
    return f"{format_number(value[0], 4)} ({value[1]}, {value[2]})"


def changes(city: City, round: str, parsed: workbook.Parsed, library: list[Any]) -> list[Change]:
    """Each change the parsed workbook would make: kind, item, now, from the workbook."""
    answers, values, ratings = current(city, round)
    questions = {q.pk: q for q in Question.objects.filter(section__instrument__in=workbook.answerable(city))}
    found: list[Change] = []
    for instrument_answers in parsed.answers.values():
        for question_id, answer in instrument_answers.items():
            before = answers.get(question_id)
            if before is None or tuple(before) != tuple(answer):
                question = questions[question_id]
                found.append((str(_("Question")), question.text, _shown(question, before), _shown(question, answer)))
    for indicator in library:
        before, after = values.get(indicator.pk), parsed.values.get(indicator.pk)
        if (before and (Decimal(before[0]), before[1], before[2])) != (after and (after[0], after[1], after[2])):
            found.append((str(_("Indicator")), indicator.name, _value(before), _value(after)))
    old = {(r.solution, r.level, r.target) for r in ratings}
    new = set(parsed.ratings)
    for solution, level, target in sorted(new - old):
        found.append((str(_("Solution")), solution, "—", f"{level} → {target}"))
    for solution, level, target in sorted(old - new):
        found.append((str(_("Solution")), solution, f"{level} → {target}", "—"))
    return found


def payload(parsed: workbook.Parsed) -> dict[str, Any]:
    """The parsed workbook as plain data, to keep in the session until it is confirmed."""
    return {
        "answers": {str(i): {str(q): list(a) for q, a in qs.items()} for i, qs in parsed.answers.items()},
        "values": {str(i): [str(v[0]), v[1], v[2]] if v else None for i, v in parsed.values.items()},
        "ratings": [list(r) for r in parsed.ratings],
    }
