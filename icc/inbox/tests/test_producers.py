"""What puts a notice in someone's inbox as it happens: a deliverable reviewed, a budget to
sign off, a new toolbox item for their theme, and (with the channels) mentions and replies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PERSONAS, Cast
from icc.inbox.models import Kind, Notification
from icc.inbox.tests.conftest import World
from icc.library import actions as library
from icc.library.access import my_themes, visible_items
from icc.library.models import Audience, Form, Item
from icc.library.models import Kind as ItemKind
from icc.roadmaps import actions as roadmaps
from icc.roadmaps.models import Action, BudgetSignOff

pytestmark = pytest.mark.django_db


def _told(cast: Cast, kind: str) -> set[str]:
    ids = set(Notification.objects.filter(kind=kind).values_list("person_id", flat=True))
    return {p for p in PERSONAS if cast.people[p] is not None and cast.person(p).pk in ids}


def test_the_submitter_hears_that_their_deliverable_was_reviewed(world: World) -> None:
    cast, submission = world.cast, world.journey.submission_a
    url = reverse("journey:submission_review", kwargs={"pk": submission.pk})
    response = cast.client_for("lead_expert").post(url, {"decision": "changes-requested", "comment": "Add maps."})
    assert response.status_code == 302
    [notice] = Notification.objects.filter(kind=Kind.REVIEWED)
    assert (notice.person, notice.actor) == (cast.person("rep_a"), cast.person("lead_expert"))
    page = cast.client_for("rep_a").get("/inbox/").content.decode()
    assert f"Changes requested – {submission}" in page
    opened = cast.client_for("rep_a").get(reverse("inbox:open", kwargs={"pk": notice.pk}))
    assert opened["Location"] == reverse(
        "journey:milestone", kwargs={"pk": cast.city_a.pk, "milestone_pk": submission.milestone_id}
    )


def test_the_mayor_is_asked_to_sign_off_once_per_budget_and_the_sign_off_answers_it(world: World) -> None:
    cast = world.cast
    city, cycle = cast.city_a, cast.programme.cycles.get(number=1)
    roadmaps.confirm_cycle_plan(city=city, cycle=cycle, review="", by=cast.person("rep_a"))
    roadmaps.confirm_cycle_plan(city=city, cycle=cycle, review="Kept again", by=cast.person("rep_a"))
    assert _told(cast, Kind.SIGN_OFF) == {"mayor_a"}
    [notice] = Notification.objects.filter(kind=Kind.SIGN_OFF)
    assert notice.params == {"cycle": 1} and notice.target_id == city.pk
    page = cast.client_for("mayor_a").get("/inbox/").content.decode()
    assert "The budget of cycle 1 needs your sign-off" in page
    response = cast.client_for("mayor_a").post(reverse("roadmaps:sign_off", kwargs={"pk": city.pk, "number": 1}))
    assert response.status_code == 302 and BudgetSignOff.objects.filter(city=city).exists()
    notice.refresh_from_db()
    assert notice.read_at is not None
    roadmaps.confirm_cycle_plan(city=city, cycle=cycle, review="Covered", by=cast.person("rep_a"))
    assert Notification.objects.filter(kind=Kind.SIGN_OFF).count() == 1  # the sign-off covers it
    # A new budget saved in the plan asks again.
    action = Action.objects.get(pk=world.roadmap.owned.pk)
    line = roadmaps.PlanLine(
        action=action,
        owner_person_id=None,
        owner_organisation_id=action.owner_organisation_id,
        cycle=cycle,
        detail=action.detail,
        budget=Decimal(25000),
        expected_version=action.version,
    )
    assert roadmaps.reallocate(lines=[line], by=cast.person("rep_a")) == []
    assert Notification.objects.filter(kind=Kind.SIGN_OFF, read_at=None).count() == 1


def _item(cast: Cast, audience: str = Audience.PROGRAMME, **fields: object) -> Item:
    return Item(
        programme=cast.programme,
        kind=ItemKind.GUIDANCE,
        form=Form.LINK,
        title="Heat plan guide",
        url="https://example.org/heat",
        audience=audience,
        **fields,
    )


def test_a_new_toolbox_item_reaches_who_follows_its_theme(world: World) -> None:
    cast = world.cast
    theme = cast.city_a.track
    item = library.add_item(
        item=_item(cast), themes=[theme], event_types=[], upload=None, by=cast.person("thematic_expert")
    )
    # City A, the mentor city (both on the theme) and the theme's expert; not who added it.
    assert _told(cast, Kind.LIBRARY_ITEM) == {"lead_expert", "rep_a", "mayor_a", "mentor"}
    page = cast.client_for("mentor").get("/inbox/").content.decode()
    assert "Heat plan guide" in page
    # An item without a theme tells nobody.
    library.add_item(item=_item(cast), themes=[], event_types=[], upload=None, by=cast.person("organiser"))
    assert Notification.objects.filter(kind=Kind.LIBRARY_ITEM).exclude(target_id=item.pk).count() == 0


@pytest.mark.parametrize("audience", ["programme", "theme-a", "theme-b", "tag", "city-a", "city-b"])
def test_who_is_told_of_an_item_is_who_follows_its_theme_and_may_open_it(world: World, audience: str) -> None:
    """The bulk rule of ``followers`` gives the same answer as the toolbox's own access, person by person."""
    cast = world.cast
    choices: dict[str, dict[str, object]] = {
        "programme": {},
        "theme-a": {"audience_theme": cast.city_a.track},
        "theme-b": {"audience_theme": cast.city_b.track},
        "tag": {"audience_tag": world.tags.tag},
        "city-a": {"audience_city": cast.city_a},
        "city-b": {"audience_city": cast.city_b},
    }
    fields = choices[audience]
    kind = {"theme-a": "theme", "theme-b": "theme", "city-a": "city", "city-b": "city"}.get(audience, audience)
    themes = [t for t in (cast.city_a.track, cast.city_b.track) if t is not None]
    item = library.add_item(
        item=_item(cast, kind, **fields), themes=themes, event_types=[], upload=None, by=cast.person("organiser")
    )
    expected = {
        p
        for p in PERSONAS
        if p not in ("anonymous", "organiser")
        and my_themes(cast.person(p), cast.programme).filter(pk__in=[t.pk for t in themes]).exists()
        and visible_items(cast.person(p), cast.programme).filter(pk=item.pk).exists()
    }
    assert _told(cast, Kind.LIBRARY_ITEM) == expected
    assert expected  # every audience here reaches someone


def test_a_shared_final_deliverable_is_news_for_its_theme(cast: Cast) -> None:
    from icc.journey.tests.test_deliverable_content import pdf
    from tests.factories import accepted_final

    submission = accepted_final(cast.city_a, cast.person("rep_a"), pdf())
    library.offer_deliverable(submission=submission, by=cast.person("rep_a"))  # type: ignore[arg-type]
    assert _told(cast, Kind.LIBRARY_ITEM) == {"lead_expert", "thematic_expert", "mayor_a", "mentor"}


def test_the_notices_count_in_the_header(world: World) -> None:
    world.tell("rep_a", Kind.REVIEWED)
    world.tell("rep_a", Kind.FOLLOW_UP_OVERDUE)
    home = world.cast.client_for("rep_a").get("/").content.decode()
    assert 'href="/inbox/"' in home and '<span class="badge inbox-count">2' in home
    assert "inbox-count" not in world.cast.client_for("mayor_a").get("/").content.decode()


# With the channels ----------------------------------------------------------------------


def test_mentions_replies_and_direct_messages_reach_the_inbox_while_the_channel_is_theirs(world: World) -> None:
    channels = pytest.importorskip("icc.channels.actions")
    from icc.cities.models import Role

    cast, post = world.cast, world.post
    reply = channels.post_message(
        channel=post.channel, body="@Rep A here is ours", parent=post, upload=None, by=cast.person("rep_a")
    )
    assert Notification.objects.filter(kind=Kind.REPLY, person=cast.person("lead_expert"), target_id=reply.pk)
    page = cast.client_for("lead_expert").get("/inbox/").content.decode()
    assert "here is ours" in page
    Role.objects.filter(person=cast.person("lead_expert")).delete()
    assert "here is ours" not in cast.client_for("lead_expert").get("/inbox/").content.decode()
