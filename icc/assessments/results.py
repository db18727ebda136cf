"""What a city's answers show: the thematic scan's ranking and chart, and one round beside the other.

Pure reading: nothing here writes. :mod:`icc.assessments.scoring` returns reasons as codes;
they are worded here, through gettext, for the page that shows them.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.assessments import charts, scoring
from icc.assessments.models import Answer, Instrument, Question, Response, Round
from icc.cities.models import City

REASON_TEXT = {
    "weak-performance": gettext_lazy("performance is weak (%(value).1f of 5): much to gain"),
    "middling-performance": gettext_lazy("performance is middling (%(value).1f of 5)"),
    "strong-performance": gettext_lazy("performance is already strong (%(value).1f of 5): less to gain"),
    "mature": gettext_lazy("technology maturity is %(value).1f of 5: solutions to build on"),
    "immature": gettext_lazy("technology maturity is low (%(value).1f of 5): more groundwork needed"),
    "unknowns": gettext_lazy("“don't know” answers: %(value)d, worth finding out before choosing"),
    "too-few": gettext_lazy("too few answers to rank (%(value)d of %(total)d)"),
}


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
            "reasons": [
                str(REASON_TEXT[reason.code]) % {"value": reason.value, "total": reason.total} for reason in r.reasons
            ],
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


def _display(answer: Any) -> str:
    if answer is None:
        return "—"
    if answer.unknown:
        return str(_("Don't know"))
    if isinstance(answer.value, list):
        return ", ".join(str(v) for v in answer.value)
    return str(answer.value)


def _change(before: Any, after: Any) -> str:
    try:
        delta = float(after.value) - float(before.value)
    except (AttributeError, TypeError, ValueError):
        return ""
    return f"{delta:+g}"


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
                "baseline": _display(before),
                "rerun": _display(after),
                "change": _change(before, after) if before and after else "",
            }
        )
    return rows
