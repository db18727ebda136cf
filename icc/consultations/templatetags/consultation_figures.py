"""``{% load consultation_figures %}``: shares in the reader's style and the charts of results."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_percent
from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from icc.consultations.charts import Bar, bars
from icc.consultations.results import QuestionResult
from icc.core.formatting import format_number, reader_locale
from icc.public.translations import pick

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """A share (0.42) as the reader writes a percentage: 42%, 42 %, 42 %."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    return str(format_percent(number, locale=reader_locale()))


def _label(figure: Any, default: str) -> tuple[str, str]:
    if figure.other:
        return pgettext("answer option", "Other"), ""
    shown = pick(figure.label, get_language() or "en", default)
    page = get_language() or "en"
    return shown.text, ("" if shown.language == page else shown.language)


@register.simple_tag
def result_chart(result: QuestionResult, default: str) -> SafeString:
    """The bar chart of a question's figures (the table beside it gives the same)."""
    question = result.question
    ident = f"chart-{question.pk}"
    rows: list[Bar] = []
    if question.is_rating:
        for point, count in result.points:
            rows.append(Bar(label=format_number(point, 0), value=count, shown=format_number(count, 0)))
        description = _("Bar chart: how many answers gave each point of the scale. The table gives the same figures.")
    elif question.is_ranking:
        for figure in result.choices:
            label, language = _label(figure, default)
            rows.append(Bar(label=label, value=figure.points, shown=format_number(figure.points, 0), language=language))
        description = _("Bar chart: the points of each option, ranked first to last. The table gives the same figures.")
    else:
        for figure in result.choices:
            label, language = _label(figure, default)
            rows.append(Bar(label=label, value=figure.share, shown=percent(figure.share), language=language))
        description = _("Bar chart: the share of answers that chose each option. The table gives the same figures.")
    title = pick(question.text, get_language() or "en", default).text
    return bars(
        ident=ident,
        title=title,
        description=description,
        rows=rows,
        maximum=1 if rows and not (question.is_rating or question.is_ranking) else None,
    )


@register.simple_tag
def plain_text(value: Any, default: str) -> str:
    """A text the city wrote, in the reader's language if it exists, as plain text (a page title)."""
    return pick(value, get_language() or "en", default).text


@register.simple_tag
def share(count: int, of: int) -> float:
    return count / of if of else 0.0
