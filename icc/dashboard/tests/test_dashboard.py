"""The programme office's dashboard: what each chart and table counts, where its links
lead, what a survey shows while it is open, and what the page costs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast
from icc.assessments.actions import load_default_instruments
from icc.assessments.models import SatCampaign, SatResponse
from icc.cities.models import City
from icc.journey import progress as journey_progress
from icc.journey.actions import install_template
from icc.journey.models import DeliverableType, Event, EventStatus, EventType, Milestone, Submission, city_type_keys
from icc.roadmaps.models import KPI, Measurement
from icc.tags.models import Commitment, CommitmentStatus, Membership, Session, SessionKind, Tag
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

# In the implementation phase, after cycle 1 ended (the KPI update for it is due).
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        cache.clear()
        yield


def _page(cast: Cast) -> str:
    response = cast.client_for("organiser").get(reverse("dashboard:dashboard", kwargs={"slug": cast.programme.slug}))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, name: str) -> str:
    start = page.index(f'aria-labelledby="dash-{name}-heading"')
    end = page.find('<section class="dash-section"', start)
    return page[start : end if end > 0 else None]


def _event(cast: Cast, city: City | None, *, ends: dt.datetime, status: str, occurrence: int, phase_key: str) -> Event:
    event_type = EventType.objects.filter(programme=cast.programme).first()
    assert event_type is not None
    return Event.objects.create(
        programme=cast.programme,
        event_type=event_type,
        city=city,
        occurrence=occurrence,
        phase=cast.programme.phases.get(key=phase_key),
        starts_at=ends - dt.timedelta(hours=2),
        ends_at=ends,
        status=status,
    )


def test_cities_by_phase_and_status_link_to_the_overview_filtered_the_same_way(cast: Cast) -> None:
    cast.city_b.current_phase = cast.programme.phases.get(key="ambition-roadmap")
    cast.city_b.save(update_fields=["current_phase"])
    City.objects.filter(pk=cast.mentor_city.pk).update(current_phase=None)

    section = _section(_page(cast), "phases")

    # City A is in the implementation phase, on schedule; city B a phase behind; the mentor city not started.
    assert "On schedule: 1" in section
    assert "Behind schedule: 1" in section
    assert "Not started: 1" in section
    overview = reverse("programmes:overview", kwargs={"slug": cast.programme.slug})
    assert f'href="{overview}?phase=implementation&amp;status=on-schedule">1</a>' in section
    assert f'href="{overview}?phase=ambition-roadmap&amp;status=behind">1</a>' in section
    assert f'href="{overview}?phase=none">1</a>' in section
    assert 'role="img"' in section and "<title" in section and "<desc" in section


def test_late_deliverables_are_counted_as_the_cohort_page_counts_them(cast: Cast) -> None:
    kind = DeliverableType.objects.create(
        programme=cast.programme, key="strategy", name="Strategy report", city_types=sorted(city_type_keys(cast.city_a))
    )
    late = Milestone.objects.create(deliverable_type=kind, version="draft", due_on=dt.date(2026, 10, 1))
    Milestone.objects.create(deliverable_type=kind, version="final", due_on=dt.date(2026, 12, 20))
    Submission.objects.create(
        city=cast.city_a,
        milestone=late,
        number=1,
        document="x.pdf",
        original_name="x.pdf",
        size=3,
        submitted_by=cast.person("rep_a"),
    )

    section = _section(_page(cast), "deliverables")

    cohort = journey_progress.cohort_rows(cast.programme, City.objects.filter(programme=cast.programme), NOW.date())
    late_in_cohort = sum(row.summary.late_deliverables for row in cohort)
    assert late_in_cohort == 1  # city B: the mentor city is not concerned
    assert f"{late_in_cohort} deliverables late, in 1 cities." in section
    assert "Submitted, in review: 1 · Late: 1" in section  # the draft: city A submitted it, city B did not
    assert "Not due yet: 2" in section  # the final, due in December
    cohort_url = reverse("journey:cohort", kwargs={"slug": cast.programme.slug})
    assert f'href="{cohort_url}?attention=late&amp;sort=-late"' in section
    assert "1 Oct 2026" in section  # the due date in DATE_FORMAT


def _kpi(city: City, name: str, *, latest: int | None, measured: dt.date | None = None) -> KPI:
    kpi = KPI.objects.create(
        city=city,
        name=name,
        unit="%",
        direction="up",
        baseline_value=Decimal(10),
        baseline_date=dt.date(2025, 10, 1),
        baseline_source="Statistics office",
        target_value=Decimal(20),
        target_date=dt.date(2027, 10, 1),
    )
    if latest is not None:
        Measurement.objects.create(kpi=kpi, date=measured or dt.date(2026, 9, 1), value=Decimal(latest), source="x")
    return kpi


def test_kpi_statuses_count_across_cities_and_link_to_the_programme_kpi_table(cast: Cast) -> None:
    _kpi(cast.city_a, "Broadband", latest=25)  # achieved
    _kpi(cast.city_a, "Jobs", latest=5)  # deterioration
    _kpi(cast.city_b, "Start-ups", latest=25)  # achieved
    _kpi(cast.city_b, "Permits", latest=None)  # no data yet, and no update for cycle 1

    section = _section(_page(cast), "kpis")

    assert "2 KPIs in 2 cities" in section  # achieved
    assert "1 KPIs in 1 cities" in section
    assert "1 KPIs lack their update for Cycle 1." in section
    kpis = reverse("roadmaps:programme_kpis", kwargs={"slug": cast.programme.slug})
    assert f'href="{kpis}?missing=1"' in section
    assert re.search(r"Achieved</span></th><td class=\"num\">2</td><td class=\"num\">2</td>", section)


def test_events_held_against_planned_by_phase(cast: Cast) -> None:
    install_template(programme=cast.programme)
    Event.objects.all().delete()
    past, future = NOW - dt.timedelta(days=10), NOW + dt.timedelta(days=10)
    _event(cast, cast.city_a, ends=past, status=EventStatus.HELD, occurrence=1, phase_key="implementation")
    _event(cast, cast.city_a, ends=past, status=EventStatus.PLANNED, occurrence=2, phase_key="implementation")
    _event(cast, cast.city_b, ends=future, status=EventStatus.PLANNED, occurrence=1, phase_key="implementation")
    _event(cast, cast.city_b, ends=past, status=EventStatus.CANCELLED, occurrence=2, phase_key="implementation")
    _event(cast, None, ends=past, status=EventStatus.HELD, occurrence=1, phase_key="implementation")

    section = _section(_page(cast), "events")

    assert "1 held of 3 planned · 1 past, not held" in section
    assert "Multi-city events: 1 held of 1 due so far." in section
    cohort_url = reverse("journey:cohort", kwargs={"slug": cast.programme.slug})
    assert f'href="{cohort_url}?attention=not-held&amp;sort=-not-held">1</a>' in section


def test_tag_activity_counts_sessions_held_and_commitments_by_status(cast: Cast) -> None:
    tag = Tag.objects.create(programme=cast.programme, number=1, theme=cast.city_a.track, mentor=cast.mentor_city)
    Membership.objects.create(tag=tag, city=cast.city_a)
    held = Session.objects.create(
        tag=tag,
        kind=SessionKind.WORKING,
        number=1,
        starts_at=NOW - dt.timedelta(days=7, hours=1),
        ends_at=NOW - dt.timedelta(days=7),
        agenda="Data sharing",
    )
    Session.objects.create(
        tag=tag,
        kind=SessionKind.WORKING,
        number=2,
        starts_at=NOW + dt.timedelta(days=7),
        ends_at=NOW + dt.timedelta(days=7, hours=1),
        agenda="Procurement",
    )
    for status in (CommitmentStatus.DONE, CommitmentStatus.DONE, CommitmentStatus.NOT_DONE):
        Commitment.objects.create(session=held, city=cast.city_a, text="Publish the data", status=status)

    section = _section(_page(cast), "tags")

    assert "1 of 2 sessions held · 3 commitments" in section
    assert f'href="{tag.get_absolute_url()}"' in section
    assert '<td class="num">2</td><td class="num">0</td><td class="num">1</td><td class="num">0</td>' in section


def test_an_open_survey_shows_nothing_about_its_answers(cast: Cast) -> None:
    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.kind == "enablers")
    campaign = SatCampaign.objects.create(
        instrument=instrument, city=cast.city_a, closes_on=NOW.date() + dt.timedelta(days=9), invitations_sent=40
    )
    before = _section(_page(cast), "surveys")
    SatResponse.objects.bulk_create(SatResponse(campaign=campaign) for _ in range(23))
    cache.clear()
    after = _section(_page(cast), "surveys")

    assert before == after
    assert "0 answers released<" in after
    # Closed but never asked for: still nothing, and the dashboard does not release it.
    SatCampaign.objects.filter(pk=campaign.pk).update(closed_on=NOW.date())
    closed = _section(_page(cast), "surveys")
    assert _baseline_row(closed) == ["0", "0", "1", "0", "2", "0", "0"]
    assert _baseline_row(after) == ["0", "0", "0", "1", "2", "0", "0"]
    campaign.refresh_from_db()
    assert campaign.released_at is None
    # Released: only the stored, noisy and rounded count shows.
    SatCampaign.objects.filter(pk=campaign.pk).update(
        released_at=NOW, released_results={"responses": 20, "epsilon": 1.0, "rows": [], "themes": []}
    )
    released = _section(_page(cast), "surveys")
    assert "20 answers released from 40 invitations" in released
    assert _baseline_row(released) == ["1", "0", "0", "0", "2", "20", "40"]


def _baseline_row(section: str) -> list[str]:
    """The survey table's figures for the baseline round: released, too few, closed and not
    released, open, no survey, answers released, invitations of the released surveys."""
    row = section[section.index('<th scope="row">Baseline</th>') :]
    return re.findall(r'<td class="num">([^<]*)</td>', row[: row.index("</tr>")])


def test_the_map_draws_every_city_on_countries_shipped_with_the_platform(cast: Cast) -> None:
    City.objects.filter(pk=cast.city_a.pk).update(latitude=Decimal("38.72"), longitude=Decimal("-9.14"))
    City.objects.filter(pk=cast.city_b.pk).update(latitude=Decimal("52.52"), longitude=Decimal("13.40"))
    City.objects.filter(pk=cast.mentor_city.pk).update(latitude=Decimal("55.68"), longitude=Decimal("12.57"))

    section = _section(_page(cast), "map")

    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'class="dash-map"' in svg and "viewBox=" in svg and 'role="img"' in svg
    assert "<title>Germany</title>" in svg and "<title>Portugal</title>" in svg
    assert "1 Alphaville" in svg  # the first city's name fits beside it
    assert "<title>Betatown, Germany: Implementation (On schedule)</title>" in svg
    assert '<text class="city-label"' in svg and svg.count('class="city on-schedule"') == 3
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    for name in ("Alphaville", "Betatown", "Mentorburg"):
        assert f">{name}</a></th>" in section


def test_the_page_is_cached_under_the_data_version(cast: Cast) -> None:
    client = cast.client_for("organiser")
    url = reverse("dashboard:dashboard", kwargs={"slug": cast.programme.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as cached:
        assert "Gammaford" not in client.get(url).content.decode()
    CityFactory.create(programme=cast.programme, name="Gammaford", country="FR")
    with CaptureQueriesContext(connection) as fresh:
        assert "Gammaford" in client.get(url).content.decode()
    assert len(cached) < len(fresh)


def _cohort(cast: Cast, size: int) -> None:
    install_template(programme=cast.programme)
    kind = DeliverableType.objects.create(
        programme=cast.programme, key=f"report-{size}", name="Report", city_types=["eu-core"]
    )
    milestone = Milestone.objects.create(deliverable_type=kind, version="draft", due_on=dt.date(2026, 10, 1))
    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.kind == "enablers")
    tag = Tag.objects.create(programme=cast.programme, number=size, theme=cast.city_a.track, mentor=cast.mentor_city)
    session = Session.objects.create(
        tag=tag,
        kind=SessionKind.WORKING,
        number=1,
        starts_at=NOW - dt.timedelta(days=3, hours=1),
        ends_at=NOW - dt.timedelta(days=3),
        agenda="Data",
    )
    for n in range(size):
        city = CityFactory.create(programme=cast.programme, name=f"Town {size}-{n}", latitude=40 + n % 10)
        _kpi(city, "Broadband", latest=12)
        _event(
            cast,
            city,
            ends=NOW - dt.timedelta(days=5),
            status=EventStatus.PLANNED,
            occurrence=1,
            phase_key="implementation",
        )
        Submission.objects.create(
            city=city,
            milestone=milestone,
            number=1,
            document="x.pdf",
            original_name="x.pdf",
            size=3,
            submitted_by=cast.person("organiser"),
        )
        SatCampaign.objects.create(instrument=instrument, city=city, closes_on=NOW.date() - dt.timedelta(days=1))
        Commitment.objects.create(session=session, city=city, text="Publish", status=CommitmentStatus.DONE)


def _queries(cast: Cast) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        _page(cast)
    return len(captured)


def test_the_query_count_stays_flat_with_ten_times_the_cities(cast: Cast) -> None:
    _cohort(cast, 3)
    few = _queries(cast)
    _cohort(cast, 30)
    many = _queries(cast)
    assert City.objects.filter(programme=cast.programme).count() == 36
    assert many == few
    assert few <= 45


@pytest.mark.parametrize("persona", ["lead_expert", "rep_a", "mentor"])
def test_members_of_the_edition_are_refused(cast: Cast, persona: str) -> None:
    response = cast.client_for(persona).get(reverse("dashboard:dashboard", kwargs={"slug": cast.programme.slug}))
    assert response.status_code == 403


def test_stakeholders_and_outsiders_do_not_learn_the_programme_exists(cast: Cast) -> None:
    url = reverse("dashboard:dashboard", kwargs={"slug": cast.programme.slug})
    assert cast.client_for("stakeholder").get(url).status_code == 404
    assert cast.client_for("outsider").get(url).status_code == 404
    assert cast.client_for("organiser").get(url.replace(cast.programme.slug, "no-such-edition")).status_code == 404


def test_the_demo_releases_most_closed_surveys_and_never_an_open_one(cast: Cast) -> None:
    from icc.dashboard.demo import record_demo_dashboard

    instrument = next(i for i in load_default_instruments(programme=cast.programme) if i.kind == "enablers")
    towns = [CityFactory.create(programme=cast.programme, name=f"Survey town {n}") for n in range(8)]
    for town in towns:
        campaign = SatCampaign.objects.create(instrument=instrument, city=town, closes_on=dt.date(2026, 1, 31))
        SatResponse.objects.bulk_create(SatResponse(campaign=campaign) for _ in range(6))
    open_one = SatCampaign.objects.create(instrument=instrument, city=cast.city_a, closes_on=dt.date(2026, 12, 31))

    released = record_demo_dashboard(programme=cast.programme)

    assert 0 < released < len(towns)
    assert SatCampaign.objects.filter(released_at__isnull=False).count() == released
    open_one.refresh_from_db()
    assert open_one.released_at is None
    section = _section(_page(cast), "surveys")
    # Answer sheets without a real answer: each released survey had too few answers to show.
    assert _baseline_row(section)[:4] == ["0", str(released), str(len(towns) - released), "1"]
