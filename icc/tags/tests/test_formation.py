"""TAG formation through the pages the programme team uses."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.cities.models import CityType
from icc.journey.actions import install_template
from icc.tags.models import FormationRun, Membership, MentorCapacity, MentorPreference, PairingRule, Session, Tag
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(cast: Any) -> dict[str, Any]:
    """Ten core cities on two themes and two mentors, one per theme (the cast's mentor city leads theme 0)."""
    install_template(programme=cast.programme)
    themes = list(cast.programme.themes.all())
    second_mentor = CityFactory(
        programme=cast.programme, name="Mentorstad", country="SE", type=CityType.INTERNATIONAL_MENTOR, track=themes[1]
    )
    core = [cast.city_a, cast.city_b]
    for n in range(8):
        core.append(
            CityFactory(
                programme=cast.programme,
                name=f"Core {n}",
                country="FR",
                track=themes[n % 2],
                population=10_000 * (n + 1),
            )
        )
    return {"mentors": [cast.mentor_city, second_mentor], "core": core, "themes": themes}


def formation_url(cast: Any, name: str = "formation", **kwargs: Any) -> str:
    return reverse(f"tags:{name}", kwargs={"slug": cast.programme.slug, **kwargs})


def run_url(cast: Any, formation_run: FormationRun, name: str = "run") -> str:
    return formation_url(cast, name, pk=formation_run.pk)


def run(cast: Any, **sizes: int) -> FormationRun:
    data = {"min_size": sizes.get("min_size", 4), "max_size": sizes.get("max_size", 6)}
    response = cast.client_for("organiser").post(formation_url(cast, "run_start"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return FormationRun.objects.latest("created_at")


def test_the_team_runs_reviews_and_adopts_a_formation(cast: Any, cohort: dict[str, Any]) -> None:
    MentorPreference.objects.create(city=cast.city_b, mentor=cohort["mentors"][0], rank=1)
    formation_run = run(cast)
    assert formation_run.status == "optimal"
    groups = formation_run.result["groups"]
    assert sorted(len(g["cities"]) for g in groups) == [5, 5]
    for group in groups:
        mentor = next(m for m in cohort["mentors"] if m.pk == group["mentor"])
        assert all(c["explanation"] for c in group["cities"])
        # Theme first: every city is with the mentor of its own theme, whatever it asked for.
        for member in group["cities"]:
            city = next(c for c in cohort["core"] if c.pk == member["id"])
            assert city.track_id == mentor.track_id
            assert "same theme" in member["explanation"]
    page = cast.client_for("organiser").get(run_url(cast, formation_run))
    assert "Optimal" in page.content.decode()
    assert cast.client_for("organiser").post(run_url(cast, formation_run)).status_code == 405
    adopted = cast.client_for("organiser").post(run_url(cast, formation_run, "run_adopt"))
    assert adopted.status_code == 302
    assert Tag.objects.count() == 2
    assert Membership.objects.count() == 10
    assert Session.objects.filter(tag__programme=cast.programme).count() > 20
    assert Membership.objects.get(city=cast.city_a).tag.mentor == cast.mentor_city
    # Adopting again replaces, never duplicates.
    FormationRun.objects.filter(pk=formation_run.pk).update(adopted_at=None)
    cast.client_for("organiser").post(run_url(cast, formation_run, "run_adopt"))
    assert Tag.objects.count() == 2 and Membership.objects.count() == 10


def test_infeasible_input_is_explained_and_cannot_be_adopted(cast: Any, cohort: dict[str, Any]) -> None:
    formation_run = run(cast, min_size=7, max_size=7)  # 10 cities cannot make groups of exactly 7
    assert formation_run.status == "infeasible"
    assert formation_run.result["problems"]
    page = cast.client_for("organiser").get(run_url(cast, formation_run)).content.decode()
    assert "Why no grouping is possible" in page
    response = cast.client_for("organiser").post(run_url(cast, formation_run, "run_adopt"), follow=True)
    assert "no grouping to adopt" in response.content.decode()
    assert not Tag.objects.exists()


def test_pins_and_forbids_are_kept(cast: Any, cohort: dict[str, Any]) -> None:
    first, second = cohort["mentors"]
    MentorCapacity.objects.create(city=first, tags=1)
    client = cast.client_for("organiser")
    add = formation_url(cast, "rule_add")
    client.post(add, {"city": cast.city_b.pk, "mentor": first.pk, "kind": "pin"})
    client.post(add, {"city": cast.city_a.pk, "mentor": first.pk, "kind": "forbid"})
    assert PairingRule.objects.count() == 2
    duplicate = client.post(add, {"city": cast.city_a.pk, "mentor": first.pk, "kind": "pin"})
    assert duplicate.status_code == 200
    assert "There is already a rule" in duplicate.content.decode()
    formation_run = run(cast)
    assert formation_run.status in ("optimal", "feasible")
    where = {c["id"]: g["mentor"] for g in formation_run.result["groups"] for c in g["cities"]}
    assert where[cast.city_b.pk] == first.pk
    assert where[cast.city_a.pk] == second.pk
    explanation = next(
        c["explanation"] for g in formation_run.result["groups"] for c in g["cities"] if c["id"] == cast.city_a.pk
    )
    assert "theme" in explanation


def test_a_city_ranks_the_mentors_it_wants(cast: Any, cohort: dict[str, Any]) -> None:
    first, second = cohort["mentors"]
    url = reverse("tags:preferences_save", kwargs={"pk": cast.city_a.pk})
    client = cast.client_for("rep_a")
    duplicate = client.post(url, {"rank_1": first.pk, "rank_2": first.pk})
    assert "ranked only once" in duplicate.content.decode()
    gap = client.post(url, {"rank_2": first.pk})
    assert "Fill the choices in order" in gap.content.decode()
    not_a_mentor = client.post(url, {"rank_1": cast.city_b.pk})
    assert "Choose one of the edition" in not_a_mentor.content.decode()
    assert not MentorPreference.objects.exists()
    assert client.post(url, {"rank_1": second.pk, "rank_2": first.pk}).status_code == 302
    assert list(MentorPreference.objects.values_list("mentor_id", "rank")) == [(second.pk, 1), (first.pk, 2)]
    assert cast.client_for("mayor_a").post(url, {"rank_1": first.pk}).status_code == 403


def test_removing_a_rule_that_is_gone_says_so(cast: Any, cohort: dict[str, Any]) -> None:
    client = cast.client_for("organiser")
    rule = PairingRule.objects.create(city=cast.city_a, mentor=cohort["mentors"][0], kind="pin")
    remove = formation_url(cast, "rule_remove", pk=rule.pk)
    assert "Rule removed" in client.post(remove, follow=True).content.decode()
    response = client.post(remove, follow=True)  # a second click, or another tab
    assert "That rule no longer exists" in response.content.decode()
    crafted = f"/programmes/{cast.programme.slug}/tags/formation/rules/'; drop table/remove/"
    assert client.post(crafted).status_code == 404
    bad_run = client.post(formation_url(cast, "run_start"), {"min_size": "8", "max_size": "3"})
    assert bad_run.status_code == 200
    assert "The fewest cannot be more than the most" in bad_run.content.decode()
    assert not FormationRun.objects.exists()


def test_the_run_page_shows_what_adopting_changes_against_the_current_tags(cast: Any, cohort: dict[str, Any]) -> None:
    first_run = run(cast)
    assert (
        "No TAG is formed yet: adopting forms every TAG above."
        in cast.client_for("organiser").get(run_url(cast, first_run)).content.decode()
    )
    cast.client_for("organiser").post(run_url(cast, first_run, "run_adopt"))
    first, second = cohort["mentors"]
    themes = cohort["themes"]
    # Since then: the second mentor's TAG was dissolved by hand and Alphaville sits in a TAG of its own.
    Tag.objects.filter(mentor=second).delete()
    odd = Tag.objects.create(programme=cast.programme, number=9, mentor=second, theme=themes[1])
    Membership.objects.filter(city=cast.city_a).update(tag=odd)
    kept_tag = Tag.objects.get(mentor=first)

    second_run = run(cast)
    page = cast.client_for("organiser").get(run_url(cast, second_run))

    changes = page.context["changes"]
    number = {g["mentor"]: n for n, g in enumerate(second_run.result["groups"], start=1)}
    to_first = f"TAG {number[first.pk]}: {first.name} · {themes[0].name}"
    to_second = f"TAG {number[second.pk]}: {second.name} · {themes[1].name}"
    assert {"city": cast.city_a.name, "from": f"TAG 9: {second.name} · {themes[1].name}", "to": to_first} in (
        changes["moves"]
    )
    assert sorted(m["city"] for m in changes["moves"] if m["from"] == "") == sorted(
        c.name for c in cohort["core"] if c.track_id == themes[1].pk
    )
    assert changes["kept"] == 4
    assert changes["new"] == [to_second]
    assert changes["dissolved"] == [f"TAG 9: {second.name} · {themes[1].name}"]
    assert changes["continued"] == [{"from": f"TAG {kept_tag.number}: {first.name} · {themes[0].name}", "to": to_first}]
    html = page.content.decode()
    assert "What adopting changes" in html and "Cities that move to another TAG" in html
    assert "4 cities stay in their TAG." in html


def test_cities_read_how_good_their_grouping_is_and_only_the_team_sees_the_figures(
    cast: Any, cohort: dict[str, Any]
) -> None:
    formation_run = run(cast)
    cast.client_for("organiser").post(run_url(cast, formation_run, "run_adopt"))
    tag = Membership.objects.get(city=cast.city_a).tag
    words = "This grouping is the best possible under the programme&#x27;s rules."
    figures = formation_run.result["tiers"][0]["name"]

    for persona in ("rep_a", "mayor_a", "mentor"):
        page = cast.client_for(persona).get(tag.get_absolute_url()).content.decode()
        assert words in page
        assert "For the programme team" not in page and "gap to the optimum" not in page
    preferences = cast.client_for("rep_a").get(reverse("tags:preferences", kwargs={"pk": cast.city_a.pk}))
    assert words in preferences.content.decode()
    assert "gap to the optimum" not in preferences.content.decode()
    team = cast.client_for("organiser").get(tag.get_absolute_url()).content.decode()
    assert "For the programme team:" in team and figures in team


def test_mentor_capacities_are_saved_and_a_wrong_one_comes_back_in_its_form(cast: Any, cohort: dict[str, Any]) -> None:
    first, second = cohort["mentors"]
    client = cast.client_for("organiser")
    save = formation_url(cast, "capacities_save")

    assert client.post(save, {f"m{first.pk}": "2", f"m{second.pk}": "1"}).status_code == 302
    assert dict(MentorCapacity.objects.values_list("city_id", "tags")) == {first.pk: 2, second.pk: 1}
    page = client.post(save, {f"m{first.pk}": "-1", f"m{second.pk}": "1"})
    fragment = client.post(save, {f"m{first.pk}": "-1", f"m{second.pk}": "1"}, headers={"HX-Request": "true"})

    assert page.status_code == 200 and "<h1>" in page.content.decode()
    html = fragment.content.decode()
    assert fragment.status_code == 200 and html.lstrip().startswith('<form id="capacity-form"') and "<h1>" not in html
    assert html.count("errorlist") == 1
    assert MentorCapacity.objects.get(city=first).tags == 2
