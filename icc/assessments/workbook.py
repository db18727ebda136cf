"""The assessment as an Excel workbook: download, fill offline, upload, review, confirm.

One sheet per instrument the city answers, one for indicators and one for technology
maturity, with drop-down lists and number checks in the cells. An uploaded workbook is
read as a whole; any problem is reported by sheet, row and cell and nothing is saved.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from icc.assessments.models import (
    Indicator,
    IndicatorValue,
    Instrument,
    InstrumentKind,
    MaturityRating,
    Question,
    QuestionType,
)
from icc.cities.models import City
from icc.core import lengths, uploads, validators
from icc.core.exports import append_row
from icc.core.formatting import format_number
from icc.core.validators import check_length, indicator_years, max_length, measure_range

ABOUT = "About"
INDICATORS = "Indicators"
MATURITY = "Maturity"
MATURITY_ROWS = 20
UNKNOWN = "don't know"
# The built-in date format that spreadsheets show in the reader's regional settings.
READERS_SHORT_DATE = 14


def instrument_sheet(instrument: Instrument) -> str:
    return instrument.name[:31]


def answerable(city: City) -> list[Instrument]:
    """The newest version of each instrument a city answers itself (not the anonymous survey)."""
    latest: dict[str, Instrument] = {}
    for instrument in Instrument.objects.filter(programme_id=city.programme_id).exclude(kind=InstrumentKind.ENABLERS):
        if instrument.key not in latest or instrument.version > latest[instrument.key].version:
            latest[instrument.key] = instrument
    return sorted(latest.values(), key=lambda i: i.name)


# Writing --------------------------------------------------------------------------------


def build(
    city: City,
    round: str,
    *,
    answers: dict[int, Any],
    values: dict[int, Any],
    ratings: list[Any],
    indicators: list[Indicator],
) -> bytes:
    book = Workbook()
    about = book.active
    about.title = ABOUT
    for row in (
        (_("ICC assessment workbook"), ""),
        ("city", city.pk),
        (_("City name"), city.name),
        ("programme", city.programme.slug),
        ("round", round),
        (_("Made on"), timezone.localdate()),
        (
            _("How to use"),
            _("Fill the yellow column of each sheet, keep the sheet names and rows, then upload the file."),
        ),
    ):
        append_row(about, list(row))
    about["B6"].number_format = BUILTIN_FORMATS[READERS_SHORT_DATE]
    for instrument in answerable(city):
        sheet = book.create_sheet(instrument_sheet(instrument))
        append_row(sheet, ["key", _("Section"), _("Question"), _("Answer"), _("Allowed answers")])
        scale = DataValidation(type="list", formula1=f'"1,2,3,4,5,{UNKNOWN}"', allow_blank=True)
        sheet.add_data_validation(scale)
        for question in Question.objects.filter(section__instrument=instrument).select_related("section"):
            answer = answers.get(question.pk)
            shown = UNKNOWN if answer and answer[1] else (_cell(answer[0]) if answer else None)
            append_row(sheet, [question.key, question.section.title, question.text, shown, _allowed(question)])
            if question.type == QuestionType.SCALE:
                scale.add(f"D{sheet.max_row}")
        _widths(sheet, [28, 30, 70, 16, 50])
    sheet = book.create_sheet(INDICATORS)
    append_row(sheet, ["key", _("Indicator"), _("Unit"), _("Value"), _("Year"), _("Source")])
    checks = {
        number_range: DataValidation(
            type="decimal",
            operator="between",
            formula1=str(number_range.low),
            formula2=str(number_range.high),
            allow_blank=True,
        )
        for number_range in (validators.MEASURE, validators.PERCENTAGE)
    }
    years = indicator_years()
    year = DataValidation(
        type="whole", operator="between", formula1=str(years.low), formula2=str(years.high), allow_blank=True
    )
    for check in (*checks.values(), year):
        sheet.add_data_validation(check)
    for indicator in indicators:
        given = values.get(indicator.pk)
        append_row(sheet, [indicator.key, indicator.name, indicator.unit, *(given or (None, None, None))])
        checks[measure_range(indicator.unit)].add(f"D{sheet.max_row}")
        year.add(f"E{sheet.max_row}")
    _widths(sheet, [24, 50, 18, 14, 8, 40])
    sheet = book.create_sheet(MATURITY)
    append_row(sheet, [_("Solution"), _("Current level (0-4)"), _("Target level (0-4)")])
    level = DataValidation(type="list", formula1='"0,1,2,3,4"', allow_blank=True)
    sheet.add_data_validation(level)
    for index in range(MATURITY_ROWS):
        rating = ratings[index] if index < len(ratings) else None
        append_row(sheet, [rating.solution, rating.level, rating.target] if rating else [None, None, None])
        level.add(f"B{sheet.max_row}")
        level.add(f"C{sheet.max_row}")
    _widths(sheet, [50, 20, 20])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


def _allowed(question: Question) -> str:
    if question.type == QuestionType.SCALE:
        return "; ".join(f"{i} = {label}" for i, label in enumerate(question.levels, start=1)) + f"; {UNKNOWN}"
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return "; ".join(question.choices)
    return str(question.get_type_display())


def _widths(sheet: Any, widths: list[int]) -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


# Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        if self.cell:
            return _("Sheet “%(sheet)s”, cell %(cell)s: %(message)s") % {
                "sheet": self.sheet,
                "cell": self.cell,
                "message": self.message,
            }
        return (
            _("Sheet “%(sheet)s”: %(message)s") % {"sheet": self.sheet, "message": self.message}
            if self.sheet
            else self.message
        )


@dataclass
class Parsed:
    answers: dict[int, dict[int, tuple[Any, bool]]] = field(default_factory=dict)  # instrument → question → answer
    values: dict[int, tuple[Decimal, int, str] | None] = field(default_factory=dict)
    ratings: list[tuple[str, int, int]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


# What openpyxl may raise on a workbook that passed the upload checks but is still not one.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    KeyError,
    IndexError,
    AttributeError,
    TypeError,
    OSError,
    EOFError,
    ValueError,
    SyntaxError,  # xml.etree's ParseError
)


def read(data: bytes, *, filename: str, city: City, round: str, indicators: list[Indicator]) -> Parsed:
    parsed = Parsed()
    try:
        uploads.check_workbook(data, filename=filename)
    except uploads.UploadRefused as refused:
        parsed.errors.append(CellError("", "", refused.text))
        return parsed
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except UNREADABLE:
        parsed.errors.append(
            CellError("", "", _("The file is not a readable .xlsx workbook. Download a fresh one and try again."))
        )
        return parsed
    instruments = answerable(city)
    expected = [ABOUT, *(instrument_sheet(i) for i in instruments), INDICATORS, MATURITY]
    for name in expected:
        if name not in book.sheetnames:
            parsed.errors.append(
                CellError(
                    name, "", _("This sheet is missing. Was it renamed or deleted? Keep the sheet names as downloaded.")
                )
            )
    for name in book.sheetnames:
        if name not in expected:
            parsed.errors.append(
                CellError(name, "", _("This sheet is not part of the workbook; remove it or restore its name."))
            )
    if parsed.errors:
        return parsed
    about = book[ABOUT]
    if str(about["B2"].value) != str(city.pk) or about["B4"].value != city.programme.slug:
        parsed.errors.append(
            CellError(
                ABOUT,
                "B2",
                _("This workbook belongs to another city (%(name)s). Download this city's own workbook.")
                % {"name": about["B3"].value},
            )
        )
        return parsed
    if about["B5"].value != round:
        parsed.errors.append(
            CellError(ABOUT, "B5", _("This workbook is for the “%(round)s” round.") % {"round": about["B5"].value})
        )
        return parsed
    for instrument in instruments:
        parsed.answers[instrument.pk] = _read_answers(book[instrument_sheet(instrument)], instrument, parsed.errors)
    parsed.values = _read_indicators(book[INDICATORS], indicators, parsed.errors)
    parsed.ratings = _read_maturity(book[MATURITY], parsed.errors)
    return parsed


def _cells(sheet: Any, errors: list[CellError]) -> list[tuple[int, list[Any]]]:
    """The data rows, refusing formulas anywhere."""
    rows = []
    for row in sheet.iter_rows(min_row=2):
        values = []
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                errors.append(
                    CellError(sheet.title, cell.coordinate, _("Formulas are not accepted; type the value itself."))
                )
            values.append(cell.value)
        if any(v not in (None, "") for v in values):
            rows.append((row[0].row, values))
    return rows


def _read_answers(sheet: Any, instrument: Instrument, errors: list[CellError]) -> dict[int, tuple[Any, bool]]:
    questions = {q.key: q for q in Question.objects.filter(section__instrument=instrument)}
    answers: dict[int, tuple[Any, bool]] = {}
    seen = set()
    for number, values in _cells(sheet, errors):
        key, raw = values[0], values[3] if len(values) > 3 else None
        question = questions.get(str(key))
        if question is None or key in seen:
            errors.append(
                CellError(
                    sheet.title,
                    f"A{number}",
                    _("Unknown or repeated question “%(key)s”: do not add or copy rows.") % {"key": key},
                )
            )
            continue
        seen.add(key)
        if raw in (None, ""):
            continue
        try:
            answers[question.pk] = _answer(question, raw)
        except ValueError as error:
            errors.append(CellError(sheet.title, f"D{number}", str(error)))
    return answers


def _answer(question: Question, raw: Any) -> tuple[Any, bool]:
    text = str(raw).strip()
    if text.lower() == UNKNOWN and question.allow_unknown:
        return None, True
    kind = question.type
    if kind == QuestionType.SCALE:
        if text not in {"1", "2", "3", "4", "5", "1.0", "2.0", "3.0", "4.0", "5.0"}:
            raise ValueError(_("“%(value)s” is not 1 to 5 or “%(unknown)s”.") % {"value": text, "unknown": UNKNOWN})
        return int(float(text)), False
    if kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE, QuestionType.YEAR):
        number_range = {
            str(QuestionType.PERCENTAGE): validators.PERCENTAGE,
            str(QuestionType.YEAR): validators.YEAR,
        }.get(str(kind), measure_range(question.unit))
        number = _number(number_range, raw)
        if kind == QuestionType.YEAR:
            return int(number), False
        return str(number.normalize()), False
    if kind == QuestionType.SINGLE:
        if text not in question.choices:
            raise ValueError(_("“%(value)s” is not one of the allowed answers.") % {"value": text})
        return text, False
    if kind == QuestionType.MULTIPLE:
        picked = [part.strip() for part in text.split(";") if part.strip()]
        wrong = [p for p in picked if p not in question.choices]
        if wrong:
            raise ValueError(_("“%(value)s” is not one of the allowed answers.") % {"value": wrong[0]})
        return picked, False
    try:
        check_length(text, lengths.TEXT)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return text, False


def _number(number_range: validators.NumberRange, raw: Any) -> Decimal:
    try:
        return Decimal(number_range.parse(raw))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def _read_indicators(
    sheet: Any, indicators: list[Indicator], errors: list[CellError]
) -> dict[int, tuple[Decimal, int, str] | None]:
    by_key = {i.key: i for i in indicators}
    result: dict[int, tuple[Decimal, int, str] | None] = {i.pk: None for i in indicators}
    seen = set()
    for number, values in _cells(sheet, errors):
        key = str(values[0])
        indicator = by_key.get(key)
        if indicator is None or key in seen:
            errors.append(
                CellError(
                    sheet.title,
                    f"A{number}",
                    _("Unknown or repeated indicator “%(key)s”: do not add or copy rows.") % {"key": key},
                )
            )
            continue
        seen.add(key)
        value, year, source = (values + [None] * 6)[3:6]
        if value in (None, "") and year in (None, "") and source in (None, ""):
            continue
        try:
            amount = _number(measure_range(indicator.unit), value)
        except ValueError as error:
            errors.append(CellError(sheet.title, f"D{number}", str(error)))
            continue
        try:
            when = int(_number(indicator_years(), year))
        except ValueError:
            errors.append(
                CellError(
                    sheet.title,
                    f"E{number}",
                    _("“%(value)s” is not a year from %(first)s.") % {"value": year, "first": indicator_years().low},
                )
            )
            continue
        longest = max_length(IndicatorValue, "source")
        if source in (None, "") or len(str(source).strip()) > (longest or 0):
            errors.append(
                CellError(
                    sheet.title,
                    f"F{number}",
                    _("Say where the value comes from (at most %(n)s characters).") % {"n": format_number(longest, 0)},
                )
            )
            continue
        result[indicator.pk] = (amount, when, str(source).strip())
    return result


def _read_maturity(sheet: Any, errors: list[CellError]) -> list[tuple[str, int, int]]:
    ratings: list[tuple[str, int, int]] = []
    names: set[str] = set()
    for number, values in _cells(sheet, errors):
        solution, level, target = (values + [None] * 3)[:3]
        if number > MATURITY_ROWS + 1:
            errors.append(
                CellError(
                    sheet.title,
                    f"A{number}",
                    _("At most %(n)s solutions; remove the extra rows.") % {"n": format_number(MATURITY_ROWS, 0)},
                )
            )
            continue
        levels = []
        for column, raw in (("B", level), ("C", target)):
            try:
                levels.append(int(_number(validators.MATURITY, raw)))
            except ValueError:
                errors.append(
                    CellError(
                        sheet.title, f"{column}{number}", _("“%(value)s” is not a level from 0 to 4.") % {"value": raw}
                    )
                )
        name = str(solution or "").strip()
        longest = max_length(MaturityRating, "solution") or 0
        if not name or len(name) > longest:
            errors.append(
                CellError(
                    sheet.title,
                    f"A{number}",
                    _("Name the solution (at most %(n)s characters).") % {"n": format_number(longest, 0)},
                )
            )
        elif name.lower() in names:
            errors.append(CellError(sheet.title, f"A{number}", _("This solution is listed twice.")))
        if len(levels) == 2 and name:
            if levels[1] < levels[0]:
                errors.append(CellError(sheet.title, f"C{number}", _("The target cannot be below the current level.")))
            else:
                ratings.append((name, levels[0], levels[1]))
                names.add(name.lower())
    return ratings
