"""One style for numbers, amounts and dates: the reader's language's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from icc.core.formatting import format_money, format_number


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("7.8000"), "7.8"),
        ("en", Decimal("1234567.125"), "1,234,567.12"),
        ("de", Decimal("1234567.5"), "1.234.567,5"),
        ("fr", 320000, "320\u202f000"),
        ("en", 42, "42"),
        ("en", Decimal("-0.004"), "0"),
        ("en", Decimal("-0.0000"), "0"),
        ("en", Decimal("-0.006"), "-0.01"),
        ("en", "not a number", ""),
        ("en", None, ""),
        ("en", float("nan"), ""),
    ],
)
def test_numbers_use_the_readers_separators_and_drop_trailing_zeros(
    language: str, value: object, expected: str
) -> None:
    with translation.override(language):
        assert format_number(value) == expected  # type: ignore[arg-type]


def test_a_fixed_number_of_decimals_keeps_scores_alike() -> None:
    with translation.override("en"):
        assert [format_number(v, 1, fixed=True) for v in (Decimal("3.25"), 3, Decimal("3.2"))] == ["3.2", "3.0", "3.2"]


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("320000.00"), "€320,000"),
        ("en", Decimal("1234.5"), "€1,234.50"),
        ("de", Decimal("320000"), "320.000\xa0€"),
        ("nl", Decimal("1234.5"), "€\xa01.234,50"),
    ],
)
def test_amounts_put_the_euro_where_the_language_puts_it(language: str, value: Decimal, expected: str) -> None:
    with translation.override(language):
        assert format_money(value) == expected


def test_dates_in_english_read_day_month_year_in_every_format() -> None:
    template = Template(
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}|{{ d }}'
    )
    moment = dt.datetime(2026, 12, 1, 14, 5)
    with translation.override("en"):
        rendered = template.render(Context({"d": dt.date(2026, 12, 1), "t": moment}))
    assert rendered == "1 Dec 2026|1 Dec 2026|1 Dec 2026, 14:05|1 Dec 2026"


def test_the_filters_word_numbers_in_the_active_language() -> None:
    template = Template("{% load numbers %}{{ v|number }} · {{ s|fixed:1 }} · {{ m|money }}")
    context = Context({"v": Decimal("1234.50"), "s": Decimal("3.25"), "m": Decimal("320000.00")})
    with translation.override("de"):
        assert template.render(context) == "1.234,5 · 3,2 · 320.000\xa0€"
