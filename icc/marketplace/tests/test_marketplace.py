"""The marketplace: review before publication, deployments that count once confirmed,
providers qualified by them, duplicates, challenges shared and matched with reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import Cast
from icc.marketplace import actions, matching
from icc.marketplace.models import Challenge, Deployment, Facet, Provider, Report, Review, Solution

pytestmark = pytest.mark.django_db


def _provider(cast: Cast, name: str = "Lumen GmbH") -> Provider:
    return Provider.objects.create(
        programme=cast.programme,
        name=name,
        kind="sme",
        country="DE",
        review=Review.PUBLISHED,
        created_by=cast.person("organiser"),
    )


def _solution(cast: Cast, name: str = "Smart street lights", **fields: Any) -> Solution:
    values: dict[str, Any] = {
        "programme": cast.programme,
        "provider": fields.pop("provider", None) or _provider(cast),
        "summary": "Dims the lights when nobody is there.",
        "functions": ["lighting", "sensing"],
        "data_models": ["StreetLight"],
        "cost_model": "subscription",
        "city": cast.city_a,
        **fields,
    }
    solution = Solution(name=name, **values)
    return actions.save_solution(solution=solution, themes=[cast.city_a.track], by=cast.person("rep_a"))


def _form(cast: Cast, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Parking sensors",
        "provider": _provider(cast, "Parko").pk,
        "summary": "Tells drivers where to park.",
        "functions": ["sensing", "mobility"],
        "data_models": "ParkingSpot, OffStreetParking",
        "cost_model": "licence",
        "development": "stable",
        "licence": "EUPL-1.2",
        "sdgs": "11.2, 9.c",
    }
    return {**data, **changes}


def test_a_city_describes_a_solution_which_is_published_only_after_review(cast: Cast) -> None:
    url = reverse("marketplace:solution_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_a").post(url, _form(cast))
    assert response.status_code == 302
    solution = Solution.objects.get(name="Parking sensors")
    assert solution.review == Review.DRAFT and solution.city == cast.city_a
    assert solution.data_models == ["ParkingSpot", "OffStreetParking"] and solution.sdgs == ["11.2", "9.c"]
    assert set(Facet.objects.filter(solution=solution).values_list("kind", "code")) >= {
        ("function", "mobility"),
        ("data-model", "ParkingSpot"),
        ("sdg", "11"),
        ("sdg", "9"),
    }
    assert cast.client_for("rep_b").get(solution.get_absolute_url()).status_code == 404
    cast.client_for("rep_a").post(reverse("marketplace:solution_submit", kwargs={"pk": solution.pk}))
    decide = reverse("marketplace:solution_decide", kwargs={"pk": solution.pk})
    assert cast.client_for("rep_a").post(decide, {"decision": "publish"}).status_code == 403
    cast.client_for("organiser").post(decide, {"decision": "refuse", "reason": ""})
    solution.refresh_from_db()
    assert solution.review == Review.SUBMITTED  # a refusal needs its reason
    cast.client_for("organiser").post(decide, {"decision": "refuse", "reason": "Name the licence of the data."})
    solution.refresh_from_db()
    assert solution.review == Review.REFUSED
    assert "Name the licence of the data." in cast.client_for("rep_a").get(solution.get_absolute_url()).content.decode()
    cast.client_for("rep_a").post(reverse("marketplace:solution_submit", kwargs={"pk": solution.pk}))
    cast.client_for("organiser").post(decide, {"decision": "publish"})
    solution.refresh_from_db()
    assert solution.review == Review.PUBLISHED
    assert cast.client_for("rep_b").get(solution.get_absolute_url()).status_code == 200
    assert cast.client_for("stakeholder").get(solution.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("data_models", "street light; <script>", "Not a Smart Data Models entity name"),
        ("sdgs", "18.1", "Not an SDG target"),
        ("licence", "whatever I like", "SPDX"),
        ("name", "x" * 201, "at most 200"),
        ("functions", ["teleportation"], "not one of the available choices"),
    ],
)
def test_bad_input_gets_a_specific_message_and_stores_nothing(cast: Cast, field: str, value: Any, words: str) -> None:
    url = reverse("marketplace:solution_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_a").post(url, _form(cast, **{field: value}))
    assert response.status_code == 400 and words in response.content.decode()
    assert not Solution.objects.exists()


def test_a_duplicate_solution_is_found_and_offered_for_merging(cast: Cast) -> None:
    solution = _solution(cast)
    url = reverse("marketplace:solution_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_a").post(
        url, _form(cast, name="SMART street lights", provider=solution.provider_id)
    )
    assert response.status_code == 400 and "already offers" in response.content.decode()
    twin = Solution(
        programme=cast.programme, provider=_provider(cast, "Other"), name="Lights", summary="x", cost_model="free"
    )
    twin = actions.save_solution(solution=twin, themes=[], by=cast.person("organiser"))
    Deployment.objects.create(
        solution=twin, city=cast.city_b, started_on=dt.date(2025, 1, 1), scale="x", claimed_by=cast.person("rep_b")
    )
    actions.merge(keep=solution, duplicate=twin, by=cast.person("organiser"))
    assert Solution.objects.count() == 1 and solution.deployments.count() == 1


def test_a_deployment_counts_only_once_the_deploying_city_confirms_it(cast: Cast) -> None:
    solution = _solution(cast)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    claim = reverse("marketplace:deployment_add", kwargs={"pk": solution.pk})
    # The programme team claims a deployment in city B: it waits for city B.
    response = cast.client_for("organiser").post(
        claim, {"city": cast.city_b.pk, "started_on": "2025-03-01", "scale": "120 lights"}
    )
    assert response.status_code == 302
    deployment = Deployment.objects.get()
    assert not deployment.is_confirmed
    provider_page = cast.client_for("rep_a").get(solution.provider.get_absolute_url()).content.decode()
    assert "Betatown" not in provider_page
    # A representative cannot claim for a city they do not speak for.
    response = cast.client_for("rep_a").post(claim, {"city": cast.city_b.pk, "started_on": "2025-03-01", "scale": "x"})
    assert response.status_code == 400
    confirm = reverse("marketplace:deployment_confirm", kwargs={"pk": deployment.pk})
    assert cast.client_for("rep_a").post(confirm).status_code == 403
    assert cast.client_for("rep_b").post(confirm).status_code == 302
    deployment.refresh_from_db()
    assert deployment.is_confirmed
    provider_page = cast.client_for("rep_a").get(solution.provider.get_absolute_url()).content.decode()
    assert "Betatown" in provider_page


def test_a_deployment_links_only_the_deploying_citys_kpi(cast: Cast, roadmap: Any) -> None:
    solution = _solution(cast)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    from icc.roadmaps.models import KPI

    other = KPI.objects.exclude(city=cast.city_a).first()
    mine = KPI.objects.filter(city=cast.city_a).first()
    assert mine is not None
    claim = reverse("marketplace:deployment_add", kwargs={"pk": solution.pk})
    base = {"city": cast.city_a.pk, "started_on": "2025-03-01", "scale": "40 lights"}
    if other is not None:
        assert cast.client_for("rep_a").post(claim, {**base, "kpi": other.pk}).status_code == 400
    assert cast.client_for("rep_a").post(claim, {**base, "kpi": mine.pk}).status_code == 302
    assert Deployment.objects.get().is_confirmed  # claimed by the city's own team


def test_a_challenge_is_shared_by_other_cities_and_matched_with_reasons(cast: Cast) -> None:
    lights = _solution(cast)
    Solution.objects.filter(pk=lights.pk).update(review=Review.PUBLISHED)
    unrelated = _solution(
        cast, name="Waste bins", functions=["waste"], data_models=[], provider=_provider(cast, "Bins")
    )
    Solution.objects.filter(pk=unrelated.pk).update(review=Review.PUBLISHED)
    add = reverse("marketplace:challenge_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_b").post(
        add,
        {
            "city": cast.city_b.pk,
            "title": "Our street lights burn all night",
            "context": "Energy bills doubled.",
            "theme": cast.city_b.track_id,
            "functions": ["lighting"],
            "data_models": "StreetLight",
            "sdgs": "7.3",
            "budget_min": "100000",
            "budget_max": "50000",
        },
    )
    assert response.status_code == 400 and "below its lower end" in response.content.decode()
    assert not Challenge.objects.exists()
    response = cast.client_for("rep_b").post(
        add,
        {
            "city": cast.city_b.pk,
            "title": "Our street lights burn all night",
            "context": "Energy bills doubled.",
            "theme": cast.city_b.track_id,
            "functions": ["lighting"],
            "data_models": "StreetLight",
        },
    )
    challenge = Challenge.objects.get()
    Challenge.objects.filter(pk=challenge.pk).update(review=Review.PUBLISHED)
    share = reverse("marketplace:challenge_share", kwargs={"pk": challenge.pk})
    assert cast.client_for("rep_a").post(share, {"city": cast.city_a.pk}).status_code == 302
    assert list(challenge.shared_by.all()) == [cast.city_a]
    assert cast.client_for("rep_a").post(share, {"city": cast.city_b.pk}).status_code == 403
    page = cast.client_for("rep_a").get(challenge.get_absolute_url()).content.decode()
    assert "Smart street lights" in page and "Waste bins" not in page
    assert "does what you need: Street lighting control" in page and "speaks your data models: StreetLight" in page


def test_matching_orders_by_what_counts_and_explains_it() -> None:
    need = matching.Need(frozenset({"lighting", "sensing"}), frozenset({"StreetLight"}), 1, 100_000, "DE")
    offers = [
        matching.Offer(1, frozenset({"lighting"}), frozenset(), frozenset(), []),
        matching.Offer(
            2, frozenset({"lighting", "sensing"}), frozenset({"StreetLight"}), frozenset({1}), [(90_000, "DE")]
        ),
        matching.Offer(3, frozenset({"waste"}), frozenset(), frozenset({1}), [(90_000, "DE")]),
    ]
    found = matching.match(need, offers)
    assert [m.solution_id for m in found] == [2, 1]
    codes = [r.code for r in found[0].reasons]
    assert codes == ["functions", "data-models", "similar-cities", "same-country", "theme"]


def test_a_report_of_wrong_content_goes_to_the_review_queue(cast: Cast) -> None:
    solution = _solution(cast)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    report = reverse("marketplace:solution_report", kwargs={"pk": solution.pk})
    assert cast.client_for("rep_b").post(report, {"reason": ""}).status_code == 400
    assert cast.client_for("rep_b").post(report, {"reason": "The provider closed down."}).status_code == 302
    assert Report.objects.count() == 1
    queue = reverse("marketplace:review", kwargs={"slug": cast.programme.slug})
    assert "The provider closed down." in cast.client_for("organiser").get(queue).content.decode()
    assert cast.client_for("rep_b").get(queue).status_code == 403


def test_the_browse_page_filters_by_facets_with_a_flat_query_count(cast: Cast) -> None:
    provider = _provider(cast)
    url = reverse("marketplace:browse", kwargs={"slug": cast.programme.slug})

    def fill(n: int) -> None:
        for i in range(n):
            solution = Solution.objects.create(
                programme=cast.programme,
                provider=provider,
                name=f"Solution {Solution.objects.count()}",
                summary="x",
                functions=["energy" if i % 2 else "water"],
                cost_model="free",
                review=Review.PUBLISHED,
                created_by=cast.person("organiser"),
            )
            actions.index_facets(solution)

    def queries(params: dict[str, str]) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = cast.client_for("rep_b").get(url, params)
        return len(captured), response.content.decode()

    fill(3)
    few, _page = queries({"function": "energy"})
    fill(30)
    many, page = queries({"function": "energy"})
    assert many == few
    assert "16 solutions" in page
    assert queries({"function": "not-a-function"})[1].count("Select a valid choice") == 1


def test_a_deployments_kpi_is_named_only_to_those_who_open_its_city(cast: Cast, roadmap: Any) -> None:
    from icc.roadmaps.models import KPI

    solution = _solution(cast)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    kpi = KPI.objects.filter(city=cast.city_a).first()
    assert kpi is not None
    actions.claim_deployment(
        solution=solution,
        city=cast.city_a,
        started_on=dt.date(2025, 1, 1),
        scale="40",
        outcome="",
        kpi=kpi,
        action=None,
        by=cast.person("rep_a"),
    )
    assert kpi.name in cast.client_for("rep_a").get(solution.get_absolute_url()).content.decode()
    page = cast.client_for("rep_b").get(solution.get_absolute_url()).content.decode()
    assert "Alphaville" in page and kpi.name not in page


def test_a_provider_of_a_taken_name_or_a_crafted_theme_id_gets_a_message_not_a_500(cast: Cast) -> None:
    _provider(cast, "Lumen GmbH")
    add = reverse("marketplace:provider_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_b").post(add, {"name": "lumen gmbh", "kind": "sme", "country": "DE"})
    assert response.status_code == 400 and "already in the marketplace" in response.content.decode()
    url = reverse("marketplace:solution_add", kwargs={"slug": cast.programme.slug})
    response = cast.client_for("rep_a").post(url, _form(cast, themes=["99999999999999999999999"]))
    assert response.status_code == 400
    assert not Solution.objects.exists()


def test_a_city_without_a_published_profile_is_not_shown_to_others(cast: Cast) -> None:
    url = reverse("marketplace:profile", kwargs={"pk": cast.city_b.pk})
    assert cast.client_for("rep_a").get(url).status_code == 404
    assert cast.client_for("rep_b").get(url).status_code == 200


def test_an_editor_does_not_publish_their_own_citys_content(cast: Cast) -> None:
    actions.appoint_editor(programme=cast.programme, person=cast.person("rep_a"), by=cast.person("organiser"))
    own = _solution(cast)
    Solution.objects.filter(pk=own.pk).update(review=Review.SUBMITTED)
    decide = reverse("marketplace:solution_decide", kwargs={"pk": own.pk})
    assert cast.client_for("rep_a").post(decide, {"decision": "publish"}).status_code == 403
    other = _solution(cast, name="Other lights", city=cast.city_b, provider=_provider(cast, "B"))
    Solution.objects.filter(pk=other.pk).update(review=Review.SUBMITTED)
    decide = reverse("marketplace:solution_decide", kwargs={"pk": other.pk})
    assert cast.client_for("rep_a").post(decide, {"decision": "publish"}).status_code == 302
    other.refresh_from_db()
    assert other.review == Review.PUBLISHED


def test_the_country_filter_does_not_narrow_the_count_of_deployments(cast: Cast) -> None:
    solution = _solution(cast)
    Solution.objects.filter(pk=solution.pk).update(review=Review.PUBLISHED)
    for city in (cast.city_a, cast.city_b):
        Deployment.objects.create(
            solution=solution,
            city=city,
            started_on=dt.date(2025, 1, 1),
            scale="x",
            claimed_by=cast.person("organiser"),
            confirmed_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
        )
    url = reverse("marketplace:browse", kwargs={"slug": cast.programme.slug})
    page = cast.client_for("rep_b").get(url, {"country": "DE"}).content.decode()
    assert "2 confirmed deployments" in page
