"""The marketplace's workflows past publication: a challenge becoming a joint-procurement
group or a market consultation, a completed roadmap action becoming a deployment, the
people a city invites to act for a provider, the editors, merging duplicates, and images
that pass the upload gate."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Cast, RoadmapCast
from icc.accounts.models import Person
from icc.core.models import AuditEntry, AuditKind
from icc.marketplace import actions
from icc.marketplace.models import (
    Challenge,
    CityProfile,
    Deployment,
    Editor,
    MarketConsultation,
    MarketResponse,
    ProcurementGroup,
    Provider,
    ProviderLogo,
    ProviderMember,
    Report,
    Review,
    Screenshot,
    Solution,
)
from icc.marketplace.tests.pictures import jpeg, png, upload
from icc.roadmaps.models import ActionStatus
from icc.tags.models import Lab
from tests.factories import CityFactory, make_programme

pytestmark = pytest.mark.django_db


def _provider(cast: Cast, name: str = "Lumen GmbH", **fields: Any) -> Provider:
    values = {"kind": "sme", "country": "DE", "review": Review.PUBLISHED, "created_by": cast.person("organiser")}
    return Provider.objects.create(programme=cast.programme, name=name, **{**values, **fields})


def _solution(cast: Cast, name: str = "Smart street lights", **fields: Any) -> Solution:
    values: dict[str, Any] = {
        "programme": cast.programme,
        "provider": fields.pop("provider", None) or _provider(cast),
        "summary": "Dims the lights when nobody is there.",
        "functions": ["lighting"],
        "cost_model": "subscription",
        "city": cast.city_a,
        "review": Review.PUBLISHED,
        "created_by": cast.person("rep_a"),
        **fields,
    }
    return Solution.objects.create(name=name, **values)


def _challenge(cast: Cast, *, shared: bool = True, review: str = Review.PUBLISHED) -> Challenge:
    track = cast.city_a.track
    assert track is not None
    challenge = Challenge.objects.create(
        city=cast.city_a,
        title="Our street lights burn all night",
        context="A fifth of the electricity bill.",
        theme=track,
        functions=["lighting"],
        review=review,
        created_by=cast.person("rep_a"),
    )
    if shared:
        challenge.shared_by.add(cast.city_b)
    return challenge


def _lab(cast: Cast, programme: Any = None) -> Lab:
    today = timezone.localdate()
    return Lab.objects.create(
        programme=programme or cast.programme,
        title="Second cross-city lab",
        held_on=today + dt.timedelta(days=40),
        picks_close_on=today + dt.timedelta(days=20),
    )


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _provider_person(cast: Cast, provider: Provider, email: str = "sales@lumen.example") -> tuple[Person, Client]:
    member = actions.invite_provider_person(
        provider=provider, email=email, full_name="Lena Lumen", city=cast.city_a, by=cast.person("rep_a")
    )
    member.person.set_password("a-long-test-password")
    member.person.save()
    client = Client()
    client.force_login(member.person)
    return member.person, client


# A joint-procurement group -------------------------------------------------------------------


def test_a_shared_challenge_becomes_a_joint_procurement_group_shown_on_the_challenge_and_the_lab(cast: Cast) -> None:
    challenge, lab = _challenge(cast), _lab(cast)
    url = reverse("marketplace:group_form", kwargs={"pk": challenge.pk})
    assert cast.client_for("rep_b").post(url, {"lab": lab.pk, "model": "lead-buyer"}).status_code == 403
    response = cast.client_for("rep_a").post(url, {"lab": lab.pk, "model": "lead-buyer"})
    assert response.status_code == 302
    group = ProcurementGroup.objects.get(challenge=challenge)
    assert set(group.members.all()) == {cast.city_a, cast.city_b} and group.lab == lab
    assert AuditEntry.objects.for_object(group).filter(action=AuditKind.CREATED).exists()
    page = cast.client_for("rep_b").get(challenge.get_absolute_url()).content.decode()
    assert "joint-procurement group" in page and "One city buys on behalf of the others" in page
    lab_page = cast.client_for("mayor_a").get(lab.get_absolute_url()).content.decode()
    assert challenge.title in lab_page and "led by Alphaville" in lab_page
    again = cast.client_for("rep_a").post(url, {"lab": lab.pk, "model": "central"})
    assert again.status_code == 400 and "already" in again.content.decode()


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("not_shared", "buying together takes at least two cities"),
        ("other_lab", "Select a valid choice"),
    ],
)
def test_a_group_is_refused_with_a_reason_and_nothing_is_stored(cast: Cast, setup: str, words: str) -> None:
    challenge = _challenge(cast, shared=setup != "not_shared")
    lab = _lab(cast, make_programme("other-edition")) if setup == "other_lab" else _lab(cast)
    _lab(cast)  # the programme has a lab of its own
    url = reverse("marketplace:group_form", kwargs={"pk": challenge.pk})
    response = cast.client_for("rep_a").post(url, {"lab": lab.pk, "model": "undecided"})
    assert response.status_code == 400 and words in response.content.decode()
    assert not ProcurementGroup.objects.exists()


def test_a_challenge_waiting_for_review_cannot_become_a_group(cast: Cast) -> None:
    challenge = _challenge(cast, review=Review.SUBMITTED)
    url = reverse("marketplace:group_form", kwargs={"pk": challenge.pk})
    response = cast.client_for("rep_a").post(url, {"lab": _lab(cast).pk, "model": "undecided"})
    assert response.status_code == 400 and "Only a published challenge" in response.content.decode()
    assert cast.client_for("rep_b").post(url, {"lab": 1, "model": "undecided"}).status_code == 404


def test_a_city_that_shares_later_joins_the_group_and_members_but_the_lead_may_leave(cast: Cast) -> None:
    challenge = _challenge(cast)
    group = actions.form_procurement_group(
        challenge=challenge, lab=_lab(cast), model="undecided", by=cast.person("rep_a")
    )
    mentor = cast.client_for("mentor")
    join = reverse("marketplace:group_join", kwargs={"pk": challenge.pk})
    refused = mentor.post(join, {"city": cast.mentor_city.pk}, follow=True)
    assert "has this need too before joining" in _messages(refused)
    actions.share_challenge(challenge=challenge, city=cast.mentor_city, by=cast.person("mentor"))
    mentor.post(join, {"city": cast.mentor_city.pk})
    assert group.members.filter(pk=cast.mentor_city.pk).exists()
    assert mentor.post(join, {"city": cast.city_a.pk}).status_code == 403  # not a city the mentor writes for
    leave = reverse("marketplace:group_leave", kwargs={"pk": challenge.pk})
    lead = cast.client_for("rep_a").post(leave, {"city": cast.city_a.pk}, follow=True)
    assert "leads the group" in _messages(lead)
    cast.client_for("rep_b").post(leave, {"city": cast.city_b.pk})
    assert set(group.members.values_list("name", flat=True)) == {"Alphaville", "Mentorburg"}


# A market consultation -----------------------------------------------------------------------


def _open(cast: Cast, challenge: Challenge, days: int = 14) -> MarketConsultation:
    return actions.open_consultation(
        challenge=challenge,
        question="How would you dim our lights?",
        closes_on=timezone.localdate() + dt.timedelta(days=days),
        by=cast.person("rep_a"),
    )


@pytest.mark.parametrize(("days", "words"), [(0, "Choose a closing date from"), (400, "Choose a closing date from")])
def test_a_consultation_closing_today_or_after_a_year_is_refused(cast: Cast, days: int, words: str) -> None:
    challenge = _challenge(cast)
    url = reverse("marketplace:consultation_open", kwargs={"pk": challenge.pk})
    closes = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    response = cast.client_for("rep_a").post(url, {"question": "Who can dim lights?", "closes_on": closes})
    assert response.status_code == 400 and words in response.content.decode()
    assert not MarketConsultation.objects.exists()


def test_providers_answer_a_consultation_and_only_the_buyers_read_every_response(cast: Cast) -> None:
    challenge = _challenge(cast)
    url = reverse("marketplace:consultation_open", kwargs={"pk": challenge.pk})
    closes = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    assert cast.client_for("rep_b").post(url, {"question": "x", "closes_on": closes}).status_code == 403
    cast.client_for("rep_a").post(url, {"question": "How would you dim our lights?", "closes_on": closes})
    consultation = MarketConsultation.objects.get(challenge=challenge)
    lumen, parko = _provider(cast), _provider(cast, "Parko")
    lights = _solution(cast, provider=lumen, city=None)
    sensors = _solution(cast, "Parking sensors", provider=parko, city=None)
    _, lena = _provider_person(cast, lumen)
    _, paolo = _provider_person(cast, parko, "paolo@parko.example")
    respond = reverse("marketplace:consultation_respond", kwargs={"pk": challenge.pk})
    # A provider answers with its own solutions only.
    assert lena.post(respond, {"solution": sensors.pk, "note": "Ours too"}).status_code == 400
    assert lena.post(respond, {"solution": lights.pk, "note": "We dim by presence."}).status_code == 302
    assert paolo.post(respond, {"solution": sensors.pk, "note": "Sensors tell the lights."}).status_code == 302
    again = lena.post(respond, {"solution": lights.pk, "note": "Again"})
    assert again.status_code == 400 and MarketResponse.objects.filter(consultation=consultation).count() == 2
    for buyer in ("rep_a", "rep_b", "organiser"):
        page = cast.client_for(buyer).get(challenge.get_absolute_url()).content.decode()
        assert "We dim by presence." in page and "Sensors tell the lights." in page, buyer
    page = paolo.get(challenge.get_absolute_url()).content.decode()
    assert "You answered with Parking sensors" in page and "We dim by presence." not in page
    assert "We dim by presence." not in cast.client_for("mentor").get(challenge.get_absolute_url()).content.decode()


def test_a_closed_consultation_takes_no_more_responses(cast: Cast) -> None:
    challenge = _challenge(cast)
    consultation = _open(cast, challenge)
    lumen = _provider(cast)
    lights = _solution(cast, provider=lumen, city=None)
    _, lena = _provider_person(cast, lumen)
    respond = reverse("marketplace:consultation_respond", kwargs={"pk": challenge.pk})
    MarketConsultation.objects.filter(pk=consultation.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    response = lena.post(respond, {"solution": lights.pk, "note": "Late"})
    assert response.status_code == 400 and "it takes no more responses" in response.content.decode()
    MarketConsultation.objects.filter(pk=consultation.pk).update(closes_on=timezone.localdate() + dt.timedelta(days=3))
    close = reverse("marketplace:consultation_close", kwargs={"pk": challenge.pk})
    assert lena.post(close).status_code == 403
    cast.client_for("rep_a").post(close)
    consultation.refresh_from_db()
    assert not consultation.is_open
    assert lena.post(respond, {"solution": lights.pk, "note": "Late"}).status_code == 400
    assert not MarketResponse.objects.exists()


# A completed roadmap action becomes a deployment ---------------------------------------------


def test_a_completed_action_offers_a_prefilled_deployment_that_the_city_confirms(roadmap: RoadmapCast) -> None:
    cast, action = roadmap.cast, roadmap.owned
    published = _solution(cast, "Smart meters", city=None)
    url = reverse("marketplace:action_deployment", kwargs={"pk": action.pk})
    assert "Record this as a deployment" not in cast.client_for("rep_a").get(action.get_absolute_url()).content.decode()
    early = cast.client_for("lead_expert").post(
        url, {"solution": published.pk, "started_on": "2025-10-01", "scale": "x"}
    )
    assert early.status_code == 400 and "once it is done" in early.content.decode()
    action.status = ActionStatus.DONE
    action.save()
    page = cast.client_for("rep_a").get(action.get_absolute_url()).content.decode()
    assert "Record this as a deployment in the marketplace" in page
    form = cast.client_for("lead_expert").get(url).context["form"]
    assert form.initial["solution"] == published.pk and form.initial["kpi"] == roadmap.kpi.pk
    assert form.initial["started_on"] == min(action.ends_on, timezone.localdate())
    data = {"solution": published.pk, "started_on": "2025-10-20", "scale": "1,200 homes", "kpi": roadmap.kpi.pk}
    assert cast.client_for("lead_expert").post(url, data).status_code == 302
    deployment = Deployment.objects.get(solution=published, city=cast.city_a)
    assert deployment.action == action and deployment.kpi == roadmap.kpi and not deployment.is_confirmed
    assert cast.client_for("thematic_expert").get(url).status_code == 403
    assert cast.client_for("rep_b").get(url).status_code == 404
    confirm = reverse("marketplace:deployment_confirm", kwargs={"pk": deployment.pk})
    assert cast.client_for("mayor_a").post(confirm).status_code == 302
    deployment.refresh_from_db()
    assert deployment.is_confirmed
    assert "waiting for the city" not in cast.client_for("rep_a").get(action.get_absolute_url()).content.decode()


def test_a_deployment_from_an_action_takes_only_the_actions_own_kpis(roadmap: RoadmapCast) -> None:
    from icc.roadmaps.models import KPI

    cast, action = roadmap.cast, roadmap.owned
    action.status = ActionStatus.DONE
    action.save()
    other = KPI.objects.create(
        city=cast.city_a,
        name="Other",
        unit="t",
        direction="down",
        baseline_value=10,
        baseline_date=dt.date(2025, 1, 1),
        target_value=5,
        target_date=dt.date(2027, 1, 1),
        frequency="yearly",
    )
    solution = _solution(cast, "Smart meters")
    url = reverse("marketplace:action_deployment", kwargs={"pk": action.pk})
    data = {"solution": solution.pk, "started_on": "2025-10-20", "scale": "x", "kpi": other.pk}
    assert cast.client_for("rep_a").post(url, data).status_code == 400
    assert not Deployment.objects.exists()


# The people of a provider --------------------------------------------------------------------


def test_a_city_invites_someone_to_act_for_a_provider_through_a_link_that_works_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    provider = _provider(cast)
    url = reverse("marketplace:provider_invite", kwargs={"pk": provider.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.client_for("rep_a").post(
            url, {"email": "Lena@Lumen.example", "full_name": "Lena Lumen", "city": cast.city_a.pk}
        )
    assert response.status_code == 302
    member = ProviderMember.objects.get(provider=provider)
    assert member.person.email == "lena@lumen.example" and member.city == cast.city_a
    assert not member.person.has_usable_password() and not member.person.roles.exists()
    assert len(mail.outbox) == 1 and "Lumen GmbH" in mail.outbox[0].subject
    link = re.search(r"http\S+/marketplace/invitation/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = link[0].split("//", 1)[1].split("/", 1)[1]
    visitor = Client()
    assert visitor.get(f"/{path}").status_code == 200
    password = {"new_password1": "a-very-long-passphrase-2026", "new_password2": "a-very-long-passphrase-2026"}
    accepted = visitor.post(f"/{path}", password)
    assert accepted.status_code == 302 and accepted["Location"] == provider.get_absolute_url()
    assert visitor.get(provider.get_absolute_url()).status_code == 200
    assert Client().get(f"/{path}").status_code == 404  # used
    twice = cast.client_for("rep_b").post(url, {"email": "lena@lumen.example", "city": cast.city_b.pk})
    assert twice.status_code == 400 and "acts for Lumen GmbH already" in twice.content.decode()


def test_an_invitation_stops_working_once_the_membership_is_withdrawn(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    provider = _provider(cast)
    with django_capture_on_commit_callbacks(execute=True):
        member = actions.invite_provider_person(
            provider=provider, email="x@lumen.example", full_name="X", city=cast.city_a, by=cast.person("rep_a")
        )
    link = re.search(r"/marketplace/invitation/\S+/", str(mail.outbox[0].body))
    assert link is not None
    remove = reverse("marketplace:provider_person_remove", kwargs={"pk": member.pk})
    assert cast.client_for("rep_b").post(remove).status_code == 403  # city B did not invite them
    assert cast.client_for("rep_a").post(remove).status_code == 302
    assert Client().get(link[0]).status_code == 404


def test_someone_with_an_account_is_told_by_mail_and_needs_no_password_link(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    provider = _provider(cast)
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_provider_person(
            provider=provider, email="Rep_B@example.org", full_name="", city=cast.city_a, by=cast.person("rep_a")
        )
    body = str(mail.outbox[0].body)
    assert provider.get_absolute_url() in body and "/marketplace/invitation/" not in body
    assert ProviderMember.objects.get(provider=provider).person == cast.person("rep_b")


def test_a_providers_person_keeps_its_record_and_submits_solutions_for_review(cast: Cast) -> None:
    provider = _provider(cast)
    person, lena = _provider_person(cast, provider)
    edit = reverse("marketplace:provider_edit", kwargs={"pk": provider.pk})
    data = {"name": "Lumen Lighting GmbH", "kind": "sme", "country": "de", "website": "lumen.example"}
    assert lena.post(edit, data).status_code == 302
    provider.refresh_from_db()
    assert provider.name == "Lumen Lighting GmbH" and provider.country == "DE"
    other = _provider(cast, "Parko")
    add = reverse("marketplace:provider_solution_add", kwargs={"pk": provider.pk})
    form = {
        "name": "Presence dimming",
        "provider": other.pk,  # not theirs: refused
        "summary": "Dims by presence.",
        "functions": ["lighting"],
        "cost_model": "subscription",
        "development": "stable",
    }
    assert lena.post(add, form).status_code == 400
    assert lena.post(add, {**form, "provider": provider.pk}).status_code == 302
    solution = Solution.objects.get(name="Presence dimming")
    assert solution.provider == provider and solution.city is None and solution.review == Review.DRAFT
    assert lena.get(solution.get_absolute_url()).status_code == 200
    assert cast.client_for("rep_b").get(solution.get_absolute_url()).status_code == 404
    lena.post(reverse("marketplace:provider_solution_submit", kwargs={"pk": solution.pk}))
    solution.refresh_from_db()
    assert solution.review == Review.SUBMITTED
    queue = cast.client_for("organiser").get(reverse("marketplace:review", kwargs={"slug": cast.programme.slug}))
    assert "Presence dimming" in queue.content.decode()
    cast.client_for("organiser").post(
        reverse("marketplace:solution_decide", kwargs={"pk": solution.pk}), {"decision": "publish"}
    )
    assert cast.client_for("rep_b").get(solution.get_absolute_url()).status_code == 200
    # A change to the published solution goes back to review.
    change = reverse("marketplace:provider_solution_edit", kwargs={"pk": solution.pk})
    lena.post(change, {**form, "provider": provider.pk, "summary": "Dims by presence, and counts."})
    solution.refresh_from_db()
    assert solution.review == Review.SUBMITTED
    assert not person.roles.exists()


def test_a_providers_person_never_writes_for_a_city_nor_confirms_a_deployment(cast: Cast) -> None:
    provider = _provider(cast)
    _, lena = _provider_person(cast, provider)
    city_solution = _solution(cast, provider=provider)  # written by city A's team
    deployment = Deployment.objects.create(
        solution=city_solution,
        city=cast.city_a,
        started_on=dt.date(2025, 1, 1),
        scale="x",
        claimed_by=cast.person("organiser"),
    )
    CityProfile.objects.create(city=cast.city_a, summary="Hi", review=Review.PUBLISHED, created_by=cast.person("rep_a"))
    assert lena.get(reverse("marketplace:profile_edit", kwargs={"pk": cast.city_a.pk})).status_code == 403
    assert lena.post(reverse("marketplace:deployment_confirm", kwargs={"pk": deployment.pk})).status_code == 403
    assert lena.post(reverse("marketplace:deployment_add", kwargs={"pk": city_solution.pk})).status_code == 403
    assert lena.get(reverse("marketplace:solution_edit", kwargs={"pk": city_solution.pk})).status_code == 403
    assert lena.get(reverse("marketplace:provider_solution_edit", kwargs={"pk": city_solution.pk})).status_code == 403
    assert lena.get(reverse("marketplace:screenshots", kwargs={"pk": city_solution.pk})).status_code == 403
    challenge = _challenge(cast)
    assert (
        lena.post(
            reverse("marketplace:challenge_share", kwargs={"pk": challenge.pk}), {"city": cast.city_a.pk}
        ).status_code
        == 403
    )
    assert lena.post(reverse("marketplace:group_form", kwargs={"pk": challenge.pk})).status_code == 403
    # The programme's own pages stay closed: they hold no role in it.
    assert lena.get(reverse("marketplace:browse", kwargs={"slug": cast.programme.slug})).status_code == 404
    assert lena.get(reverse("cities:detail", kwargs={"pk": cast.city_a.pk})).status_code == 404
    deployment.refresh_from_db()
    assert not deployment.is_confirmed


def test_stakeholders_and_outsiders_cannot_reach_a_providers_pages(cast: Cast) -> None:
    provider = _provider(cast)
    for persona in ("stakeholder", "outsider"):
        client = cast.client_for(persona)
        assert client.get(provider.get_absolute_url()).status_code == 404
        assert client.get(reverse("marketplace:provider_people", kwargs={"pk": provider.pk})).status_code == 404


def test_a_city_provider_takes_no_invited_people(cast: Cast) -> None:
    provider = _provider(cast, "Mentorburg", kind="city", city=cast.mentor_city)
    url = reverse("marketplace:provider_invite", kwargs={"pk": provider.pk})
    assert cast.client_for("mentor").post(url, {"email": "a@b.example", "full_name": "A"}).status_code == 403
    with pytest.raises(Exception, match="acts for itself"):
        actions.invite_provider_person(
            provider=provider, email="a@b.example", full_name="A", city=None, by=cast.person("organiser")
        )
    assert not ProviderMember.objects.exists() and not Person.objects.filter(email="a@b.example").exists()


# Editors -------------------------------------------------------------------------------------


def test_the_programme_team_appoints_and_removes_editors_among_the_people_of_the_cities(cast: Cast) -> None:
    page = reverse("marketplace:editors", kwargs={"slug": cast.programme.slug})
    appoint = reverse("marketplace:editor_appoint", kwargs={"slug": cast.programme.slug})
    queue = reverse("marketplace:review", kwargs={"slug": cast.programme.slug})
    assert cast.client_for("rep_a").get(page).status_code == 403
    for outside in ("stakeholder", "thematic_expert", "outsider"):
        refused = cast.client_for("organiser").post(appoint, {"person": cast.person(outside).pk})
        assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    assert cast.client_for("mentor").get(queue).status_code == 403
    assert cast.client_for("organiser").post(appoint, {"person": cast.person("mentor").pk}).status_code == 302
    editor = Editor.objects.get(programme=cast.programme)
    assert editor.person == cast.person("mentor")
    assert cast.client_for("mentor").get(queue).status_code == 200
    listing = cast.client_for("organiser").get(queue).content.decode()
    assert cast.person("mentor").full_name in listing
    assert (
        cast.client_for("mentor").post(reverse("marketplace:editor_remove", kwargs={"pk": editor.pk})).status_code
        == 403
    )
    cast.client_for("organiser").post(reverse("marketplace:editor_remove", kwargs={"pk": editor.pk}))
    assert not Editor.objects.exists()
    assert cast.client_for("mentor").get(queue).status_code == 403
    assert AuditEntry.objects.filter(action=AuditKind.ROLE_REMOVED, changes__marketplace_editor__isnull=False).exists()


# Merging duplicates --------------------------------------------------------------------------


def test_a_reviewer_merges_a_duplicate_keeping_one_deployment_per_city_and_moving_its_reports(cast: Cast) -> None:
    provider = _provider(cast)
    keep = _solution(cast, provider=provider)
    twin = _solution(cast, "SMART street lights ", provider=provider, city=cast.city_b)
    city_c = CityFactory.create(programme=cast.programme, name="Gammaburg")
    rep = cast.person("organiser")
    waiting = Deployment.objects.create(
        solution=keep, city=cast.city_a, started_on=dt.date(2024, 1, 1), scale="old", claimed_by=rep
    )
    now = timezone.now()
    for city, scale in ((cast.city_a, "confirmed"), (city_c, "moves")):
        Deployment.objects.create(
            solution=twin, city=city, started_on=dt.date(2024, 2, 1), scale=scale, claimed_by=rep, confirmed_at=now
        )
    Deployment.objects.create(
        solution=keep, city=cast.city_b, started_on=dt.date(2024, 1, 1), scale="kept", claimed_by=rep, confirmed_at=now
    )
    Deployment.objects.create(
        solution=twin,
        city=cast.city_b,
        started_on=dt.date(2024, 3, 1),
        scale="dropped",
        claimed_by=rep,
        confirmed_at=now,
    )
    Report.objects.create(solution=twin, reason="Wrong price", reported_by=cast.person("rep_b"))
    consultation = _open(cast, _challenge(cast))
    MarketResponse.objects.create(consultation=consultation, solution=twin, note="Ours", responded_by=rep)
    url = reverse("marketplace:merge", kwargs={"pk": keep.pk})
    queue = cast.client_for("organiser").get(reverse("marketplace:review", kwargs={"slug": cast.programme.slug}))
    assert url in queue.content.decode()
    page = cast.client_for("organiser").get(url)
    assert page.status_code == 200 and "Gammaburg" in page.content.decode()
    assert cast.client_for("rep_a").get(url).status_code == 403
    assert cast.client_for("organiser").post(url, {"duplicate": keep.pk}).status_code == 400
    assert cast.client_for("organiser").post(url, {"duplicate": twin.pk}).status_code == 302
    assert not Solution.objects.filter(pk=twin.pk).exists()
    scales = dict(keep.deployments.values_list("city__name", "scale"))
    assert scales == {"Alphaville": "confirmed", "Betatown": "kept", "Gammaburg": "moves"}
    assert not Deployment.objects.filter(pk=waiting.pk).exists()
    assert keep.reports.get().reason == "Wrong price"
    assert keep.market_responses.get().note == "Ours"
    entry = AuditEntry.objects.for_object(keep).get(action=AuditKind.MARKET_MERGED)
    assert entry.changes["deployments"] == 2 and entry.changes["reports"] == 1 and entry.actor == rep


def test_an_editor_does_not_merge_their_own_citys_solutions(cast: Cast) -> None:
    actions.appoint_editor(programme=cast.programme, person=cast.person("rep_b"), by=cast.person("organiser"))
    provider = _provider(cast)
    keep = _solution(cast, provider=provider)
    own = _solution(cast, "Smart Street Lights", provider=provider, city=cast.city_b)
    page = cast.client_for("rep_b").get(reverse("marketplace:merge", kwargs={"pk": keep.pk}))
    assert page.status_code == 200 and own.get_absolute_url() not in page.content.decode()
    assert cast.client_for("rep_b").get(reverse("marketplace:merge", kwargs={"pk": own.pk})).status_code == 403
    refused = cast.client_for("rep_b").post(reverse("marketplace:merge", kwargs={"pk": keep.pk}), {"duplicate": own.pk})
    assert refused.status_code == 400 and Solution.objects.filter(pk=own.pk).exists()


# Images --------------------------------------------------------------------------------------


def _stored(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_a_logo_is_stored_once_checked_and_served_only_to_who_sees_the_provider(
    cast: Cast, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    provider = _provider(cast, created_by=cast.person("rep_a"))
    url = reverse("marketplace:logo_upload", kwargs={"pk": provider.pk})
    assert cast.client_for("rep_a").post(url, {"image": upload(png(120, 60), "logo.png")}).status_code == 302
    logo = ProviderLogo.objects.get(provider=provider)
    assert (logo.width, logo.height, logo.content_type) == (120, 60, "image/png")
    assert logo.file.name.startswith("marketplace/logos/") and "logo" not in logo.file.name.rsplit("/", 1)[1]
    served = cast.client_for("rep_b").get(reverse("marketplace:logo", kwargs={"pk": provider.pk}))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert "sandbox" in served["Content-Security-Policy"] and served.getvalue() == png(120, 60)
    assert cast.client_for("outsider").get(reverse("marketplace:logo", kwargs={"pk": provider.pk})).status_code == 404
    assert cast.client_for("rep_b").post(url, {"image": upload(png(), "logo.png")}).status_code == 403
    # A new logo replaces the old one, file and all.
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for("rep_a").post(url, {"image": upload(jpeg(90, 90), "logo.jpg", "image/jpeg")})
    assert ProviderLogo.objects.get(provider=provider).content_type == "image/jpeg"
    assert len(_stored(media_root)) == 1


@pytest.mark.parametrize(
    ("picture", "words"),
    [
        (upload(b"<!doctype html><html><script>alert(1)</script></html>", "logo.png"), "its content is not an image"),
        (upload(jpeg(), "logo.png"), "holds a JPEG image"),
        (upload(png(extra=b"<script>alert(1)</script>"), "logo.png"), "a web page or a script"),
        (upload(png(5_000, 5_000), "logo.png"), "at most 2000 pixels a side"),
        (upload(png(8, 8), "logo.png"), "at least 16 pixels"),
        (upload(png() + b"\0" * (1024 * 1024), "logo.png"), "the limit is 1 MB"),
        (upload(b"<svg onload=alert(1)></svg>", "logo.svg", "image/svg+xml"), "PNG, JPEG, WebP"),
        (upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "logo.png"), "header is damaged"),
    ],
)
def test_a_disguised_or_oversized_logo_is_refused_with_its_reason_and_nothing_is_stored(
    cast: Cast, media_root: Path, picture: Any, words: str
) -> None:
    provider = _provider(cast)
    response = cast.client_for("organiser").post(
        reverse("marketplace:logo_upload", kwargs={"pk": provider.pk}), {"image": picture}
    )
    assert response.status_code == 400 and words in response.content.decode()
    assert not ProviderLogo.objects.exists() and _stored(media_root) == []


def test_screenshots_follow_their_solution_and_send_a_published_one_back_to_review(
    cast: Cast, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    solution = _solution(cast)
    url = reverse("marketplace:screenshots", kwargs={"pk": solution.pk})
    rep_a = cast.client_for("rep_a")
    assert rep_a.post(url, {"image": upload(png(800, 500)), "caption": ""}).status_code == 400
    assert rep_a.post(url, {"image": upload(png(800, 500)), "caption": "The dashboard"}).status_code == 302
    shot = Screenshot.objects.get(solution=solution)
    solution.refresh_from_db()
    assert solution.review == Review.SUBMITTED  # a published solution goes back to review
    image = reverse("marketplace:screenshot", kwargs={"pk": shot.pk})
    assert cast.client_for("rep_b").get(image).status_code == 404  # not published now
    assert rep_a.get(image).status_code == 200 and cast.client_for("organiser").get(image).status_code == 200
    page = rep_a.get(solution.get_absolute_url()).content.decode()
    assert 'alt="The dashboard"' in page and 'width="224" height="140"' in page
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    assert cast.client_for("rep_b").get(image).status_code == 200
    for n in range(4):
        rep_a.post(url, {"image": upload(png(100 + n, 100)), "caption": f"Screen {n}"})
    too_many = rep_a.post(url, {"image": upload(png()), "caption": "Sixth"})
    assert Screenshot.objects.filter(solution=solution).count() == 5
    assert too_many.status_code == 400 and "at most 5 screenshots" in too_many.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rep_a.post(reverse("marketplace:screenshot_remove", kwargs={"pk": shot.pk}))
    assert Screenshot.objects.filter(solution=solution).count() == 4 and len(_stored(media_root)) == 4
