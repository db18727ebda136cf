"""Working out and keeping the early warning's scores; asking for a report and making it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from icc.accounts.models import Person
from icc.cities.models import City
from icc.inbox import actions as inbox
from icc.inbox.models import Kind as NoticeKind
from icc.programmes.models import Programme
from icc.reports import content, risk, signals, typeset
from icc.reports.access import followers
from icc.reports.models import IN_PROGRESS, Report, ReportStatus, RiskScore

log = logging.getLogger(__name__)
# A report still waiting or being made this long after it was asked for lost its job.
STALE_AFTER = dt.timedelta(minutes=15)


@transaction.atomic
def refresh_risks(*, programme: Programme, now: dt.datetime | None = None) -> list[RiskScore]:
    """Score every city of ``programme`` from its signals at ``now`` and keep the day's
    score (a second run the same day replaces it). The cities that were not flagged at
    their latest score and are now are returned, and their lead experts and the programme
    team are told in their inbox."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cities = list(City.objects.filter(programme=programme).order_by("pk"))
    counted = signals.gather(programme, cities, now=now)
    before = latest_scores([city.pk for city in cities])
    rows = [
        RiskScore(city=city, on=today, score=risk.assess(counted[city.pk]).score, signals=asdict(counted[city.pk]))
        for city in cities
    ]
    RiskScore.objects.filter(city__in=cities, on=today).delete()
    RiskScore.objects.bulk_create(rows)
    newly = [
        row
        for row in rows
        if row.score >= risk.FLAG_AT and (before.get(row.city_id) is None or before[row.city_id] < risk.FLAG_AT)
    ]
    for row in newly:
        inbox.notify(
            kind=NoticeKind.RISK_FLAGGED,
            people=followers(row.city),
            programme=programme,
            target=row.city,
            key=f"risk:{row.city_id}:{today.isoformat()}",
            params={"percent": round(row.score * 100)},
        )
    return newly


def refresh_every_edition(*, now: dt.datetime | None = None) -> int:
    """The daily run: score the cities of every edition under way; the cities newly flagged."""
    today = timezone.localdate(now or timezone.now())
    flagged = 0
    for programme in Programme.objects.filter(starts_on__lte=today, ends_on__gte=today):
        flagged += len(refresh_risks(programme=programme, now=now))
    return flagged


def latest_scores(city_ids: list[int]) -> dict[int, float]:
    """Each city's latest kept score (today's, if the scores were worked out today already)."""
    latest: dict[int, float] = {}
    rows = RiskScore.objects.filter(city_id__in=city_ids).order_by("city_id", "-on")
    for city_id, score in rows.values_list("city_id", "score"):
        latest.setdefault(city_id, score)
    return latest


# Reports ----------------------------------------------------------------------------


def request_report(
    *, city: City | None = None, programme: Programme | None = None, kind: str, language: str, by: Person
) -> tuple[Report, bool]:
    """Queue the making of a city's report (``city``) or of the cohort's (``programme``),
    or return the one of the same subject, kind and language already waiting or being
    made (one job, not two). True if queued now."""
    from icc.reports.tasks import make_report as job

    if (city is None) == (programme is None):
        raise ValueError("a report is of one city or of one edition")
    programme = programme or city.programme  # type: ignore[union-attr]
    with transaction.atomic():
        # One request at a time per subject.
        if city is not None:
            City.objects.select_for_update().filter(pk=city.pk).first()
        else:
            Programme.objects.select_for_update().filter(pk=programme.pk).first()
        waiting = Report.objects.filter(
            programme=programme, city=city, kind=kind, language=language, status__in=IN_PROGRESS
        ).first()
        if waiting is not None and waiting.requested_at > timezone.now() - STALE_AFTER:
            return waiting, False
        if waiting is not None:  # its job was lost (a restart, a timeout): it will not be made
            Report.objects.filter(pk=waiting.pk).update(status=ReportStatus.FAILED, error="not made in time")
        report = Report.objects.create(programme=programme, city=city, kind=kind, language=language, requested_by=by)
        transaction.on_commit(lambda: job.enqueue(report_id=report.pk))
    return report, True


def _snapshot(report: Report) -> dict[str, object]:
    """Everything the report shows, read in one transaction that sees one moment of the
    data: on PostgreSQL a repeatable-read snapshot, on SQLite its read transaction."""
    from django.utils import translation

    outermost = not connection.in_atomic_block  # the worker's case; a test runs inside one
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with translation.override(report.language):
            if report.city_id is None:
                programme = Programme.objects.get(pk=report.programme_id)
                return content.clean(content.PROGRAMME_BUILDERS[report.kind](programme))
            city = City.objects.select_related("programme").get(pk=report.city_id)
            return content.clean(content.BUILDERS[report.kind](city))


def make_report(*, report_id: int) -> Report | None:
    """Make a queued report: read its snapshot, then its files from the snapshot alone."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status != ReportStatus.QUEUED:
            return report
        report.status = ReportStatus.MAKING
        report.save(update_fields=["status"])
    try:
        as_of = timezone.now()
        snapshot = _snapshot(report)
        pdf = typeset.pdf_bytes(report.kind, snapshot, language=report.language, made_at=as_of)
        docx = typeset.docx_bytes(report.kind, snapshot, language=report.language, made_at=as_of)
    except Exception:
        log.exception("report %s could not be made", report_id)
        Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, error="the files could not be made")
        report.refresh_from_db()
        return report
    name = slugify(f"{report.kind}-{report.subject_name}-{as_of:%Y-%m-%d}") or "report"
    report.snapshot, report.data_as_of, report.made_at = snapshot, as_of, timezone.now()
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    report.status = ReportStatus.READY
    report.save(update_fields=["snapshot", "data_as_of", "made_at", "pdf", "docx", "status"])
    return report
