"""The final report (every instrument's baseline against its re-run, KPI progress, actions
done and budget spent, TAG commitments kept) and the programme report of the whole cohort,
the programme team's alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import Cast, TagsCast
from icc.assessments.actions import load_instrument
from icc.assessments.models import (
    Answer,
    Direction,
    Indicator,
    IndicatorValue,
    Question,
    Response,
    ResponseStatus,
    Round,
)
from icc.assessments.tests.test_assessments import DEFINITION
from icc.finance.models import Application, ApplicationStatus
from icc.finance.tests.helpers import make_action, make_call
from icc.programmes.models import Programme
from icc.reports import content, typeset
from icc.reports.actions import make_report, request_report
from icc.reports.models import Report, ReportKind, ReportStatus
from icc.reports.tests.test_reports import _docx_text, _made, _pdf_objects
from icc.roadmaps.models import ActionStatus
from icc.tags.models import Commitment, CommitmentStatus
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def _answer_scan(cast: Cast, instrument: Any, round_: str, level: int) -> Response:
    response = Response.objects.create(
        instrument=instrument, city=cast.city_a, round=round_, status=ResponseStatus.SUBMITTED
    )
    for question in Question.objects.filter(section__instrument=instrument, type="scale"):
        Answer.objects.create(response=response, question=question, value=level)
    return response


@pytest.fixture
def journeyed(tags: TagsCast) -> Cast:
    """City A two years on: its scan answered twice, an indicator in both rounds, an action
    done with money spent, another dropped, and commitments followed up."""
    cast = tags.cast
    scan = load_instrument(programme=cast.programme, definition={**DEFINITION, "key": "final-scan"})
    _answer_scan(cast, scan, Round.BASELINE, 2)
    _answer_scan(cast, scan, Round.RERUN, 4)
    assert cast.city_a.track is not None
    indicator = Indicator.objects.create(
        programme=cast.programme,
        theme=cast.city_a.track,
        key="public-wifi",
        name="Public Wi-Fi coverage",
        definition="Share of public space with free Wi-Fi",
        unit="%",
        direction=Direction.UP,
    )
    for round_, value in ((Round.BASELINE, "10"), (Round.RERUN, "14")):
        IndicatorValue.objects.create(
            city=cast.city_a, indicator=indicator, round=round_, value=Decimal(value), year=2026, submitted=True
        )
    make_action(cast.city_a, title="Open the harbour data", status=ActionStatus.DONE, spent=Decimal("120000"))
    make_action(cast.city_a, title="Drop the kiosk", status=ActionStatus.DROPPED, budget=900_000, spent=None)
    Commitment.objects.create(
        session=tags.session, city=cast.city_a, text="Map the district heating", status=CommitmentStatus.DONE
    )
    Commitment.objects.create(
        session=tags.session, city=cast.city_a, text="Ask the utility for data", status=CommitmentStatus.NOT_DONE
    )
    Commitment.objects.create(session=tags.session, city=cast.city_b, text="Betatown's own", status="done")
    return cast


def test_the_final_report_puts_every_instrument_s_rerun_beside_its_baseline(journeyed: Cast) -> None:
    report = _made(journeyed.city_a, ReportKind.FINAL, journeyed.person("rep_a"))
    assert report.status == ReportStatus.READY, report.error
    snapshot = report.snapshot
    [instrument] = snapshot["instruments"]
    assert instrument["rerun_done"] and instrument["changed"] == "4"
    assert {(row["baseline"], row["rerun"], row["change"]) for row in instrument["rows"] if row["change"]} == {
        ("2", "4", "+2")
    }
    assert [c["round"] for c in snapshot["scan_charts"]] == ["Baseline", "Re-run"]
    [indicator] = snapshot["indicators"]
    assert (indicator["baseline"], indicator["rerun"], indicator["change"]) == ("10", "14", "4")
    assert indicator["direction"] == "better"


def test_the_final_report_counts_actions_done_budget_spent_and_commitments_kept(journeyed: Cast) -> None:
    report = _made(journeyed.city_a, ReportKind.FINAL, journeyed.person("rep_a"))
    s = report.snapshot
    assert [a["title"] for a in s["actions_done"]] == ["Open the harbour data"]
    assert s["budget_total"] == "€500,000"  # the dropped action's budget does not count
    assert s["spent_total"] == "€120,000"
    assert s["commitments_kept"] == {"done": "1", "partly": "0", "not_done": "1", "open": "0", "total": "2"}
    assert "Betatown's own" not in str(s)  # only the city's own commitments
    words = _docx_text(report.docx.open("rb").read())
    assert "Map the district heating" in words and "€120,000" in words and "Re-run" in words
    objects = _pdf_objects(report.pdf.open("rb").read())
    assert b"/StructTreeRoot" in objects and b"(en)" in objects


def test_the_final_report_of_a_city_with_nothing_says_so(cast: Cast) -> None:
    report = _made(cast.city_b, ReportKind.FINAL, cast.person("rep_b"))
    page = typeset.html(report.kind, report.snapshot, language="en", made_at=report.requested_at)
    for sentence in ("No assessment submitted yet.", "No KPI set yet.", "No commitment made in a TAG session yet."):
        assert sentence in page


def test_the_final_report_never_reads_the_enablers_survey_s_single_answers(journeyed: Cast) -> None:
    from icc.assessments.actions import load_default_instruments

    load_default_instruments(programme=journeyed.programme)
    s = content.final_report(journeyed.city_a)
    assert s["enablers"] is None  # no survey closed: nothing about its answers
    assert all("enablers" not in i["name"].lower() for i in s["instruments"])


def _fund(cast: Cast) -> None:
    call = make_call(cast.programme)
    for city, status, secured in (
        (cast.city_a, ApplicationStatus.AWARDED, Decimal("300000")),
        (cast.city_b, ApplicationStatus.REJECTED, None),
    ):
        Application.objects.create(
            city=city,
            action=make_action(city),
            call=call,
            amount_requested=Decimal("400000"),
            status=status,
            amount_secured=secured,
            applied_on=timezone.localdate() - dt.timedelta(days=30),
            decided_on=timezone.localdate() if secured or status == ApplicationStatus.REJECTED else None,
        )


def test_the_programme_report_shows_the_cohort_by_track_country_and_type(tags: TagsCast) -> None:
    cast = tags.cast
    _fund(cast)
    report, _queued = request_report(
        programme=cast.programme, kind=ReportKind.PROGRAMME, language="en", by=cast.person("organiser")
    )
    made = make_report(report_id=report.pk)
    assert made is not None and made.status == ReportStatus.READY, made and made.error
    s = made.snapshot
    assert s["programme"]["cities"] == "3"
    assert {row["label"]: row["cities"] for row in s["countries"]} == {"Portugal": "1", "Germany": "1", "Denmark": "1"}
    assert {row["label"]: row["cities"] for row in s["types"]} == {"EU core city": "2", "EU mentor city": "1"}
    assert sum(int(row["cities"]) for row in s["tracks"]) == 3
    assert s["funding_total"]["secured"] == "€300,000" and s["funding_total"]["applications"] == "2"
    assert [t["name"] for t in s["tags"]] == [str(tags.tag)]
    assert "<svg" in s["phase_chart"] and "<svg" in s["kpi_chart"]
    words = _docx_text(made.docx.open("rb").read())
    assert "Portugal" in words and "€300,000" in words and "Funding secured" in words
    assert made.pdf.name.startswith(f"reports/{cast.programme.pk}/cohort/")


def test_the_programme_report_reads_the_same_number_of_queries_for_ten_times_the_cities(cast: Cast) -> None:
    def queries() -> int:
        programme = Programme.objects.get(pk=cast.programme.pk)  # nothing cached on it
        with CaptureQueriesContext(connection) as captured:
            content.programme_report(programme)
        return len(captured)

    few = queries()
    for n in range(27):
        CityFactory.create(programme=cast.programme, name=f"Extra {n}", country=["FR", "PL", "IT"][n % 3])
    assert queries() == few


@pytest.mark.parametrize("persona", ["lead_expert", "rep_a", "mentor", "thematic_expert", "stakeholder"])
def test_the_programme_report_is_the_programme_team_s_alone(cast: Cast, client: Any, persona: str) -> None:
    made = Report.objects.create(programme=cast.programme, kind=ReportKind.PROGRAMME, language="en")
    made.status = ReportStatus.READY
    made.save()
    client.force_login(cast.person(persona))
    slug = cast.programme.slug
    assert client.get(reverse("reports:programme_reports", kwargs={"slug": slug})).status_code == 404
    assert client.post(reverse("reports:request_programme", kwargs={"slug": slug})).status_code == 404
    assert client.get(reverse("reports:report", kwargs={"pk": made.pk})).status_code == 404
    assert client.get(reverse("reports:download", kwargs={"pk": made.pk, "format": "pdf"})).status_code == 404
    assert Report.objects.filter(city=None).count() == 1


def test_the_programme_team_asks_for_the_programme_report_once_and_finds_it_listed(
    cast: Cast, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.person("organiser"))
    address = reverse("reports:request_programme", kwargs={"slug": cast.programme.slug})
    Report.objects.create(programme=cast.programme, kind=ReportKind.PROGRAMME, language="en")  # waiting already
    page = client.post(address, follow=True)
    assert "being made already" in page.content.decode()
    assert Report.objects.filter(city=None).count() == 1
    Report.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(address)
    made = Report.objects.get(city=None)
    assert made.status == ReportStatus.READY
    listing = client.get(reverse("reports:programme_reports", kwargs={"slug": cast.programme.slug})).content.decode()
    assert reverse("reports:report", kwargs={"pk": made.pk}) in listing and "Programme report" in listing
    report_page = client.get(reverse("reports:report", kwargs={"pk": made.pk})).content.decode()
    assert "Submit it as a deliverable" not in report_page  # the cohort's report is no city's deliverable
    assert client.post(reverse("reports:submit", kwargs={"pk": made.pk}), {"milestone": "1"}).status_code == 404


def test_a_city_s_report_form_does_not_offer_the_programme_report(cast: Cast, client: Any) -> None:
    client.force_login(cast.person("rep_a"))
    page = client.get(reverse("reports:city_reports", kwargs={"pk": cast.city_a.pk})).content.decode()
    assert 'value="final"' in page and 'value="programme"' not in page
    client.post(reverse("reports:request", kwargs={"pk": cast.city_a.pk}), {"kind": "programme"})
    assert not Report.objects.exists()
