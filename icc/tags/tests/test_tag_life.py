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
        response = post(rep, first.get_absolute_url(), step="commit", text="Map the data owners")
        assert "Commitment recorded" in response.content.decode()
        commitment = Commitment.objects.get()
        assert commitment.city == cast.city_a
        # Another city's representative cannot follow up city A's commitment...
        other = post(
            cast.client_for("rep_b"),
            second.get_absolute_url(),
            step="follow",
            commitment=commitment.pk,
            status="done",
            note="",
        )
        assert other.status_code == 403
        # ...city A's can, at the next session.
        page = post(
            rep,
            second.get_absolute_url(),
            step="follow",
            commitment=commitment.pk,
            status="partly",
            note="Half the departments",
        )
        assert "Follow-up recorded" in page.content.decode()
        commitment.refresh_from_db()
        assert (commitment.status, commitment.followed_up_in) == ("partly", second)
        assert "Map the data owners" in page.content.decode()

    def test_only_the_mentor_prepares_working_sessions_and_not_trackers(self, cast: Any, tag: Tag) -> None:
        working = tag.sessions.filter(kind=SessionKind.WORKING).first()
        tracker = tag.sessions.filter(kind=SessionKind.TRACKER).first()
        assert working is not None and tracker is not None
        data = {
            "step": "prepare",
            "agenda": "1. Recap",
            "pre_reads": "https://example.org/read",
            "questions": "Q",
            "notes": "",
        }
        assert cast.client_for("mentor").post(working.get_absolute_url(), data).status_code == 302
        assert Session.objects.get(pk=working.pk).pre_reads == "https://example.org/read"
        assert cast.client_for("mentor").post(tracker.get_absolute_url(), data).status_code == 403
        assert cast.client_for("lead_expert").post(tracker.get_absolute_url(), data).status_code == 302
        assert cast.client_for("rep_a").post(working.get_absolute_url(), data).status_code == 403


class TestTopics:
    def test_the_mentor_proposes_the_cities_vote_and_the_most_voted_is_chosen(self, cast: Any, tag: Tag) -> None:
        mentor, rep_a, rep_b = (cast.client_for(p) for p in ("mentor", "rep_a", "rep_b"))
        url = tag.get_absolute_url()
        post(mentor, url, step="propose", title="Data spaces", description="")
        response = post(mentor, url, step="choose")
        assert "at least two topics" in response.content.decode()
        post(mentor, url, step="propose", title="Digital twins", description="")
        post(mentor, url, step="propose", title="Energy communities", description="")
        assert (
            "at most three topics" in post(mentor, url, step="propose", title="Fourth", description="").content.decode()
        )
        assert Topic.objects.count() == 3
        data_spaces, twins, _energy = Topic.objects.order_by("pk")
        post(rep_a, url, step="vote", topic=twins.pk)
        post(rep_a, url, step="vote", topic=data_spaces.pk)  # a city's vote moves
        post(rep_b, url, step="vote", topic=data_spaces.pk)
        assert rep_a.post(url, {"step": "choose"}).status_code == 403
        post(mentor, url, step="choose")
        assert Topic.objects.get(chosen=True) == data_spaces
        assert "already chosen" in post(rep_b, url, step="vote", topic=twins.pk).content.decode()

    def test_people_outside_the_tag_do_not_see_it(self, cast: Any, tag: Tag) -> None:
        other = CityFactory(programme=cast.programme, name="Elsewhere")
        person = PersonFactory()
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
        second = CityFactory(programme=cast.programme, name="Helpburg", type=CityType.EU_MENTOR, track=themes[2])
        url = tag.get_absolute_url()
        rep = cast.client_for("rep_a")
        wrong = post(rep, url, step="second", theme=themes[3].pk, mentor=second.pk, message="Help")
        assert "Choose one of the city&#x27;s secondary themes" in wrong.content.decode()
        own = post(rep, url, step="second", theme=themes[2].pk, mentor=cast.mentor_city.pk, message="Help")
        assert "does not mentor" in own.content.decode()
        assert not SecondMentorRequest.objects.exists()
        done = post(rep, url, step="second", theme=themes[2].pk, mentor=second.pk, message="Help on skills")
        assert "Request sent" in done.content.decode()
        assert SecondMentorRequest.objects.get().mentor == second


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
        url = lab.get_absolute_url()
        for client in (rep_a, rep_b):
            post(
                client,
                url,
                step="project",
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
            url,
            step="project",
            title="Slow one",
            description="x",
            theme=theme.pk,
            topic="data",
            slowest="on",
            barriers="",
            questions="",
        )
        assert "Say what holds the slowest-moving project back" in slowest.content.decode()
        b_project = Project.objects.get(city=cast.city_b)
        a_project = Project.objects.get(city=cast.city_a)
        own = post(rep_a, url, step="picks", pick_1=a_project.pk)
        assert "Choose a peer&#x27;s project of this lab" in own.content.decode()
        post(rep_a, url, step="picks", pick_1=b_project.pk)
        post(rep_b, url, step="picks", pick_1=a_project.pk)
        assert Pick.objects.count() == 2
        filtered = rep_a.get(url, {"topic": "mobility", "country": "DE"}).content.decode()
        assert "Betatown (DE)" in filtered and "Alphaville (PT)" not in filtered
        matched = post(cast.client_for("organiser"), url, step="match")
        assert "1 brain dates formed" in matched.content.decode()
        brain_date = BrainDate.objects.get()
        assert set(brain_date.cities.all()) == {cast.city_a, cast.city_b}
        takeaways = {"takeaway_1": "Share sensor specs", "takeaway_2": "", "takeaway_3": ""}
        assert rep_a.post(brain_date.get_absolute_url(), takeaways).status_code == 403
        assert cast.client_for("lead_expert").post(brain_date.get_absolute_url(), takeaways).status_code == 302
        assert BrainDate.objects.get().takeaway_1 == "Share sensor specs"

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
            response = post(cast.client_for("rep_a"), lab.get_absolute_url(), step="picks", pick_1=project.pk)
        assert "Picks closed" in response.content.decode()
        assert not Pick.objects.exists()


class TestAwards:
    def url(self, cast: Any) -> str:
        return reverse("tags:awards", kwargs={"slug": cast.programme.slug})

    def test_nominate_vote_once_and_reveal(self, cast: Any) -> None:
        rep_b, lead = cast.client_for("rep_b"), cast.client_for("thematic_expert")
        post(rep_b, self.url(cast), step="nominate", award="strategy", city=cast.city_a.pk, reason="Bold")
        nomination = Nomination.objects.get()
        wrong = post(rep_b, self.url(cast), step="nominate", award="mentor", city=cast.city_b.pk, reason="?")
        assert "Nominate a mentor city" in wrong.content.decode()
        assert (
            "own city"
            in post(cast.client_for("rep_a"), self.url(cast), step="vote", nomination=nomination.pk).content.decode()
        )
        post(rep_b, self.url(cast), step="vote", nomination=nomination.pk)
        post(rep_b, self.url(cast), step="vote", nomination=nomination.pk)
        post(lead, self.url(cast), step="vote", nomination=nomination.pk)
        assert Vote.objects.count() == 2  # one per person
        assert cast.client_for("stakeholder").get(self.url(cast)).status_code == 404  # the awards are secret to them
        page = rep_b.get(self.url(cast)).content.decode()
        assert "Winner" not in page and "2 votes" not in page  # counts stay hidden until revealed
        assert rep_b.post(self.url(cast), {"step": "reveal", "award": "strategy"}).status_code == 403
        post(cast.client_for("organiser"), self.url(cast), step="reveal", award="strategy")
        assert Reveal.objects.filter(award="strategy").exists()
        page = rep_b.get(self.url(cast)).content.decode()
        assert "Winner: <strong>Alphaville</strong>" in page
        closed = post(lead, self.url(cast), step="vote", nomination=nomination.pk)
        assert "voting is closed" in closed.content.decode()

    def test_nominees_are_not_ranked_by_votes_before_the_reveal(self, cast: Any) -> None:
        """The order of the list would be the ranking: it follows names until the reveal."""
        zeta = CityFactory(programme=cast.programme, name="Zeta City", country="FR")
        rep_b, organiser = cast.client_for("rep_b"), cast.client_for("organiser")
        post(rep_b, self.url(cast), step="nominate", award="strategy", city=cast.city_a.pk, reason="Bold")
        post(rep_b, self.url(cast), step="nominate", award="strategy", city=zeta.pk, reason="Brave")
        zeta_nomination = Nomination.objects.get(city=zeta)
        for persona in ("rep_b", "lead_expert", "thematic_expert"):
            post(cast.client_for(persona), self.url(cast), step="vote", nomination=zeta_nomination.pk)
        assert Vote.objects.filter(nomination=zeta_nomination).count() >= 2
        for client in (rep_b, organiser):
            page = client.get(self.url(cast)).content.decode()
            section = page[page.index('id="award-strategy"') :]
            assert section.index("Alphaville") < section.index("Zeta City")
            assert "votes</span>" not in section.split("</section>")[0]
        assert "votes cast so far" in organiser.get(self.url(cast)).content.decode()
        post(organiser, self.url(cast), step="reveal", award="strategy")
        page = rep_b.get(self.url(cast)).content.decode()
        section = page[page.index('id="award-strategy"') :]
        assert section.index("Zeta City") < section.index("Alphaville")
