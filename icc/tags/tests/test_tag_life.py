"""A TAG's topics, sessions and commitments; second mentors; labs; awards."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from icc.cities.models import CityType, RoleKind
from icc.tags import actions
from icc.tags.models import (
    BrainDate,
    Commitment,
    Lab,
    Nomination,
    Pick,
    Project,
    Reveal,
    SecondMentorRequest,
    Session,
    SessionKind,
    Tag,
    Topic,
    UseCase,
    Vote,
)
from tests.factories import CityFactory, PersonFactory, give_role

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC)


@pytest.fixture
def tag(tags: Any) -> Tag:
    return tags.tag


def post(client: Any, url: str, **data: Any) -> Any:
    return client.post(url, data, follow=True)


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"tags:{name}", kwargs=kwargs)


class TestSessions:
    def test_two_working_sessions_in_ambition_eight_in_implementation_and_bimonthly_trackers(self, tag: Tag) -> None:
        phases = {p.key: p for p in tag.programme.phases.all()}
        working = list(tag.sessions.filter(kind=SessionKind.WORKING))
        trackers = list(tag.sessions.filter(kind=SessionKind.TRACKER))
        ambition, implementation = phases["ambition-roadmap"], phases["implementation"]
        in_ambition = [s for s in working if ambition.starts_on <= s.starts_at.date() <= ambition.ends_on]
        in_implementation = [
            s for s in working if implementation.starts_on <= s.starts_at.date() <= implementation.ends_on
        ]
        assert (len(in_ambition), len(in_implementation), len(working)) == (2, 8, 10)
        assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=60) for s in working)
        assert all(s.ends_at - s.starts_at == dt.timedelta(minutes=90) for s in trackers)
        gaps = {(b.starts_at - a.starts_at).days for a, b in itertools.pairwise(trackers)}
        assert gaps and all(54 <= g <= 58 for g in gaps)  # every 8 weeks, moved off weekends
        assert all(s.starts_at.weekday() < 5 for s in working + trackers)
        assert "Recap of the last session" in working[0].agenda

    def test_commitments_are_followed_up_at_the_next_session(self, cast: Any, tag: Tag) -> None:
        first, second = tag.sessions.filter(kind=SessionKind.WORKING).order_by("starts_at")[:2]
        rep = cast.client_for("rep_a")
        response = post(rep, url("commitment_add", pk=first.pk), text="Map the data owners")
        assert "Commitment recorded" in response.content.decode()
        commitment = Commitment.objects.get()
        assert commitment.city == cast.city_a
        # Another city's representative cannot follow up city A's commitment...
        follow_up = url("commitment_follow_up", pk=second.pk, commitment_pk=commitment.pk)
        other = post(cast.client_for("rep_b"), follow_up, status="done", note="")
        assert other.status_code == 403
        # ...city A's can, at the next session.
        # A commitment is followed up only at the session after the one it was made at.
        assert post(rep, url("commitment_follow_up", pk=first.pk, commitment_pk=commitment.pk)).status_code == 404
        page = post(rep, follow_up, status="partly", note="Half the departments")
        assert "Follow-up recorded" in page.content.decode()
        commitment.refresh_from_db()
        assert (commitment.status, commitment.followed_up_in) == ("partly", second)
        assert "Map the data owners" in page.content.decode()

    def test_only_the_mentor_prepares_working_sessions_and_not_trackers(self, cast: Any, tag: Tag) -> None:
        working = tag.sessions.filter(kind=SessionKind.WORKING).first()
        tracker = tag.sessions.filter(kind=SessionKind.TRACKER).first()
        assert working is not None and tracker is not None
        data = {
            "agenda": "1. Recap",
            "pre_reads": "https://example.org/read",
            "questions": "Q",
            "notes": "",
        }
        prepare_working, prepare_tracker = url("session_prepare", pk=working.pk), url("session_prepare", pk=tracker.pk)
        assert cast.client_for("mentor").post(prepare_working, data).status_code == 302
        assert Session.objects.get(pk=working.pk).pre_reads == "https://example.org/read"
        assert cast.client_for("mentor").post(prepare_tracker, data).status_code == 403
        assert cast.client_for("lead_expert").post(prepare_tracker, data).status_code == 302
        assert cast.client_for("rep_a").post(prepare_working, data).status_code == 403
        assert cast.client_for("mentor").post(working.get_absolute_url(), data).status_code == 405


class TestTopics:
    def test_the_mentor_proposes_the_cities_vote_and_the_most_voted_is_chosen(self, cast: Any, tag: Tag) -> None:
        mentor, rep_a, rep_b = (cast.client_for(p) for p in ("mentor", "rep_a", "rep_b"))
        propose, choose = url("topic_propose", pk=tag.pk), url("topic_choose", pk=tag.pk)
        post(mentor, propose, title="Data spaces", description="")
        response = post(mentor, choose)
        assert "at least two topics" in response.content.decode()
        post(mentor, propose, title="Digital twins", description="")
        post(mentor, propose, title="Energy communities", description="")
        fourth = mentor.post(propose, {"title": "Fourth", "description": ""})
        assert fourth.status_code == 200 and "at most three topics" in fourth.content.decode()
        swapped = mentor.post(propose, {"title": "Fourth", "description": ""}, headers={"HX-Request": "true"})
        fragment = swapped.content.decode()
        assert fragment.lstrip().startswith('<form id="topic-form"') and "at most three topics" in fragment
        assert Topic.objects.count() == 3
        data_spaces, twins, _energy = Topic.objects.order_by("pk")

        def vote(client: Any, topic: Topic, replacing: Topic | None = None) -> Any:
            data = {"replacing": replacing.pk if replacing else ""}
            return post(client, url("topic_vote", pk=tag.pk, topic_pk=topic.pk), **data)

        vote(rep_a, twins)
        vote(rep_a, data_spaces, replacing=twins)  # a city's vote moves
        vote(rep_b, data_spaces)
        assert rep_a.post(choose).status_code == 403
        assert mentor.post(url("topic_vote", pk=tag.pk, topic_pk=twins.pk)).status_code == 403
        post(mentor, choose)
        assert Topic.objects.get(chosen=True) == data_spaces
        assert "already chosen" in vote(rep_b, twins, replacing=data_spaces).content.decode()

    def test_people_outside_the_tag_do_not_see_it(self, cast: Any, tag: Tag) -> None:
        other = CityFactory.create(programme=cast.programme, name="Elsewhere")
        person = PersonFactory.create()
        give_role(person, RoleKind.CITY_REP, cast.programme, city=other)
        from django.test import Client

        client = Client()
        client.force_login(person)
        assert client.get(tag.get_absolute_url()).status_code == 404
        assert cast.client_for("stakeholder").get(tag.get_absolute_url()).status_code == 404


class TestSecondMentor:
    def test_a_city_asks_a_second_mentor_for_a_secondary_theme(self, cast: Any, tag: Tag) -> None:
        themes = list(cast.programme.themes.all())
        cast.city_a.secondary_themes.add(themes[2])
        second = CityFactory.create(programme=cast.programme, name="Helpburg", type=CityType.EU_MENTOR, track=themes[2])
        ask = url("second_mentor_ask", pk=tag.pk)
        rep = cast.client_for("rep_a")
        wrong = post(rep, ask, theme=themes[3].pk, mentor=second.pk, message="Help")
        assert "Choose one of the city&#x27;s secondary themes" in wrong.content.decode()
        own = post(rep, ask, theme=themes[2].pk, mentor=cast.mentor_city.pk, message="Help")
        assert "does not mentor" in own.content.decode()
        assert not SecondMentorRequest.objects.exists()
        done = post(rep, ask, theme=themes[2].pk, mentor=second.pk, message="Help on skills")
        assert "Request sent" in done.content.decode()
        request = SecondMentorRequest.objects.get()
        assert request.mentor == second

    def test_the_mentor_of_the_tag_answers_the_requests_it_receives(self, cast: Any, tag: Tag) -> None:
        theme = cast.programme.themes.last()
        request = SecondMentorRequest.objects.create(
            city=cast.city_a, mentor=cast.mentor_city, theme=theme, message="Help on skills"
        )
        accept = url("second_mentor_accept", pk=tag.pk, request_pk=request.pk)
        assert cast.client_for("rep_a").post(accept).status_code == 403
        assert "Answer recorded" in post(cast.client_for("mentor"), accept).content.decode()
        request.refresh_from_db()
        assert request.status == "accepted"
        decline = url("second_mentor_decline", pk=tag.pk, request_pk=request.pk)
        assert "already been answered" in post(cast.client_for("mentor"), decline).content.decode()


class TestLabs:
    @pytest.fixture
    def lab(self, cast: Any) -> Lab:
        return Lab.objects.create(
            programme=cast.programme,
            title="Second cross-city lab",
            held_on=dt.date(2026, 12, 10),
            picks_close_on=dt.date(2026, 12, 1),
        )

    def test_cities_read_how_well_the_brain_dates_match_and_only_the_team_sees_the_figures(
        self, cast: Any, lab: Lab
    ) -> None:
        # As a run that stopped at its time limit keeps it (older runs also kept a worded summary).
        lab.matching = {
            "status": "feasible",
            "objective": 643,
            "gap": 0.4012,
            "summary": "feasible · mutual interest 643 · gap to the optimum 40.12 %",
        }
        lab.save(update_fields=["matching"])
        words = "These brain dates match the cities&#x27; picks well; a better match may exist"

        for persona in ("rep_a", "mayor_a", "mentor"):
            page = cast.client_for(persona).get(lab.get_absolute_url()).content.decode()
            assert words in page
            assert "gap to the optimum" not in page and "mutual interest 643" not in page
        team = cast.client_for("organiser").get(lab.get_absolute_url()).content.decode()
        assert "For the programme team: feasible · mutual interest 643 · gap to the optimum 40.12 %" in team

    @time_machine.travel(TODAY)
    def test_projects_picks_brain_dates_and_takeaways(self, cast: Any, lab: Lab) -> None:
        theme = cast.city_a.track
        rep_a, rep_b = cast.client_for("rep_a"), cast.client_for("rep_b")
        add_project, picks = url("project_add", pk=lab.pk), url("picks_save", pk=lab.pk)
        for client in (rep_a, rep_b):
            post(
                client,
                add_project,
                title="Smart parking",
                description="Sensors",
                theme=theme.pk,
                topic="mobility",
                barriers="",
                questions="",
            )
        assert Project.objects.count() == 2
        slowest = post(
            rep_a,
            add_project,
            title="Slow one",
            description="x",
            theme=theme.pk,
            topic="data",
            slowest="on",
            barriers="",
            questions="",
        )
        assert "Say what holds the slowest-moving project back" in slowest.content.decode()
        again = post(
            rep_a,
            add_project,
            title="Smart parking",
            description="x",
            theme=theme.pk,
            topic="m",
            barriers="",
            questions="",
        )
        assert "already brings a project with this title" in again.content.decode()
        assert post(cast.client_for("mentor"), add_project, title="Mentoring").status_code == 403
        b_project = Project.objects.get(city=cast.city_b)
        a_project = Project.objects.get(city=cast.city_a)
        own = post(rep_a, picks, pick_1=a_project.pk)
        assert "Choose a peer&#x27;s project of this lab" in own.content.decode()
        post(rep_a, picks, pick_1=b_project.pk)
        post(rep_b, picks, pick_1=a_project.pk)
        assert Pick.objects.count() == 2
        filtered = rep_a.get(lab.get_absolute_url(), {"topic": "mobility", "country": "DE"}).content.decode()
        assert "Betatown (DE)" in filtered and "Alphaville (PT)" not in filtered
        matched = post(cast.client_for("organiser"), url("brain_dates_form", pk=lab.pk))
        assert "1 brain dates formed" in matched.content.decode()
        brain_date = BrainDate.objects.get()
        assert set(brain_date.cities.all()) == {cast.city_a, cast.city_b}
        takeaways = {
            "version": brain_date.version,
            "takeaway_1": "Share sensor specs",
            "takeaway_2": "",
            "takeaway_3": "",
        }
        record = url("takeaways_save", pk=brain_date.pk)
        assert rep_a.post(record, takeaways).status_code == 403
        assert cast.client_for("lead_expert").post(record, takeaways).status_code == 302
        assert BrainDate.objects.get().takeaway_1 == "Share sensor specs"

    @time_machine.travel(TODAY)
    def test_a_city_brings_one_use_case_per_category(self, cast: Any, lab: Lab) -> None:
        add = url("use_case_add", pk=lab.pk)
        rep_a = cast.client_for("rep_a")
        assert "Use case added" in post(rep_a, add, category="Smart streetlights", description="x").content.decode()
        again = rep_a.post(add, {"category": "smart STREETLIGHTS", "description": "y"})
        assert again.status_code == 200 and "already brings a use case in this category" in again.content.decode()
        assert UseCase.objects.get().city == cast.city_a

    @time_machine.travel(TODAY)
    def test_joint_procurement_groups_by_use_case(self, cast: Any, lab: Lab) -> None:
        UseCase.objects.create(lab=lab, city=cast.city_a, category="Smart streetlights", description="x")
        UseCase.objects.create(lab=lab, city=cast.city_b, category="smart  STREETLIGHTS", description="y")
        UseCase.objects.create(lab=lab, city=cast.mentor_city, category="Drones", description="z")
        groups = actions.procurement_groups(lab)
        assert [(name.lower(), len(items)) for name, items in groups] == [("smart streetlights", 2), ("drones", 1)]

    def test_picks_close(self, cast: Any, lab: Lab) -> None:
        project = Project.objects.create(
            lab=lab, city=cast.city_b, title="P", description="d", theme=cast.city_b.track, topic="t"
        )
        with time_machine.travel(dt.datetime(2026, 12, 5, tzinfo=dt.UTC)):
            response = post(cast.client_for("rep_a"), url("picks_save", pk=lab.pk), pick_1=project.pk)
        assert "Picks closed" in response.content.decode()
        assert not Pick.objects.exists()


class TestAwards:
    def url(self, cast: Any) -> str:
        return reverse("tags:awards", kwargs={"slug": cast.programme.slug})

    def nominate(self, cast: Any) -> str:
        return url("nomination_add", slug=cast.programme.slug)

    def vote(self, cast: Any, nomination: Nomination) -> str:
        return url("nomination_vote", slug=cast.programme.slug, pk=nomination.pk)

    def reveal(self, cast: Any, award: str) -> str:
        return url("award_reveal", slug=cast.programme.slug, award=award)

    def test_nominate_vote_once_and_reveal(self, cast: Any) -> None:
        rep_b, lead = cast.client_for("rep_b"), cast.client_for("thematic_expert")
        post(rep_b, self.nominate(cast), award="strategy", city=cast.city_a.pk, reason="Bold")
        nomination = Nomination.objects.get()
        wrong = post(rep_b, self.nominate(cast), award="mentor", city=cast.city_b.pk, reason="?")
        assert "Nominate a mentor city" in wrong.content.decode()
        assert "own city" in post(cast.client_for("rep_a"), self.vote(cast, nomination)).content.decode()
        post(rep_b, self.vote(cast, nomination))
        post(rep_b, self.vote(cast, nomination))
        post(lead, self.vote(cast, nomination))
        assert cast.client_for("organiser").post(self.vote(cast, nomination)).status_code == 403  # the team counts
        assert Vote.objects.count() == 2  # one per person
        assert cast.client_for("stakeholder").get(self.url(cast)).status_code == 404  # the awards are secret to them
        page = rep_b.get(self.url(cast)).content.decode()
        assert "Winner" not in page and "2 votes" not in page  # counts stay hidden until revealed
        assert rep_b.post(self.reveal(cast, "strategy")).status_code == 403
        assert "no such award" in post(cast.client_for("organiser"), self.reveal(cast, "best-dancer")).content.decode()
        post(cast.client_for("organiser"), self.reveal(cast, "strategy"))
        assert Reveal.objects.filter(award="strategy").exists()
        page = rep_b.get(self.url(cast)).content.decode()
        assert "Winner: <strong>Alphaville</strong>" in page
        closed = post(lead, self.vote(cast, nomination))
        assert "voting is closed" in closed.content.decode()

    def test_nominees_are_not_ranked_by_votes_before_the_reveal(self, cast: Any) -> None:
        """The order of the list would be the ranking: it follows names until the reveal."""
        zeta = CityFactory.create(programme=cast.programme, name="Zeta City", country="FR")
        rep_b, organiser = cast.client_for("rep_b"), cast.client_for("organiser")
        post(rep_b, self.nominate(cast), award="strategy", city=cast.city_a.pk, reason="Bold")
        post(rep_b, self.nominate(cast), award="strategy", city=zeta.pk, reason="Brave")
        zeta_nomination = Nomination.objects.get(city=zeta)
        for persona in ("rep_b", "lead_expert", "thematic_expert"):
            post(cast.client_for(persona), self.vote(cast, zeta_nomination))
        assert Vote.objects.filter(nomination=zeta_nomination).count() >= 2
        for client in (rep_b, organiser):
            page = client.get(self.url(cast)).content.decode()
            section = page[page.index('id="award-strategy"') :]
            assert section.index("Alphaville") < section.index("Zeta City")
            assert "votes</span>" not in section.split("</section>")[0]
        assert "votes cast so far" in organiser.get(self.url(cast)).content.decode()
        post(organiser, self.reveal(cast, "strategy"))
        page = rep_b.get(self.url(cast)).content.decode()
        section = page[page.index('id="award-strategy"') :]
        assert section.index("Zeta City") < section.index("Alphaville")
