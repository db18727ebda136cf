"""Two people edit the same record at once: the second save is refused, never lost silently.

Each case opens the edit form as person A, lets person B save a change, then sends A's
form: nothing of A's is written, B's change stays, and A sees why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from icc.cities.models import City, Organisation
from icc.journey.models import Event
from icc.roadmaps.models import Opportunity, Solution
from icc.tags.models import BrainDate, Session, TopicVote

pytestmark = pytest.mark.django_db

REFUSED = "Someone else saved this while you were editing it"


def form_data(form: Any, **changes: Any) -> dict[str, Any]:
    """What a browser would send for ``form`` as it was rendered, with ``changes``."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        if value is None or value is False:
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    data.update(changes)
    return data


@dataclass
class Case:
    url: str
    form_key: str
    extra: dict[str, Any]
    field: str
    read: Callable[[], str]
    post_url: str = ""  # where the form is sent, when it is not the page's own address


def run_case(case: Case, first: Any, second: Any) -> Any:
    opened_by_second = second.get(case.url)
    assert opened_by_second.status_code == 200
    stale = form_data(opened_by_second.context[case.form_key], **case.extra, **{case.field: "Second edit"})
    opened_by_first = first.get(case.url)
    post_url = case.post_url or case.url
    saved = first.post(
        post_url, form_data(opened_by_first.context[case.form_key], **case.extra, **{case.field: "First edit"})
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert case.read() == "First edit"
    refused = second.post(post_url, stale)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert REFUSED in page and "What is saved now" in page and "First edit" in page
    assert case.read() == "First edit"
    again = second.post(post_url, form_data(refused.context[case.form_key], **case.extra))
    assert again.status_code == 302 and case.read() == "Second edit"  # saved on purpose, over the newer version
    return refused


def test_city_profile(cast: Any) -> None:
    city = cast.city_a
    run_case(
        Case(
            reverse("cities:edit", kwargs={"pk": city.pk}),
            "form",
            {},
            "source",
            lambda: City.objects.get(pk=city.pk).source,
        ),
        cast.client_for("organiser"),
        cast.client_for("rep_a"),
    )


def test_organisation(cast: Any) -> None:
    organisation = cast.organisation_a
    run_case(
        Case(
            reverse("cities:organisation_edit", kwargs={"pk": organisation.pk}),
            "form",
            {},
            "name",
            lambda: Organisation.objects.get(pk=organisation.pk).name,
        ),
        cast.client_for("lead_expert"),
        cast.client_for("rep_a"),
    )


def test_opportunity(roadmap: Any) -> None:
    opportunity, cast = roadmap.opportunity, roadmap.cast
    run_case(
        Case(
            reverse("roadmaps:opportunity_edit", kwargs={"pk": cast.city_a.pk, "opportunity_pk": opportunity.pk}),
            "form",
            {},
            "need",
            lambda: Opportunity.objects.get(pk=opportunity.pk).need,
        ),
        cast.client_for("lead_expert"),
        cast.client_for("rep_a"),
    )


def test_solution(roadmap: Any) -> None:
    solution, cast = roadmap.solution, roadmap.cast
    run_case(
        Case(
            reverse("roadmaps:solution_edit", kwargs={"pk": cast.city_a.pk, "solution_pk": solution.pk}),
            "form",
            {},
            "description",
            lambda: Solution.objects.get(pk=solution.pk).description,
        ),
        cast.client_for("lead_expert"),
        cast.client_for("rep_a"),
    )


@time_machine.travel(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC))
def test_event_record(journey: Any) -> None:
    event, cast = journey.event_a, journey.cast
    run_case(
        Case(
            reverse("journey:event", kwargs={"pk": event.pk}),
            "record_form",
            {},
            "minutes",
            lambda: Event.objects.get(pk=event.pk).minutes,
            post_url=reverse("journey:event_record", kwargs={"pk": event.pk}),
        ),
        cast.client_for("lead_expert"),
        cast.client_for("rep_a"),
    )


@time_machine.travel(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC))
def test_event_move_after_a_write_up_is_refused(journey: Any) -> None:
    event, cast = journey.event_a, journey.cast
    url = reverse("journey:event", kwargs={"pk": event.pk})
    rep, lead = cast.client_for("rep_a"), cast.client_for("lead_expert")
    move = form_data(rep.get(url).context["move_form"], location="Town hall, room 2")
    record = reverse("journey:event_record", kwargs={"pk": event.pk})
    recorded = lead.post(record, form_data(lead.get(url).context["record_form"], minutes="Done"))
    assert recorded.status_code == 302
    refused = rep.post(reverse("journey:event_move", kwargs={"pk": event.pk}), move)
    assert REFUSED in refused.content.decode()
    assert Event.objects.get(pk=event.pk).location != "Town hall, room 2"


def test_tag_session_preparation(tags: Any) -> None:
    from icc.tags.models import SessionKind

    cast = tags.cast
    session = tags.tag.sessions.filter(kind=SessionKind.WORKING).first()
    from icc.cities.models import RoleKind
    from tests.factories import PersonFactory, give_role

    second_rep = PersonFactory.create(email="mentor2@example.org")
    give_role(second_rep, RoleKind.MENTOR_REP, cast.programme, city=cast.mentor_city)
    from django.test import Client

    other = Client()
    other.force_login(second_rep)
    run_case(
        Case(
            reverse("tags:session", kwargs={"pk": session.pk}),
            "prepare_form",
            {},
            "pre_reads",
            lambda: Session.objects.get(pk=session.pk).pre_reads,
            post_url=reverse("tags:session_prepare", kwargs={"pk": session.pk}),
        ),
        cast.client_for("mentor"),
        other,
    )


def test_brain_date_takeaways(tags: Any) -> None:
    brain_date, cast = tags.brain_date, tags.cast
    run_case(
        Case(
            reverse("tags:brain_date", kwargs={"pk": brain_date.pk}),
            "form",
            {},
            "takeaway_1",
            lambda: BrainDate.objects.get(pk=brain_date.pk).takeaway_1,
            post_url=reverse("tags:takeaways_save", kwargs={"pk": brain_date.pk}),
        ),
        cast.client_for("organiser"),
        cast.client_for("lead_expert"),
    )


def test_a_city_vote_moved_by_another_representative_is_not_overwritten(tags: Any) -> None:
    """Two representatives of one city vote at once: the second is told, not silently applied."""
    from django.test import Client

    from icc.cities.models import RoleKind
    from icc.tags.models import Topic
    from tests.factories import PersonFactory, give_role

    tag, cast = tags.tag, tags.cast
    first, second = (Topic.objects.create(tag=tag, title=title) for title in ("Open data", "Mobility hubs"))
    colleague = PersonFactory.create(email="rep-a-2@example.org")
    give_role(colleague, RoleKind.CITY_REP, cast.programme, city=cast.city_a)
    other = Client()
    other.force_login(colleague)

    def vote(topic: Topic) -> str:
        return reverse("tags:topic_vote", kwargs={"pk": tag.pk, "topic_pk": topic.pk})

    assert cast.client_for("rep_a").post(vote(first), {"replacing": ""}).status_code == 302
    stale = other.post(vote(second), {"replacing": ""}, follow=True)
    assert "changed the city&#x27;s vote meanwhile" in stale.content.decode()
    assert TopicVote.objects.get(city=cast.city_a).topic == first
    moved = other.post(vote(second), {"replacing": first.pk})
    assert moved.status_code == 302 and TopicVote.objects.get(city=cast.city_a).topic == second


def test_ranking_opportunities_on_the_cycle_plan_counts_as_a_save(roadmap: Any) -> None:
    from icc.roadmaps.actions import rank_opportunities

    opportunity, cast = roadmap.opportunity, roadmap.cast
    url = reverse("roadmaps:opportunity_edit", kwargs={"pk": cast.city_a.pk, "opportunity_pk": opportunity.pk})
    rep = cast.client_for("rep_a")
    stale = form_data(rep.get(url).context["form"], need="A new need")
    rank_opportunities(city=cast.city_a, ranks={opportunity.pk: 3}, by=cast.people["lead_expert"])
    assert REFUSED in rep.post(url, stale).content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).rank == 3


def test_a_change_in_the_admin_site_counts_as_a_save(cast: Any) -> None:
    from icc.accounts.models import Person

    staff = Person.objects.create_superuser(email="admin@example.org", password="a-long-password-1")
    from django.test import Client

    admin = Client()
    admin.force_login(staff)
    city = cast.city_a
    url = reverse("cities:edit", kwargs={"pk": city.pk})
    rep = cast.client_for("rep_a")
    stale = form_data(rep.get(url).context["form"], source="Rep's source")
    change = reverse("admin:cities_city_change", args=[city.pk])
    page = admin.get(change)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form, track=cast.city_b.track.pk)
    assert admin.post(change, data).status_code == 302
    assert REFUSED in rep.post(url, stale).content.decode()
    city.refresh_from_db()
    assert city.track == cast.city_b.track and city.source != "Rep's source"
