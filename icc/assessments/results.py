"""What a city's answers show: the thematic scan's ranking and chart, and one round beside the other.

Pure reading: nothing here writes. :mod:`icc.assessments.scoring` returns reasons as codes;
they are worded here, through gettext, for the page that shows them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.assessments import charts, scoring
from icc.assessments.models import Answer, Instrument, Question, QuestionType, Response, Round
from icc.cities.models import City
from icc.core.formatting import format_number

# Answers written as numbers, with the reader's separators; a year is written as it is,
# but its change from one round to the next is a number too.
NUMBERS = {QuestionType.SCALE, QuestionType.NUMBER, QuestionType.PERCENTAGE}
CHANGES = {*NUMBERS, QuestionType.YEAR}

# The figures are formatted before they go in: a score out of 5 with one decimal, as the
# profile table beside the reasons writes it; a count as a whole number.
REASON_TEXT = {
    "weak-performance": gettext_lazy("performance is weak (%(value)s of 5): much to gain"),
    "middling-performance": gettext_lazy("performance is middling (%(value)s of 5)"),
    "strong-performance": gettext_lazy("performance is already strong (%(value)s of 5): less to gain"),
    "mature": gettext_lazy("technology maturity is %(value)s of 5: solutions to build on"),
    "immature": gettext_lazy("technology maturity is low (%(value)s of 5): more groundwork needed"),
    "unknowns": gettext_lazy("“don't know” answers: %(value)s, worth finding out before choosing"),
    "too-few": gettext_lazy("too few answers to rank (%(value)s of %(total)s)"),
}
COUNTS = {"unknowns", "too-few"}


def score_text(value: float | None) -> str:
    """A score out of 5 the one way the pages write it: one decimal (3.2, never 3.25)."""
    return format_number(value, 1, fixed=True)


def reason_text(reason: scoring.Reason) -> str:
    value = format_number(reason.value, 0) if reason.code in COUNTS else score_text(reason.value)
    return str(REASON_TEXT[reason.code]) % {"value": value, "total": format_number(reason.total, 0)}


def scan_result(response: Response) -> dict[str, Any]:
    """The profile per theme, the themes ranked with their reasons, and the radar chart."""
    answers = list(response.answers.select_related("question__section"))
    sections = list(response.instrument.sections.all())
    titles = {s.key: s.title for s in sections}
    scan_answers = [
        scoring.ScanAnswer(
            a.question.section.key, a.question.dimension, None if a.unknown or a.value is None else int(a.value)
        )
        for a in answers
    ]
    asked = {a.question_id for a in answers}
    scan_answers += [
        scoring.ScanAnswer(q.section.key, q.dimension, None)
        for q in Question.objects.filter(section__instrument=response.instrument).select_related("section")
        if q.pk not in asked
    ]
    profiles = scoring.profile(scan_answers, [s.key for s in sections])
    ranking = [
        {
            "rank": r.rank,
            "theme": titles[r.theme],
            "score": r.score,
            "reasons": [reason_text(reason) for reason in r.reasons],
        }
        for r in scoring.rank(profiles)
    ]
    svg = charts.radar(
        axes=[titles[p.theme] for p in profiles],
        series=[
            charts.Series(str(_("City performance")), [p.performance for p in profiles], "performance"),
            charts.Series(str(_("Technology maturity")), [p.maturity for p in profiles], "maturity"),
        ],
        title=str(_("Profile per theme, from 1 (weakest) to 5 (strongest)")),
    )
    return {"profiles": [(titles[p.theme], p) for p in profiles], "ranking": ranking, "chart": mark_safe(svg)}  # noqa: S308 - built from escaped parts


def answer_text(question: Question, value: Any) -> str:
    """An answer as people read it: numbers with the reader's separators, a year as it is."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if question.type in NUMBERS and not isinstance(value, bool):
        return format_number(value, 4) or str(value)
    return str(value)


def _display(question: Question, answer: Any) -> str:
    if answer is None:
        return "—"
    if answer.unknown:
        return str(_("Don't know"))
    return answer_text(question, answer.value)


def _change(question: Question, before: Any, after: Any) -> str:
    """How far the answer moved, signed (+1, -0.5); "" when the answers are not numbers."""
    if question.type not in CHANGES:
        return ""
    try:
        delta = Decimal(str(after.value)) - Decimal(str(before.value))
    except (AttributeError, InvalidOperation, TypeError, ValueError):
        return ""
    text = format_number(delta, 4)
    return f"+{text}" if delta > 0 and text != "0" else text


def compare_rows(city: City, instrument: Instrument) -> list[dict[str, Any]]:
    """The baseline against the re-run, question by question."""
    answers: dict[tuple[str, int], Any] = {}
    for answer in Answer.objects.filter(response__instrument=instrument, response__city=city).select_related(
        "response"
    ):
        answers[(answer.response.round, answer.question_id)] = answer
    rows = []
    for question in Question.objects.filter(section__instrument=instrument).select_related("section"):
        before, after = answers.get((Round.BASELINE, question.pk)), answers.get((Round.RERUN, question.pk))
        rows.append(
            {
                "section": question.section.title,
                "question": question,
                "baseline": _display(question, before),
                "rerun": _display(question, after),
                "change": _change(question, before, after) if before and after else "",
            }
        )
    return rows
