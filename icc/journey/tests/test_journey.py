from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
import time_machine
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from icc.cities.models import City, CityType, RoleKind
from icc.journey.actions import generate_schedules, install_template
from icc.journey.demo import DEMO_PDF
from icc.journey.models import (
    Achievement,
    AchievementItem,
    CalendarFeed,
    Event,
    EventStatus,
    FollowUp,
    Milestone,
    Submission,
)
from tests.factories import CityFactory, PersonFactory, give_role

MID_IMPLEMENTATION = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


@pytest.fixture
def scheduled(cast):
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)
    return cast


def counts(city: City) -> Counter:
    return Counter(Event.objects.filter(city=city).values_list("event_type__key", flat=True))


def test_core_city_gets_the_seeds_lead_expert_check_ins(scheduled):
    got = counts(scheduled.city_a)

    assert got["lead-expert-check-in-video"] == 15
    assert got["lead-expert-visit-in-person"] == 3
    assert got["thematic-expert-check-in-video"] == 6
    assert got["cycle-planning-session"] == 3
    assert got["needs-assessment-workshop"] == 1
    assert got["acceleration-workshop"] == 0


def test_former_dcc_city_gets_the_acceleration_workshop(cast):
    City.objects.filter(pk=cast.city_b.pk).update(former_dcc=True)
    install_template(programme=cast.programme)
    generate_schedules(programme=cast.programme)

    assert counts(cast.city_b)["acceleration-workshop"] == 1
    assert (
        Event.objects.get(city=cast.city_b, event_type__key="acceleration-workshop").phase.key == "activate-accelerate"
    )


def test_mentor_gets_no_needs_assessment_but_sees_the_cross_city_labs(scheduled):
    assert counts(scheduled.mentor_city)["needs-assessment-workshop"] == 0
    types = list(scheduled.programme.event_types.all())
    shared = Counter(Event.objects.for_city(scheduled.mentor_city, types).values_list("event_type__key", flat=True))
    assert {f"cross-city-lab-{n}" for n in range(1, 6)} <= set(shared)
    assert "tag-progress-tracker" not in shared


def test_ecosystem_calls_alternate_their_two_formats_every_two_weeks(scheduled):
    calls = list(Event.objects.filter(city=scheduled.city_a, event_type__key="ecosystem-call").order_by("starts_at"))

    assert len({c.variant for c in calls}) == 2
    assert all(a.variant != b.variant for a, b in itertools.pairwise(calls))
    assert {(b.starts_at.date() - a.starts_at.date()).days for a, b in itertools.pairwise(calls)} == {14}
    assert len(calls) > 40


def test_multi_city_events_exist_once_for_the_whole_edition(scheduled):
    labs = Event.objects.filter(event_type__key="cross-city-lab-2")

    assert labs.count() == 1 and labs.get().city is None


def test_regenerating_keeps_held_and_moved_events_and_duplicates_nothing(scheduled):
    city = scheduled.city_a
    held = Event.objects.filter(city=city).order_by("starts_at").first()
    assert held is not None
    held.status = EventStatus.HELD
    held.save()
    moved = Event.objects.filter(city=city, event_type__key="local-launch").get()
    moved.starts_at += dt.timedelta(days=2)
    moved.ends_at += dt.timedelta(days=2)
    moved.edited = True
    moved.save()
    before = {e.pk: (e.starts_at, e.uid) for e in Event.objects.all()}
    phase = scheduled.programme.phases.get(key="preparation-assessment")
    phase.ends_on -= dt.timedelta(days=20)
    phase.save()

    result = generate_schedules(programme=scheduled.programme)
    again = generate_schedules(programme=scheduled.programme)

    moved.refresh_from_db()
    assert before[moved.pk][0] == moved.starts_at
    assert Event.objects.get(pk=held.pk).status == EventStatus.HELD
    assert result.kept >= 2 and result.updated >= 1
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert {e.pk: e.uid for e in Event.objects.all()} == {pk: uid for pk, (_, uid) in before.items()}


def test_template_change_removes_untouched_occurrences_only(scheduled):
    event_type = scheduled.programme.event_types.get(key="lead-expert-check-in-video")
    first = Event.objects.filter(city=scheduled.city_a, event_type=event_type).order_by("occurrence").last()
    assert first is not None
    first.minutes = "We met."
    first.save()
    event_type.count = 10
    event_type.save()

    generate_schedules(programme=scheduled.programme)

    remaining = Event.objects.filter(city=scheduled.city_a, event_type=event_type)
    assert remaining.count() == 11
    assert remaining.filter(pk=first.pk).exists()


# Moving and recording events -------------------------------------------------------


def fmt(moment: dt.datetime) -> str:
    """How a person types a time into the form: in their own time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def event_url(event, verb=""):
    """The event's page, or with ``verb`` (move, record, follow_up_add) the URL of that write."""
    name = "journey:follow_up_add" if verb == "follow_up_add" else f"journey:event_{verb}" if verb else "journey:event"
    return reverse(name, kwargs={"pk": event.pk})


def test_rep_moves_an_event_inside_its_phase_and_the_calendar_revision_goes_up(scheduled):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()
    client = scheduled.client_for("rep_a")
    new_start = event.starts_at + dt.timedelta(days=3)

    response = client.post(
        event_url(event, "move"),
        {"starts_at": fmt(new_start), "ends_at": fmt(new_start + dt.timedelta(hours=2))},
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.edited and event.sequence == 1
    assert event.starts_at.date() == new_start.date()


@pytest.mark.parametrize(
    ("start_days", "hours", "message"),
    [(400, 2, "choose dates between"), (1, -2, "The end must come after the start")],
)
def test_bad_event_dates_are_refused_and_nothing_changes(scheduled, start_days, hours, message):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()
    before = (event.starts_at, event.ends_at, event.sequence)
    start = event.starts_at + dt.timedelta(days=start_days)

    response = scheduled.client_for("lead_expert").post(
        event_url(event, "move"),
        {"starts_at": fmt(start), "ends_at": fmt(start + dt.timedelta(hours=hours))},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at, event.sequence) == before


def test_an_htmx_move_with_errors_gets_only_its_form_back(scheduled):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()

    response = scheduled.client_for("rep_a").post(
        event_url(event, "move"), {"starts_at": "not a date"}, headers={"HX-Request": "true"}
    )

    fragment = response.content.decode().strip()
    assert response.status_code == 200
    assert fragment.startswith('<form method="post" action="/events/') and fragment.endswith("</form>")
    assert "Enter a valid date/time" in fragment and "<html" not in fragment


def test_pages_that_only_show_refuse_writes(scheduled):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()

    assert scheduled.client_for("rep_a").post(event_url(event), {"action": "move"}).status_code == 405


def test_only_the_programme_team_moves_multi_city_events(scheduled):
    lab = Event.objects.get(event_type__key="cross-city-lab-2")
    data = {"starts_at": fmt(lab.starts_at), "ends_at": fmt(lab.starts_at + dt.timedelta(hours=3))}

    assert scheduled.client_for("rep_a").post(event_url(lab, "move"), data).status_code == 403
    assert scheduled.client_for("organiser").post(event_url(lab, "move"), data).status_code == 302


@time_machine.travel(MID_IMPLEMENTATION, tick=False)
def test_recording_a_held_event_with_attendance_and_a_follow_up(scheduled):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()
    client = scheduled.client_for("lead_expert")
    rep = scheduled.people["rep_a"]

    client.post(
        event_url(event, "record"),
        {
            "status": "held",
            "attendees": [rep.pk],
            "other_attendees": 12,
            "minutes": "Launched.",
            "outcomes": "30 partners",
        },
    )
    client.post(event_url(event, "follow_up_add"), {"text": "Send the slides", "owner": rep.pk, "due_on": "2026-12-01"})

    event.refresh_from_db()
    assert event.status == EventStatus.HELD and list(event.attendees.all()) == [rep]
    follow_up = FollowUp.objects.get(event=event)
    assert (follow_up.owner, follow_up.due_on, follow_up.done_at) == (rep, dt.date(2026, 12, 1), None)
    scheduled.client_for("rep_a").post(reverse("journey:follow_up_done", kwargs={"pk": follow_up.pk}))
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


@time_machine.travel(MID_IMPLEMENTATION, tick=False)
def test_future_event_cannot_be_marked_held(scheduled):
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-closing").get()

    response = scheduled.client_for("lead_expert").post(
        event_url(event, "record"), {"status": "held", "other_attendees": 0}
    )

    assert "has not started yet" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PLANNED


# Deliverables ----------------------------------------------------------------------


def pdf(name="report.pdf", content=DEMO_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def milestone_url(cast, milestone, name="journey:milestone"):
    return reverse(name, kwargs={"pk": cast.city_a.pk, "milestone_pk": milestone.pk})


def submit_url(cast, milestone):
    return milestone_url(cast, milestone, "journey:deliverable_submit")


def review_url(submission):
    return reverse("journey:submission_review", kwargs={"pk": submission.pk})


def test_submit_comment_request_changes_resubmit_and_accept(scheduled, mailoutbox, django_capture_on_commit_callbacks):
    milestone = Milestone.objects.filter(deliverable_type__key="assessment-strategy-report").first()
    url, submit = milestone_url(scheduled, milestone), submit_url(scheduled, milestone)
    rep, lead = scheduled.client_for("rep_a"), scheduled.client_for("lead_expert")

    with django_capture_on_commit_callbacks(execute=True):
        rep.post(submit, {"document": pdf(), "note": "First draft"})
    first = Submission.objects.get()
    assert mailoutbox[-1].to == ["lead_expert@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(review_url(first), {"decision": "comment", "comment": "Looks promising"})
    assert mailoutbox[-1].to == ["rep_a@example.org"] and "Looks promising" in mailoutbox[-1].body
    lead.post(review_url(first), {"decision": "changes-requested", "comment": "Add the KPIs"})
    rep.post(submit, {"document": pdf("report-v2.pdf"), "note": "With KPIs"})
    second = Submission.objects.get(number=2)
    lead.post(review_url(second), {"decision": "accepted", "comment": "Good"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("changes-requested", "accepted")
    assert [r.decision for r in first.reviews.all()] == ["comment", "changes-requested"]
    page = rep.get(url).content.decode()
    assert "Looks promising" in page and "Add the KPIs" in page and "report-v2.pdf" in page
    download = rep.get(reverse("journey:download", kwargs={"pk": second.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("report.exe", b"MZ\x90\x00"), "Upload a document of one of these types"),
        (SimpleUploadedFile("report.pdf", b"this is not a pdf"), "is not a .pdf document"),
        (SimpleUploadedFile("report.pdf", DEMO_PDF + b"0" * (21 * 1024 * 1024)), "the limit is 20 MB"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(scheduled, upload, message):
    milestone = Milestone.objects.first()

    response = scheduled.client_for("rep_a").post(submit_url(scheduled, milestone), {"document": upload})

    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_reviewer_who_is_not_the_lead_expert_is_refused(scheduled):
    milestone = Milestone.objects.first()
    scheduled.client_for("rep_a").post(submit_url(scheduled, milestone), {"document": pdf()})
    submission = Submission.objects.get()

    for persona in ("organiser", "rep_a", "thematic_expert"):
        response = scheduled.client_for(persona).post(review_url(submission), {"decision": "accepted", "comment": "ok"})
        assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == "submitted" and not submission.reviews.exists()


# Achievements ----------------------------------------------------------------------


def test_achievement_needs_evidence_and_records_it(scheduled):
    item = AchievementItem.objects.filter(phase__key="preparation-assessment").first()
    assert item is not None
    url = reverse("journey:achievement_tick", kwargs={"pk": scheduled.city_a.pk, "item_pk": item.pk})
    client = scheduled.client_for("rep_a")

    refused = client.post(url)
    client.post(url, {"evidence_note": "https://city.example/vision"})

    assert "Give the evidence" in refused.content.decode()
    achievement = Achievement.objects.get()
    assert (achievement.item, achievement.ticked_by) == (item, scheduled.people["rep_a"])


def test_achievement_evidence_from_another_city_is_refused(scheduled):
    item = AchievementItem.objects.first()
    other_event = Event.objects.filter(city=scheduled.city_b).first()
    assert item is not None and other_event is not None

    response = scheduled.client_for("organiser").post(
        reverse("journey:achievement_tick", kwargs={"pk": scheduled.city_a.pk, "item_pk": item.pk}),
        {"evidence_event": other_event.pk},
    )

    assert response.status_code == 200
    assert not Achievement.objects.exists()


# Calendars -------------------------------------------------------------------------


def test_calendar_feed_parses_with_an_independent_parser_and_updates_in_place(scheduled, client):
    _feed, token = CalendarFeed.issue(person=scheduled.people["rep_a"])
    url = reverse("journey:feed", kwargs={"token": token})

    first = vobject.readOne(client.get(url).content.decode())
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()
    scheduled.client_for("rep_a").post(
        event_url(event, "move"),
        {
            "starts_at": fmt(event.starts_at + dt.timedelta(days=1)),
            "ends_at": fmt(event.starts_at + dt.timedelta(days=1, hours=3)),
        },
    )
    second = vobject.readOne(client.get(url).content.decode())

    def entries(calendar):
        return {v.uid.value: v for v in calendar.vevent_list}

    before, after = entries(first), entries(second)
    uid = f"{event.uid}@127.0.0.1:8000"
    assert set(before) == set(after)
    assert len(before) == Event.objects.for_city(scheduled.city_a, list(scheduled.programme.event_types.all())).count()
    assert int(after[uid].sequence.value) == int(before[uid].sequence.value) + 1
    assert after[uid].dtstart.value - before[uid].dtstart.value == dt.timedelta(days=1)
    assert after[uid].dtstart.value.utcoffset() == dt.timedelta(0)


def test_revoked_or_guessed_calendar_tokens_get_404(scheduled, client):
    feed, token = CalendarFeed.issue(person=scheduled.people["rep_a"])
    scheduled.client_for("rep_a").post(reverse("journey:calendar_revoke", kwargs={"pk": feed.pk}))

    assert client.get(reverse("journey:feed", kwargs={"token": token})).status_code == 404
    assert client.get(reverse("journey:feed", kwargs={"token": token[:-1] + "x"})).status_code == 404


def test_someone_elses_feed_cannot_be_revoked(scheduled):
    feed, _token = CalendarFeed.issue(person=scheduled.people["rep_a"])

    response = scheduled.client_for("rep_b").post(reverse("journey:calendar_revoke", kwargs={"pk": feed.pk}))

    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_city_feed_for_a_city_not_visible_is_refused(scheduled):
    response = scheduled.client_for("rep_b").post(reverse("journey:calendar_new"), {"city": scheduled.city_a.pk})

    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


# Time zones, home page and cohort --------------------------------------------------


def test_times_are_shown_in_the_viewers_time_zone(scheduled):
    rep = scheduled.people["rep_a"]
    event = Event.objects.filter(city=scheduled.city_a, event_type__key="local-launch").get()
    client = scheduled.client_for("rep_a")
    rep.time_zone = "Asia/Tokyo"
    rep.save()

    page = client.get(event_url(event)).content.decode()

    assert event.starts_at.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%H:%M") in page
    assert "Asia/Tokyo" in page or "JST" in page


@time_machine.travel(dt.datetime(2025, 9, 2, 9, tzinfo=dt.UTC), tick=False)
def test_home_shows_what_is_next_with_preparation_checklists(scheduled):
    page = scheduled.client_for("rep_a").get("/").content.decode()

    assert "What&#x27;s next" in page or "What's next" in page
    assert "To have ready" in page
    assert "Ecosystem interviews" in page or "1:1" in page or "Cross-city lab" in page or "Local launch" in page


@time_machine.travel(MID_IMPLEMENTATION, tick=False)
def test_cohort_view_shows_late_work_and_exports_csv(scheduled):
    event = Event.objects.filter(city=scheduled.city_b).first()
    assert event is not None
    FollowUp.objects.create(
        event=event,
        city=scheduled.city_b,
        text="x",
        owner=scheduled.people["rep_b"],
        due_on=dt.date(2026, 1, 1),
    )
    client = scheduled.client_for("organiser")
    url = reverse("journey:cohort", kwargs={"slug": scheduled.programme.slug})

    page = client.get(url, {"attention": "overdue"})
    export = client.get(url, {"format": "csv", "sort": "-late"})
    bad = client.get(url, {"attention": "<x>", "sort": "nope"})

    assert [r.city.name for r in page.context["report"].rows] == ["Betatown"]
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith('"city","country","type"')
    assert len(lines) == 4
    assert bad.status_code == 200 and "was ignored" in bad.content.decode()


@time_machine.travel(MID_IMPLEMENTATION, tick=False)
def test_cohort_queries_do_not_grow_with_the_number_of_cities(scheduled):
    client = scheduled.client_for("organiser")
    url = reverse("journey:cohort", kwargs={"slug": scheduled.programme.slug})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    new = CityFactory.create_batch(60, programme=scheduled.programme, type=CityType.EU_CORE)
    for city in new[:20]:
        give_role(PersonFactory.create(), RoleKind.LEAD_EXPERT, scheduled.programme, city=city)
    generate_schedules(programme=scheduled.programme, cities=new)
    assert queries() == small


def event_type_data(event_type, **changes):
    data = {
        "name": event_type.name,
        "purpose": event_type.purpose,
        "format": event_type.format,
        "mode": event_type.mode,
        "duration_minutes": event_type.duration_minutes,
        "audience": event_type.audience,
        "city_types": event_type.city_types,
        "phases": [p.pk for p in event_type.phases.all()],
        "scheduled_by": event_type.scheduled_by,
        "recurrence": event_type.recurrence,
        "count": event_type.count or "",
        "every_weeks": event_type.every_weeks or "",
        "position": event_type.position,
        "checklist": "\n".join(event_type.checklist),
        "agenda": "\n".join(event_type.agenda),
        "notes": event_type.notes,
    }
    data.update(changes)
    return data


def test_team_changes_the_catalogue_and_schedules_follow(scheduled):
    event_type = scheduled.programme.event_types.get(key="lead-expert-check-in-video")
    client = scheduled.client_for("organiser")
    url = reverse("journey:event_type_edit", kwargs={"slug": scheduled.programme.slug, "pk": event_type.pk})

    response = client.post(
        url, event_type_data(event_type, count=12, checklist="Progress report\n\nList of roadblocks\n")
    )
    client.post(reverse("journey:generate", kwargs={"slug": scheduled.programme.slug}))

    assert response.status_code == 302
    event_type.refresh_from_db()
    assert event_type.checklist == ["Progress report", "List of roadblocks"]
    assert counts(scheduled.city_a)["lead-expert-check-in-video"] == 12


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"count": ""}, "count"),
        ({"city_types": []}, "city_types"),
        ({"duration_minutes": "-5"}, "duration_minutes"),
        ({"format": "orbit"}, "format"),
    ],
)
def test_bad_catalogue_changes_are_refused(scheduled, changes, field):
    event_type = scheduled.programme.event_types.get(key="lead-expert-check-in-video")
    url = reverse("journey:event_type_edit", kwargs={"slug": scheduled.programme.slug, "pk": event_type.pk})

    response = scheduled.client_for("organiser").post(url, event_type_data(event_type, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    event_type.refresh_from_db()
    assert event_type.count == 15 and event_type.format == "in-city"
