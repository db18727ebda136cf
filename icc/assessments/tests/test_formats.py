"""Scores, figures and dates of the assessments read one way: the reader's language's.

A score out of 5 has one decimal wherever it shows, in the profile table as in the reasons
beside it (3.7, never 3.67 beside "3.7 of 5"); an indicator value has the reader's
separators and no padding zeros (1,234.5 and 7.8 in English, 1.234,5 and 7,8 in German,
never 1234.5000 or 7.8000); a date reads 31 Dec 2026 or 31. Dezember 2026, never
2026-12-31 or 31 December 2026 beside 31 Dec 2026, in the page, in its messages and in
the e-mails it sends. The workbook's "made on" cell is a real date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from icc.assessments import survey
from icc.assessments.actions import load_default_instruments, save_response
from icc.assessments.indicators import confirm_peer_population, load_indicator_library
from icc.assessments.models import Indicator, IndicatorValue, Question, QuestionType, Response, SatCampaign
from icc.assessments.results import answer_text

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def said(language: str, msgid: str, **values: object) -> str:
    """``msgid`` as the catalogue of ``language`` words it, with ``values`` put in."""
    with translation.override(language):
        return translation.gettext(msgid) % values


def last_sentence(language: str, msgid: str, **values: object) -> str:
    """The last sentence of ``msgid`` in ``language``, with ``values`` put in (split before
    the values go in, so that the dot of "31. Dezember" is not taken for a full stop)."""
    with translation.override(language):
        return translation.gettext(msgid).rsplit(". ", 1)[-1] % values


def reader(cast: Any, persona: str, language: str) -> Client:
    """A client whose language is ``language``, chosen the way the language menu chooses it."""
    client: Client = cast.client_for(persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def scan(cast: Any) -> Response:
    """City A's submitted baseline scan: the green economy's performance answered 3, 4 and 4
    (mean 3.67), its technology maturity 2, 2, 3 and 3 (mean 2.5)."""
    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.key == "thematic-scan")
    questions = {q.key: q for q in Question.objects.filter(section__instrument=instrument)}
    given = {
        "green-economy-perf-1": 3,
        "green-economy-perf-2": 4,
        "green-economy-perf-3": 4,
        "green-economy-tech-1": 2,
        "green-economy-tech-2": 2,
        "green-economy-tech-3": 3,
        "green-economy-tech-4": 3,
    }
    response = Response(instrument=instrument, city=cast.city_a, round="baseline")
    save_response(
        response=response,
        values={questions[key].pk: (value, False) for key, value in given.items()},
        submit=True,
        by=cast.people["rep_a"],
    )
    return response


@pytest.mark.parametrize(("language", "mean", "maturity"), [("en", "3.7", "2.5"), ("de", "3,7", "2,5")])
def test_scan_result_writes_every_score_with_one_decimal(
    cast: Any, scan: Response, language: str, mean: str, maturity: str
) -> None:
    url = reverse(
        "assessments:result", kwargs={"pk": cast.city_a.pk, "instrument_pk": scan.instrument_id, "round": "baseline"}
    )

    page = reader(cast, "rep_a", language).get(url).content.decode()

    assert f'<td class="num">{mean}</td><td class="num">{maturity}</td><td class="num">7 / 8</td>' in page
    assert said(language, "performance is middling (%(value)s of 5)", value=mean) in page
    assert said(language, "technology maturity is low (%(value)s of 5): more groundwork needed", value=maturity) in page
    assert "3.67" not in page and "3,67" not in page
    assert "2.50" not in page and "2,50" not in page


@pytest.fixture
def library(cast: Any) -> list[Indicator]:
    load_indicator_library(programme=cast.programme)
    return list(Indicator.objects.filter(theme=cast.city_a.track))


@pytest.mark.parametrize(
    ("language", "baseline", "rerun", "change"),
    [("en", "7.8", "1,234.5", "1,226.7"), ("de", "7,8", "1.234,5", "1.226,7")],
)
def test_indicator_values_have_the_readers_separators_and_no_padding_zeros(
    cast: Any, library: list[Indicator], language: str, baseline: str, rerun: str, change: str
) -> None:
    indicator = library[0]
    for round, value, year in (("baseline", "7.8000", 2024), ("rerun", "1234.5000", 2026)):
        IndicatorValue.objects.create(
            city=cast.city_a, indicator=indicator, round=round, value=Decimal(value), year=year, source="Eurostat"
        )
    url = reverse("assessments:indicators", kwargs={"pk": cast.city_a.pk, "round": "baseline"})

    page = reader(cast, "rep_a", language).get(url).content.decode()

    assert f'<td class="num">{baseline} <span class="meta">(2024)</span></td>' in page
    assert f'<td class="num">{rerun} <span class="meta">(2026)</span></td>' in page
    assert f'<td class="num">{change}</td>' in page
    assert 'value="7.8"' in page  # the form shows the value as typed, too
    for wrong in ("7.8000", "1234.5", "1226.7"):
        assert wrong not in page


@pytest.fixture
def campaign(cast: Any) -> SatCampaign:
    """The local-enablers survey of city A, opened on 20 Nov 2026 until 31 Dec 2026."""
    load_default_instruments(programme=cast.programme)
    with time_machine.travel(TODAY, tick=False):
        cast.client_for("rep_a").post(
            reverse("assessments:survey_open", kwargs={"pk": cast.city_a.pk, "round": "baseline"}),
            {"closes_on": "2026-12-31"},
        )
    return SatCampaign.objects.get()


def survey_url(cast: Any, name: str) -> str:
    return reverse(f"assessments:survey_{name}", kwargs={"pk": cast.city_a.pk, "round": "baseline"})


@pytest.mark.parametrize(
    ("language", "closing", "link_until"),
    [("en", "31 Dec 2026", "20 Dec 2026"), ("de", "31. Dezember 2026", "20. Dezember 2026")],
)
@time_machine.travel(TODAY, tick=False)
def test_survey_pages_and_invitations_date_the_closing_in_the_readers_style(
    cast: Any,
    campaign: SatCampaign,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
    language: str,
    closing: str,
    link_until: str,
) -> None:
    rep = reader(cast, "rep_a", language)

    manage = rep.get(survey_url(cast, "manage")).content.decode()
    share = rep.post(survey_url(cast, "share")).content.decode()
    link = re.search(r'value="http://[^/]+(/survey/s/[^"]+/)"', share)
    assert link
    answer = reader(cast, "anonymous", language).get(link.group(1)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rep.post(survey_url(cast, "invite"), {"emails": "someone@example.org"})
    invitation = mailoutbox[-1].body

    assert said(language, "Open until %(date)s.", date=closing) in manage
    assert (
        last_sentence(
            language,
            "Your answers are anonymous: no name, e-mail address, network address or time is kept with them. "
            "Answer what you can; “don't know” is a fine answer. The survey is open until %(date)s.",
            date=closing,
        )
        in answer
    )
    invited = said(
        language,
        "%(city)s invites you to answer the %(survey)s. It takes about 15 minutes and is anonymous: "
        "your name and address are not kept with your answers.\n\n%(link)s\n\nThe link works once, until %(until)s.",
        city="",
        survey="",
        link="",
        until=link_until,
    ).split("\n\n")[-1]
    assert link_until in invited and invited in invitation  # 30 days, before the survey closes
    for text in (re.sub(r'value="[^"]*"', "", manage), answer, invitation):  # date inputs keep ISO 8601
        assert "2026-12-31" not in text and "2026-12-20" not in text and "31 December 2026" not in text


@pytest.mark.parametrize(("language", "closed"), [("en", "20 Nov 2026"), ("de", "20. November 2026")])
@time_machine.travel(TODAY, tick=False)
def test_a_closed_survey_says_when_it_closed_in_the_readers_style(
    cast: Any, campaign: SatCampaign, language: str, closed: str
) -> None:
    rep = reader(cast, "rep_a", language)
    share = rep.post(survey_url(cast, "share")).content.decode()
    link = re.search(r'value="http://[^/]+(/survey/s/[^"]+/)"', share)
    assert link
    rep.post(survey_url(cast, "close"))

    manage = rep.get(survey_url(cast, "manage")).content.decode()
    refused = reader(cast, "anonymous", language).get(link.group(1)).content.decode()

    assert said(language, "The survey is closed: the city team closed it on %(date)s.", date=closed) in manage
    assert said(language, "This survey closed on %(date)s.", date=closed) in refused
    assert "2026-11-20" not in refused


@pytest.mark.parametrize(("language", "until"), [("en", "21 Nov 2027"), ("de", "21. November 2027")])
@time_machine.travel(TODAY, tick=False)
def test_a_closing_date_too_far_off_names_the_last_one_allowed_in_the_readers_style(
    cast: Any, campaign: SatCampaign, language: str, until: str
) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        survey.open_campaign(
            city=cast.city_a,
            instrument=campaign.instrument,
            round="baseline",
            closes_on=dt.date(2028, 1, 1),
            by=cast.people["rep_a"],
        )

    expected = said(
        language,
        "A survey stays open at most %(days)s days: choose a closing date until %(date)s.",
        days="366",
        date=until,
    )
    assert expected in " ".join(refused.value.messages)


@pytest.mark.parametrize(("language", "largest"), [("en", "100,000,000"), ("de", "100.000.000")])
def test_the_largest_population_allowed_is_written_with_the_readers_separators(
    cast: Any, language: str, largest: str
) -> None:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        confirm_peer_population(city=cast.city_a, population=10**9, by=cast.people["organiser"])

    expected = said(language, "The population must be between 1 and %(max)s.", max=largest)
    assert expected in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "1,234.5 (2025, Eurostat)"), ("de", "1.234,5 (2025, Eurostat)")]
)
def test_the_workbook_is_dated_by_a_real_date_and_its_review_writes_values_the_readers_way(
    cast: Any, library: list[Indicator], language: str, shown: str
) -> None:
    load_default_instruments(programme=cast.programme)
    client = reader(cast, "rep_a", language)
    url = reverse("assessments:workbook", kwargs={"pk": cast.city_a.pk, "round": "baseline"})

    with time_machine.travel(TODAY, tick=False):
        book = load_workbook(io.BytesIO(client.get(url, {"download": "1"}).content))
    made_on = book["About"]["B6"]
    book["Indicators"]["D2"] = 1234.5
    book["Indicators"]["E2"] = 2025
    book["Indicators"]["F2"] = "Eurostat"
    out = io.BytesIO()
    book.save(out)
    review = client.post(
        reverse("assessments:workbook_upload", kwargs={"pk": cast.city_a.pk, "round": "baseline"}),
        {"file": SimpleUploadedFile("assessment.xlsx", out.getvalue(), content_type=XLSX)},
    ).content.decode()

    assert made_on.is_date and made_on.value.date() == dt.date(2026, 11, 20)
    assert shown in review
    assert "1234.5" not in review


@pytest.mark.parametrize(
    ("language", "kind", "value", "expected"),
    [
        ("en", QuestionType.NUMBER, "1234.5", "1,234.5"),
        ("de", QuestionType.NUMBER, "1234.5", "1.234,5"),
        ("de", QuestionType.PERCENTAGE, "12.50", "12,5"),
        ("de", QuestionType.YEAR, 2024, "2024"),
        ("de", QuestionType.SCALE, 3, "3"),
        ("de", QuestionType.TEXT, "1234.5", "1234.5"),
    ],
)
def test_answers_compared_round_by_round_read_numbers_the_readers_way_and_years_as_they_are(
    language: str, kind: str, value: object, expected: str
) -> None:
    with translation.override(language):
        assert answer_text(Question(type=kind), value) == expected
