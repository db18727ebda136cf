"""A city's reports: made in the background from one snapshot, kept with their date, as a
tagged PDF with its language and as a Word document; one job at a time; only for those
who may open the city, by every address; submitted as a deliverable in one step."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import Cast, RoadmapCast
from icc.journey.models import Submission
from icc.reports import typeset
from icc.reports.actions import make_report, request_report
from icc.reports.models import CITY_KINDS, Report, ReportKind, ReportStatus
from icc.roadmaps.models import Strategy

pytestmark = pytest.mark.django_db


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams opened, to read its dictionaries."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _made(city: object, kind: str, by: object) -> Report:
    """A report asked for and made, as the worker makes it."""
    report, _queued = request_report(city=city, kind=kind, language="en", by=by)  # type: ignore[arg-type]
    made = make_report(report_id=report.pk)
    assert made is not None
    return made


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_roadmap_report_is_made_as_a_tagged_pdf_in_its_language_and_as_word(
    roadmap: RoadmapCast, django_capture_on_commit_callbacks: object
) -> None:
    cast = roadmap.cast
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        report, queued = request_report(
            city=cast.city_a, kind=ReportKind.ROADMAP, language="en", by=cast.person("rep_a")
        )
    assert queued
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    pdf = report.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    objects = _pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects and b"/Lang" in objects and b"(en)" in objects
    words = _docx_text(report.docx.open("rb").read())
    assert roadmap.owned.title in words and roadmap.kpi.name in words
    assert report.snapshot["actions"][0]["title"] in words
    assert report.data_as_of is not None


def test_the_pdf_shows_the_charts_and_the_tables_beside_them(roadmap: RoadmapCast) -> None:
    report = _made(roadmap.cast.city_a, ReportKind.ROADMAP, roadmap.cast.person("rep_a"))
    page = typeset.html(report.kind, report.snapshot, language="en", made_at=report.data_as_of or report.requested_at)
    assert '<html lang="en">' in page
    assert page.count("<svg") >= 2  # the timeline and the KPI's chart
    assert roadmap.owned.title in page and "<table>" in page


def test_a_city_with_no_data_gets_a_report_that_says_so(cast: Cast) -> None:
    for kind in CITY_KINDS:
        report = _made(cast.city_b, kind, cast.person("rep_b"))
        assert report.status == ReportStatus.READY
        page = typeset.html(kind, report.snapshot, language="en", made_at=report.data_as_of or report.requested_at)
        assert "Nothing recorded yet" in page or "No action planned yet" in page or "No assessment submitted" in page


def test_a_second_request_while_one_is_waiting_gets_that_one(cast: Cast) -> None:
    waiting = Report.objects.create(city=cast.city_a, kind=ReportKind.ASSESSMENT, language="en")
    again, queued = request_report(city=cast.city_a, kind=ReportKind.ASSESSMENT, language="en", by=cast.person("rep_a"))
    assert (again.pk, queued) == (waiting.pk, False)
    assert Report.objects.filter(city=cast.city_a, kind=ReportKind.ASSESSMENT).count() == 1


def test_the_files_come_from_the_snapshot_even_when_the_data_changes_meanwhile(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    Strategy.objects.create(city=cast.city_a, vision="Green harbour city by 2030")
    real = typeset.pdf_bytes

    def while_someone_edits(*args: object, **kwargs: object) -> bytes:
        Strategy.objects.filter(city=cast.city_a).update(vision="Rewritten meanwhile")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(typeset, "pdf_bytes", while_someone_edits)
    report = _made(cast.city_a, ReportKind.ASSESSMENT, cast.person("rep_a"))
    words = _docx_text(report.docx.open("rb").read())
    assert report.snapshot["strategy"]["vision"] == "Green harbour city by 2030"
    assert "Green harbour city by 2030" in words and "Rewritten meanwhile" not in words


def test_an_open_survey_shows_nothing_in_the_report(cast: Cast) -> None:
    import datetime as dt

    from django.utils import timezone

    from icc.assessments.actions import load_default_instruments
    from icc.assessments.models import SatCampaign, SatResponse

    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.kind == "enablers")
    campaign = SatCampaign.objects.create(
        instrument=instrument, city=cast.city_a, closes_on=timezone.localdate() + dt.timedelta(days=5)
    )
    SatResponse.objects.bulk_create(SatResponse(campaign=campaign) for _ in range(7))
    report = _made(cast.city_a, ReportKind.ASSESSMENT, cast.person("rep_a"))
    assert report.snapshot["enablers"] is None
    campaign.refresh_from_db()
    assert campaign.released_at is None  # asking for the report released nothing


def test_the_reader_gets_the_report_in_a_language_it_is_written_in() -> None:
    assert typeset.language_for("en") == "en"
    assert typeset.language_for("fr") == "fr"
    assert typeset.language_for("de-at") == "de"
    assert typeset.language_for("cs") == "en"  # the platform's own words are not in Czech
    assert typeset.language_for(None) == "en"


def test_a_french_reader_gets_the_report_in_french_with_its_language_set(roadmap: RoadmapCast) -> None:
    from django.utils import translation

    report, _queued = request_report(
        city=roadmap.cast.city_a, kind=ReportKind.ROADMAP, language="fr", by=roadmap.cast.person("rep_a")
    )
    made = make_report(report_id=report.pk)
    assert made is not None and made.status == ReportStatus.READY
    with translation.override("fr"):
        heading = translation.gettext("Opportunities")
    assert heading != "Opportunities"  # the catalogue has it in French
    page = typeset.html(made.kind, made.snapshot, language="fr", made_at=made.requested_at)
    assert '<html lang="fr">' in page and heading in page
    english = {"Planned", "In progress", "Done", "Delayed", "Dropped"}
    assert made.snapshot["actions"] and not english & {a["status"] for a in made.snapshot["actions"]}
    objects = _pdf_objects(made.pdf.open("rb").read())
    assert b"(fr)" in objects
    assert heading in _docx_text(made.docx.open("rb").read())


def test_the_page_asks_for_a_report_and_lists_it_with_its_files(
    roadmap: RoadmapCast, django_capture_on_commit_callbacks: object
) -> None:
    cast = roadmap.cast
    client = cast.client_for("rep_a")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("reports:request", kwargs={"pk": cast.city_a.pk}), {"kind": ReportKind.ROADMAP})
    assert response.status_code == 302
    report = Report.objects.get(city=cast.city_a)
    page = client.get(reverse("reports:city_reports", kwargs={"pk": cast.city_a.pk})).content.decode()
    assert reverse("reports:download", kwargs={"pk": report.pk, "format": "pdf"}) in page
    pdf = client.get(reverse("reports:download", kwargs={"pk": report.pk, "format": "pdf"}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_made_up_kind_is_refused_and_nothing_is_queued(cast: Cast) -> None:
    response = cast.client_for("rep_a").post(reverse("reports:request", kwargs={"pk": cast.city_a.pk}), {"kind": "x"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_the_file_of_a_city_one_may_not_open_is_a_404_also_by_its_stored_address(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    report = _made(cast.city_a, ReportKind.ROADMAP, cast.person("rep_a"))
    for format in ("pdf", "docx", "exe"):
        url = reverse("reports:download", kwargs={"pk": report.pk, "format": format})
        assert cast.client_for("rep_b").get(url).status_code == 404
    # The stored file is not served as a static or media address.
    report.refresh_from_db()
    assert cast.client_for("rep_b").get(f"/media/{report.pdf.name}", follow=True).status_code == 404


def test_a_report_becomes_the_next_version_of_a_deliverable_in_one_step(roadmap: RoadmapCast) -> None:
    from icc.journey.actions import install_template
    from icc.journey.models import Milestone

    cast = roadmap.cast
    install_template(programme=cast.programme)
    report = _made(cast.city_a, ReportKind.ROADMAP, cast.person("rep_a"))
    milestone = next(
        m
        for m in Milestone.objects.filter(deliverable_type__programme=cast.programme)
        if "eu-core" in m.deliverable_type.city_types
    )
    response = cast.client_for("rep_a").post(
        reverse("reports:submit", kwargs={"pk": report.pk}), {"milestone": milestone.pk, "note": "Our draft"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(city=cast.city_a, milestone=milestone)
    assert submission.document.open("rb").read().startswith(b"%PDF-")
    assert submission.note == "Our draft"
    # A milestone of the list only: another programme's or a made-up one changes nothing.
    response = cast.client_for("rep_a").post(reverse("reports:submit", kwargs={"pk": report.pk}), {"milestone": 999999})
    assert Submission.objects.filter(city=cast.city_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_the_snapshot_in_a_transaction_of_its_own(cast: Cast) -> None:
    """Outside any transaction, as in the worker: on PostgreSQL a repeatable-read one."""
    report = _made(cast.city_b, ReportKind.ROADMAP, cast.person("rep_b"))
    assert report.status == ReportStatus.READY, report.error


def test_the_pdf_fetches_no_address_that_slipped_into_its_text(cast: Cast, tmp_path: object) -> None:
    from weasyprint import HTML

    secret = Path(str(tmp_path)) / "secret.png"
    secret.write_bytes(b"not for the report")
    opened: list[str] = []
    refusing = typeset.fetcher()
    real_open = refusing.open

    def spying_open(*args: object, **kwargs: object) -> object:
        opened.append(str(args[0]))
        return real_open(*args, **kwargs)

    refusing.open = spying_open
    page = f'<html lang="en"><body><h1>x</h1><img src="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png"></body></html>'
    HTML(string=page, url_fetcher=refusing).write_pdf()
    assert opened == []  # both refused before anything was opened
    Strategy.objects.create(city=cast.city_a, vision='<img src="file:///etc/passwd"> <script>x</script>')
    report = _made(cast.city_a, ReportKind.ASSESSMENT, cast.person("rep_a"))
    made = typeset.html(report.kind, report.snapshot, language="en", made_at=report.requested_at)
    assert "<img" not in made and "&lt;img" in made


def test_a_job_lost_long_ago_does_not_block_the_report_for_good(cast: Cast) -> None:
    import datetime as dt

    from django.utils import timezone

    lost = Report.objects.create(
        city=cast.city_a,
        kind=ReportKind.ROADMAP,
        language="en",
        status=ReportStatus.MAKING,
        requested_at=timezone.now() - dt.timedelta(hours=2),
    )
    fresh, queued = request_report(city=cast.city_a, kind=ReportKind.ROADMAP, language="en", by=cast.person("rep_a"))
    assert queued and fresh.pk != lost.pk
    lost.refresh_from_db()
    assert lost.status == ReportStatus.FAILED


def test_a_pasted_control_character_does_not_stop_the_report(cast: Cast) -> None:
    Strategy.objects.create(city=cast.city_a, vision="Green\x0bharbour\x07 city")
    report = _made(cast.city_a, ReportKind.ASSESSMENT, cast.person("rep_a"))
    assert report.status == ReportStatus.READY, report.error
    assert report.snapshot["strategy"]["vision"] == "Green\nharbour city"
    assert "harbour city" in _docx_text(report.docx.open("rb").read())
