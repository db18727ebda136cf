"""Changes only their own people may make: a city's standing in the programme, a brain date's takeaways."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.cities.models import City, CityType, RoleKind
from icc.tags.models import BrainDate
from tests.factories import CityFactory, PersonFactory, give_role

pytestmark = pytest.mark.django_db


def _city_form(client: Any, city: City, **changes: Any) -> dict[str, Any]:
    from tests.test_stale_edits import form_data

    return form_data(client.get(reverse("cities:edit", kwargs={"pk": city.pk})).context["form"], **changes)


@pytest.mark.parametrize("persona", ["rep_a", "lead_expert"])
def test_the_city_team_cannot_move_its_city_to_another_track_or_type(cast: Any, persona: str) -> None:
    client, city = cast.client_for(persona), cast.city_a
    other_track = cast.city_b.track
    page = client.get(reverse("cities:edit", kwargs={"pk": city.pk}))
    assert not {"type", "track", "former_dcc", "current_phase"} & set(page.context["form"].fields)
    assert "set by the programme team" in page.content.decode()
    data = _city_form(
        client, city, source="Census 2021", track=other_track.pk, type=CityType.EU_MENTOR, former_dcc="on"
    )
    assert client.post(reverse("cities:edit", kwargs={"pk": city.pk}), data).status_code == 302
    city.refresh_from_db()
    assert city.source == "Census 2021"  # the rest of the profile is saved
    assert (city.track_id, city.type, city.former_dcc) != (other_track.pk, CityType.EU_MENTOR, True)
    assert city.track == cast.programme.themes.first() and city.type == CityType.EU_CORE
    # The thematic expert of the city's track still sees it.
    assert cast.client_for("thematic_expert").get(city.get_absolute_url()).status_code == 200


def test_the_programme_team_changes_track_and_type(cast: Any) -> None:
    client, city = cast.client_for("organiser"), cast.city_a
    other_track = cast.city_b.track
    data = _city_form(client, city, track=other_track.pk, type=CityType.INTERNATIONAL_CORE)
    assert client.post(reverse("cities:edit", kwargs={"pk": city.pk}), data).status_code == 302
    city.refresh_from_db()
    assert (city.track, city.type) == (other_track, CityType.INTERNATIONAL_CORE)


def test_only_the_brain_dates_own_experts_record_its_takeaways(tags: Any) -> None:
    cast, brain_date = tags.cast, tags.brain_date
    url = reverse("tags:brain_date", kwargs={"pk": brain_date.pk})
    record = reverse("tags:takeaways_save", kwargs={"pk": brain_date.pk})
    # A lead expert and a thematic expert of cities outside this brain date.
    elsewhere = CityFactory.create(
        programme=cast.programme, name="Gammaburg", country="AT", track=cast.programme.themes.last()
    )
    outside_lead, outside_thematic = (
        PersonFactory.create(email="lead-c@example.org"),
        PersonFactory.create(email="them-c@example.org"),
    )
    give_role(outside_lead, RoleKind.LEAD_EXPERT, cast.programme, city=elsewhere)
    give_role(outside_thematic, RoleKind.THEMATIC_EXPERT, cast.programme, theme=elsewhere.track)
    from django.test import Client

    for person in (outside_lead, outside_thematic, cast.people["transversal_expert"]):
        client = Client()
        client.force_login(person)
        assert (
            "<textarea" not in client.get(url).content.decode() or "takeaway_1" not in client.get(url).content.decode()
        )
        response = client.post(record, {"version": 0, "takeaway_1": "Overwritten"})
        assert response.status_code == 403
    assert BrainDate.objects.get(pk=brain_date.pk).takeaway_1 == ""
    for persona in ("lead_expert", "thematic_expert", "organiser"):
        client = cast.client_for(persona)
        current = BrainDate.objects.get(pk=brain_date.pk)
        response = client.post(record, {"version": current.version, "takeaway_1": f"From {persona}"})
        assert response.status_code == 302, persona
        assert BrainDate.objects.get(pk=brain_date.pk).takeaway_1 == f"From {persona}"


def test_brain_dates_with_takeaways_are_not_formed_again(tags: Any) -> None:
    from django.core.exceptions import ValidationError

    from icc.tags.formation import match_brain_dates

    BrainDate.objects.filter(pk=tags.brain_date.pk).update(takeaway_1="Share the sensor tender")
    with pytest.raises(ValidationError, match="not formed again"):
        match_brain_dates(lab=tags.lab, by=tags.cast.people["organiser"])
    assert BrainDate.objects.get(pk=tags.brain_date.pk).takeaway_1 == "Share the sensor tender"


@pytest.mark.parametrize("value", ["abc", "²", "-1", "1e3", str(2**70), ""])
def test_crafted_ids_in_tag_awards_and_roadmap_requests_get_no_500(tags: Any, value: str) -> None:
    cast = tags.cast
    rep = cast.client_for("rep_a")
    from icc.tags.models import Topic

    topic = Topic.objects.create(tag=tags.tag, title="Open data")
    vote = reverse("tags:topic_vote", kwargs={"pk": tags.tag.pk, "topic_pk": topic.pk})
    assert rep.post(vote, {"replacing": value}).status_code in (200, 302, 404)
    nominate = reverse("tags:nomination_add", kwargs={"slug": cast.programme.slug})
    assert rep.post(nominate, {"award": "strategy", "city": value, "reason": "Bold"}).status_code == 200
    new_action = reverse("roadmaps:action_new", kwargs={"city_pk": cast.city_a.pk})
    assert rep.get(new_action, {"opportunity": value}).status_code in (200, 302)
    assert rep.post(f"/calendars/{value}/revoke/").status_code == 404
