"""The early warning from the platform's own data: the signals each city gives, the
scores kept a day at a time, and the pages that show them to those who follow the city."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import Cast
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import SatCampaign, SatResponse
from icc.cities.models import City, CityType
from icc.core.models import AuditEntry, AuditKind, record
from icc.journey.actions import install_template
from icc.journey.models import DeliverableType, Event, EventStatus, EventType, FollowUp, Milestone, city_type_keys
from icc.reports import risk, signals
from icc.reports.actions import refresh_risks
from icc.reports.models import RiskScore
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)


def _event(cast: Cast, city: City, *, ended: dt.datetime, status: str = EventStatus.PLANNED, occurrence: int) -> Event:
    if not EventType.objects.filter(programme=cast.programme).exists():
        install_template(programme=cast.programme)
    event_type = EventType.objects.filter(programme=cast.programme).first()
    phase = cast.programme.phases.first()
    assert event_type is not None and phase is not None
    return Event.objects.create(
        programme=cast.programme,
        event_type=event_type,
        city=city,
        occurrence=occurrence,
        phase=phase,
        starts_at=ended - dt.timedelta(hours=1),
        ends_at=ended,
        status=status,
    )


def _late_milestone(cast: Cast, city: City, key: str = "strategy-report") -> Milestone:
    kind = DeliverableType.objects.create(
        programme=cast.programme, key=key, name=f"Report {key}", city_types=sorted(city_type_keys(city))
    )
    return Milestone.objects.create(deliverable_type=kind, version="draft", due_on=NOW.date() - dt.timedelta(days=3))


def test_the_signals_count_what_is_late_missing_and_quiet(cast: Cast) -> None:
    install_template(programme=cast.programme)
    DeliverableType.objects.filter(programme=cast.programme).delete()  # only the one below
    cast.city_b.type = CityType.INTERNATIONAL_CORE  # the deliverable below is for city A's type only
    cast.city_b.save(update_fields=["type"])
    _late_milestone(cast, cast.city_a)
    _event(cast, cast.city_a, ended=NOW - dt.timedelta(weeks=1), occurrence=1)
    _event(cast, cast.city_a, ended=NOW - dt.timedelta(weeks=20), occurrence=2)  # too long ago to count
    _event(cast, cast.city_a, ended=NOW - dt.timedelta(weeks=2), status=EventStatus.HELD, occurrence=3)
    event = _event(cast, cast.city_b, ended=NOW - dt.timedelta(weeks=30), status=EventStatus.HELD, occurrence=4)
    FollowUp.objects.create(
        event=event,
        city=cast.city_a,
        text="Send the map",
        owner=cast.person("rep_a"),
        due_on=NOW.date() - dt.timedelta(days=1),
    )
    entry = record(obj=cast.city_a, action=AuditKind.CHANGED, actor=cast.person("rep_a"))
    AuditEntry.objects.filter(pk=entry.pk).update(at=NOW - dt.timedelta(days=23))
    counted = signals.gather(cast.programme, [cast.city_a, cast.city_b], now=NOW)
    a, b = counted[cast.city_a.pk], counted[cast.city_b.pk]
    assert (a.late_deliverables, a.events_not_held, a.overdue_follow_ups, a.weeks_inactive) == (1, 1, 1, 3)
    assert (b.late_deliverables, b.events_not_held, b.overdue_follow_ups) == (0, 0, 0)
    # Nobody of city B's team ever changed anything: quiet since the edition began.
    assert b.weeks_inactive == (NOW.date() - cast.programme.starts_on).days // 7


def test_a_lead_experts_changes_are_not_the_city_teams_activity(cast: Cast) -> None:
    entry = record(obj=cast.city_a, action=AuditKind.CHANGED, actor=cast.person("lead_expert"))
    AuditEntry.objects.filter(pk=entry.pk).update(at=NOW - dt.timedelta(days=1))
    assert signals.gather(cast.programme, [cast.city_a], now=NOW)[cast.city_a.pk].weeks_inactive > 0


def test_an_open_survey_says_nothing_and_a_closed_one_only_its_released_count(cast: Cast) -> None:
    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.kind == "enablers")
    campaign = SatCampaign.objects.create(
        instrument=instrument, city=cast.city_a, closes_on=NOW.date() + dt.timedelta(days=9), invitations_sent=20
    )
    before = signals.gather(cast.programme, [cast.city_a], now=NOW)[cast.city_a.pk]
    SatResponse.objects.create(campaign=campaign)
    after = signals.gather(cast.programme, [cast.city_a], now=NOW)[cast.city_a.pk]
    assert before == after
    assert (after.survey_invited, after.survey_answered) == (0, 0)
    SatCampaign.objects.filter(pk=campaign.pk).update(
        released_at=NOW, released_results={"responses": 10, "rows": [], "themes": []}
    )
    released = signals.gather(cast.programme, [cast.city_a], now=NOW)[cast.city_a.pk]
    assert (released.survey_invited, released.survey_answered) == (20, 10)


def test_refreshing_keeps_one_score_a_day_and_returns_the_newly_flagged(cast: Cast) -> None:
    for key in ("strategy", "roadmap", "final"):
        _late_milestone(cast, cast.city_a, key)
    newly = refresh_risks(programme=cast.programme, now=NOW)
    cities = City.objects.filter(programme=cast.programme).count()
    assert RiskScore.objects.filter(on=NOW.date()).count() == cities
    flagged = {s.city_id for s in RiskScore.objects.filter(on=NOW.date(), score__gte=risk.FLAG_AT)}
    assert cast.city_a.pk in flagged
    assert {row.city_id for row in newly} == flagged
    # Again the same day: the day's score is replaced, and nobody is told twice.
    assert refresh_risks(programme=cast.programme, now=NOW + dt.timedelta(hours=2)) == []
    assert RiskScore.objects.filter(on=NOW.date()).count() == cities
    assert refresh_risks(programme=cast.programme, now=NOW + dt.timedelta(days=1)) == []
    assert RiskScore.objects.filter(city=cast.city_a).count() == 2
    # Once no longer flagged, a later flag is news again.
    RiskScore.objects.filter(city=cast.city_a).update(score=0.1)
    later = refresh_risks(programme=cast.programme, now=NOW + dt.timedelta(days=2))
    assert [row.city_id for row in later] == [cast.city_a.pk]


def _scores(cast: Cast, cities: list[City], *, on: dt.date, score: float) -> None:
    RiskScore.objects.bulk_create(
        RiskScore(city=city, on=on, score=score, signals={"late_deliverables": 2, "weeks_inactive": 6})
        for city in cities
    )


def test_the_page_lists_cities_by_risk_with_the_trend_and_reasons(cast: Cast) -> None:
    today = timezone.localdate()
    _scores(cast, [cast.city_b], on=today, score=0.8)
    _scores(cast, [cast.city_a], on=today, score=0.3)
    _scores(cast, [cast.city_a, cast.city_b], on=today - dt.timedelta(days=30), score=0.5)
    page = cast.client_for("organiser").get(reverse("reports:warnings", kwargs={"slug": cast.programme.slug}))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Betatown") < html.index("Alphaville")
    assert "up 30 points" in html and "down 20 points" in html
    assert "2 deliverables late" in html
    by_trend = cast.client_for("organiser").get(
        reverse("reports:warnings", kwargs={"slug": cast.programme.slug}), {"sort": "name"}
    )
    body = by_trend.content.decode()
    assert body.index("Alphaville") < body.index("Betatown")


def test_a_lead_expert_sees_only_the_cities_they_lead(cast: Cast) -> None:
    today = timezone.localdate()
    _scores(cast, [cast.city_a, cast.city_b], on=today, score=0.7)
    html = (
        cast.client_for("lead_expert")
        .get(reverse("reports:warnings", kwargs={"slug": cast.programme.slug}))
        .content.decode()
    )
    assert "Alphaville" in html and "Betatown" not in html
    assert (
        cast.client_for("lead_expert").get(reverse("reports:city_risk", kwargs={"pk": cast.city_b.pk})).status_code
        == 404
    )


def test_the_city_page_shows_each_signals_weight_and_points(cast: Cast) -> None:
    _scores(cast, [cast.city_a], on=timezone.localdate(), score=0.9)
    html = (
        cast.client_for("lead_expert").get(reverse("reports:city_risk", kwargs={"pk": cast.city_a.pk})).content.decode()
    )
    weight = next(s.weight for s in risk.SIGNALS if s.code == "late_deliverables")
    assert f"{weight:.2f}" in html
    assert "Weeks without a change by the city" in html


def test_the_list_reads_a_fixed_number_of_queries_for_ten_times_the_cities(
    cast: Cast, django_assert_max_num_queries: object
) -> None:
    client = cast.client_for("organiser")
    url = reverse("reports:warnings", kwargs={"slug": cast.programme.slug})
    today = timezone.localdate()
    _scores(cast, list(City.objects.all()), on=today, score=0.6)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = CityFactory.create_batch(30, programme=cast.programme)
    _scores(cast, more, on=today, score=0.6)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_refresh_scores_every_city_of_the_edition(cast: Cast) -> None:
    response = cast.client_for("organiser").post(reverse("reports:refresh", kwargs={"slug": cast.programme.slug}))
    assert response.status_code == 302
    assert RiskScore.objects.count() == City.objects.filter(programme=cast.programme).count()


def test_the_lead_expert_and_the_programme_team_are_told_once_when_a_city_is_flagged(cast: Cast) -> None:
    from icc.inbox.models import Kind, Notification
    from icc.inbox.targets import resolve

    for key in ("strategy", "roadmap", "final"):
        _late_milestone(cast, cast.city_a, key)
    refresh_risks(programme=cast.programme, now=NOW)
    refresh_risks(programme=cast.programme, now=NOW + dt.timedelta(hours=1))
    told = Notification.objects.filter(kind=Kind.RISK_FLAGGED, target_id=cast.city_a.pk)
    assert set(told.values_list("person__email", flat=True)) == {"lead_expert@example.org", "organiser@example.org"}
    assert told.count() == 2
    shown, gone = resolve(cast.person("lead_expert"), list(told.filter(person=cast.person("lead_expert"))))
    assert [s.url for s in shown] == [reverse("reports:city_risk", kwargs={"pk": cast.city_a.pk})]
    assert "Alphaville is at risk of falling behind" in shown[0].title and not gone


def test_a_notice_no_longer_opens_once_the_reader_stops_following_the_city(cast: Cast) -> None:
    from icc.cities.models import Role, RoleKind
    from icc.inbox.models import Kind, Notification
    from icc.inbox.targets import resolve

    for key in ("strategy", "roadmap", "final"):
        _late_milestone(cast, cast.city_a, key)
    refresh_risks(programme=cast.programme, now=NOW)
    Role.objects.filter(person=cast.person("lead_expert"), kind=RoleKind.LEAD_EXPERT).delete()
    notice = Notification.objects.get(kind=Kind.RISK_FLAGGED, person=cast.person("lead_expert"))
    shown, gone = resolve(cast.person("lead_expert"), [notice])
    assert shown == [] and gone == [notice]


def test_the_daily_run_scores_every_edition_under_way(cast: Cast) -> None:
    from icc.inbox.tasks import daily

    result = daily.call(reschedule=False)
    assert "flagged" in result
    assert (
        RiskScore.objects.filter(on=timezone.localdate()).count()
        == City.objects.filter(programme=cast.programme).count()
    )


def test_the_cohort_page_sorts_by_the_risk_and_exports_it(cast: Cast) -> None:
    today = timezone.localdate()
    _scores(cast, [cast.city_a], on=today, score=0.2)
    _scores(cast, [cast.city_b], on=today, score=0.7)
    client = cast.client_for("organiser")
    url = reverse("journey:cohort", kwargs={"slug": cast.programme.slug})
    html = client.get(url, {"sort": "-risk"}).content.decode()
    assert html.index("Betatown") < html.index("Alphaville")
    assert "70 %" in html and reverse("reports:city_risk", kwargs={"pk": cast.city_b.pk}) in html
    rising = client.get(url, {"sort": "risk"}).content.decode()
    assert rising.index("Alphaville") < rising.index("Betatown")
    import csv
    import io

    exported = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    assert exported[0][-1] == "risk_percent"
    assert ["Betatown", "70"] in [[row[0], row[-1]] for row in exported[1:]]
