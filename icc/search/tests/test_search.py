"""One search box, the pages' own rules: each persona finds exactly what it may open."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PERSONAS, Cast, RoadmapCast
from icc.cities.models import City
from icc.library.models import Audience, Form, Item, Kind
from icc.search import query
from icc.search.indexing import rebuild
from icc.search.models import Entry

pytestmark = pytest.mark.django_db


def _found(cast: Cast, persona: str, text: str) -> set[tuple[str, int]]:
    person = cast.people[persona]
    if person is None:
        return set()
    return {(hit.kind, hit.object_id) for hit in query.search(person, text)}


def _opens(cast: Cast, persona: str, url: str) -> bool:
    return cast.client_for(persona).get(url).status_code == 200


def test_each_persona_finds_a_city_action_and_kpi_exactly_when_it_opens_their_page(roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    rebuild()
    checks = [
        ("city", cast.city_a.pk, cast.city_a.name, reverse("cities:detail", kwargs={"pk": cast.city_a.pk})),
        ("action", roadmap.owned.pk, roadmap.owned.title, reverse("roadmaps:action", kwargs={"pk": roadmap.owned.pk})),
        ("action", roadmap.draft.pk, roadmap.draft.title, reverse("roadmaps:action", kwargs={"pk": roadmap.draft.pk})),
        ("kpi", roadmap.kpi.pk, roadmap.kpi.name, reverse("roadmaps:kpi", kwargs={"pk": roadmap.kpi.pk})),
    ]
    for persona in PERSONAS:
        for kind, pk, words, url in checks:
            found = (kind, pk) in _found(cast, persona, words)
            assert found == _opens(cast, persona, url), f"{persona} {kind} {words!r}"


def test_toolbox_items_and_people_follow_their_pages(cast: Cast) -> None:
    shared = Item.objects.create(
        programme=cast.programme,
        kind=Kind.GUIDANCE,
        form=Form.LINK,
        title="Zebra handbook",
        url="https://example.org",
        added_by=cast.person("organiser"),
    )
    private = Item.objects.create(
        programme=cast.programme,
        kind=Kind.CASE_MATERIAL,
        form=Form.LINK,
        title="Zebra notes of Betatown",
        url="https://example.org",
        audience=Audience.CITY,
        audience_city=cast.city_b,
        added_by=cast.person("rep_b"),
    )
    person = cast.person("rep_b")
    person.full_name = "Quirina Zebrowska"
    person.save()
    person_url = reverse("cities:person", kwargs={"slug": cast.programme.slug, "pk": person.pk})
    for persona in PERSONAS:
        found = _found(cast, persona, "zebr")
        assert (("item", shared.pk) in found) == _opens(cast, persona, shared.get_absolute_url()), persona
        assert (("item", private.pk) in found) == _opens(cast, persona, private.get_absolute_url()), persona
        assert (("person", person.pk) in found) == _opens(cast, persona, person_url), persona


def test_the_index_follows_renames_and_deletions(cast: Cast) -> None:
    organiser = cast.person("organiser")
    assert ("city", cast.city_a.pk) in _found(cast, "organiser", "Alphaville")
    cast.city_a.name = "Gammaburg"
    cast.city_a.save()
    assert ("city", cast.city_a.pk) not in _found(cast, "organiser", "Alphaville")
    assert ("city", cast.city_a.pk) in _found(cast, "organiser", "gamma")
    city_b = cast.city_b.pk
    City.objects.get(pk=city_b).delete()
    assert not Entry.objects.filter(kind="city", object_id=city_b).exists()
    assert query.search(organiser, "Betatown") == []


@pytest.mark.parametrize(
    "text", ['"', "*", "NEAR(a b)", 'Alpha" OR "', "(((", "AND", "a:*", "x" * 10_000, "-", "^", "Alpha*", "\x00"]
)
def test_search_syntax_in_what_is_typed_is_just_words(cast: Cast, text: str) -> None:
    response = cast.client_for("organiser").get(reverse("search:search"), {"q": text})
    assert response.status_code == 200
    assert isinstance(query.search(cast.person("organiser"), text), list)


def test_the_page_lists_results_with_their_kind_and_city(cast: Cast) -> None:
    html = cast.client_for("rep_a").get(reverse("search:search"), {"q": "alpha"}).content.decode()
    assert "Alphaville" in html and reverse("cities:detail", kwargs={"pk": cast.city_a.pk}) in html
    long = cast.client_for("rep_a").get(reverse("search:search"), {"q": "alpha " * 100}).content.decode()
    assert "Only the first 200 characters were searched." in long
    assert cast.client_for("anonymous").get(reverse("search:search")).status_code == 302


def test_marketplace_solutions_and_challenges_are_found_exactly_when_their_pages_open(cast: Cast) -> None:
    from icc.marketplace.models import Challenge, Provider, Review, Solution

    provider = Provider.objects.create(
        programme=cast.programme, name="Quokka Ltd", kind="sme", country="DE", created_by=cast.person("organiser")
    )
    published = Solution.objects.create(
        programme=cast.programme,
        provider=provider,
        name="Quokka counters",
        summary="Counts people.",
        cost_model="free",
        review=Review.PUBLISHED,
        created_by=cast.person("organiser"),
    )
    draft = Solution.objects.create(
        programme=cast.programme,
        provider=provider,
        name="Quokka draft of Betatown",
        summary="Not yet reviewed.",
        cost_model="free",
        city=cast.city_b,
        created_by=cast.person("rep_b"),
    )
    assert cast.city_b.track is not None
    need = Challenge.objects.create(
        city=cast.city_b,
        title="Quokka crossings",
        context="Animals cross the road.",
        theme=cast.city_b.track,
        created_by=cast.person("rep_b"),
    )
    checks = [
        ("solution", published.pk, published.get_absolute_url()),
        ("solution", draft.pk, draft.get_absolute_url()),
        ("need", need.pk, need.get_absolute_url()),
    ]
    for persona in PERSONAS:
        found = _found(cast, persona, "quokka")
        for kind, pk, url in checks:
            assert ((kind, pk) in found) == _opens(cast, persona, url), f"{persona} {kind} {pk}"
    assert ("solution", draft.pk) in _found(cast, "rep_b", "quokka")
    assert ("solution", draft.pk) not in _found(cast, "rep_a", "quokka")


def test_an_entry_with_the_words_in_its_title_comes_before_those_with_them_only_in_the_text(cast: Cast) -> None:
    def item(title: str, summary: str) -> Item:
        return Item.objects.create(
            programme=cast.programme,
            kind=Kind.GUIDANCE,
            form=Form.LINK,
            title=title,
            summary=summary,
            url="https://example.org",
            added_by=cast.person("organiser"),
        )

    texts = [item(f"Guide {n}", "walrus walrus walrus walrus") for n in range(3)]
    titled = item("Walrus guide", "a guide")
    hits = query.search(cast.person("organiser"), "walrus")
    assert hits[0].object_id == titled.pk
    assert {h.object_id for h in hits} == {titled.pk, *(t.pk for t in texts)}
    assert len(query.search(cast.person("organiser"), "walrus", limit=2)) == 2
