"""The API read with a personal access token: what its owner may open now, within its
scopes, at a bounded rate, in a fixed number of queries, as the OpenAPI document says."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import Settings

from conftest import Cast, JourneyCast, RoadmapCast, TagsCast
from icc.api.actions import create_token, revoke_token
from icc.api.models import AccessToken, Scope
from icc.api.tests.conftest import Contract
from icc.cities.models import Role, RoleKind
from icc.roadmaps.models import KPI, Action, Measurement
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db
ALL: list[str] = [str(scope) for scope in Scope]


class TokenClient:
    """A client sending one token, whose every JSON answer is checked against the contract."""

    def __init__(self, contract: Contract, secret: str) -> None:
        self.client = Client()
        self.contract = contract
        self.secret = secret

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        path = path.removeprefix("http://testserver")
        response = self.client.get(path, params or {}, headers={"authorization": f"Bearer {self.secret}", **headers})
        if response.status_code != 304:
            assert response["Content-Type"].startswith("application/json"), path
            self.contract.check(path, response.status_code, json.loads(response.content))
        return response


def _client(contract: Contract, cast: Cast, persona: str, scopes: list[str] = ALL) -> TokenClient:
    _token, secret = create_token(owner=cast.person(persona), name="script", scopes=scopes)
    return TokenClient(contract, secret)


def _measure(kpi: KPI, count: int) -> None:
    start = dt.date(2020, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(kpi=kpi, date=start + dt.timedelta(days=i), value=Decimal(i), source="Meters") for i in range(count)
    )


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer icc_" + "x" * 43, "Token icc_" + "x" * 43],
)
def test_a_missing_malformed_or_unknown_token_gets_401_json(roadmap: RoadmapCast, header: str) -> None:
    headers = {"authorization": header} if header else {}
    response = Client().get(f"/api/v1/kpis/{roadmap.kpi.pk}", headers=headers)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert json.loads(response.content)["detail"].startswith("A valid access token is needed")


def test_a_revoked_token_gets_401_at_once(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 200
    revoke_token(token=AccessToken.objects.get(), by=roadmap.cast.person("rep_a"))
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 401


def test_an_expired_token_gets_401(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 401


def test_a_token_of_a_deactivated_person_gets_401(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    type(roadmap.cast.person("rep_a")).objects.filter(pk=roadmap.cast.person("rep_a").pk).update(is_active=False)
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 401


def test_an_operation_outside_the_scopes_gets_403_naming_the_scope(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a", [Scope.CITIES])
    response = api.get(f"/api/v1/kpis/{roadmap.kpi.pk}")
    assert response.status_code == 403 and "kpis:read" in json.loads(response.content)["detail"]
    assert api.get(f"/api/v1/cities/{roadmap.cast.city_a.pk}").status_code == 200


def test_use_is_recorded_on_the_token(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    assert AccessToken.objects.get().last_used_at is None
    api.get(f"/api/v1/kpis/{roadmap.kpi.pk}")
    assert AccessToken.objects.get().last_used_at is not None


def test_the_owner_sees_what_their_roles_open(contract: Contract, roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    api = _client(contract, cast, "rep_a")
    programmes = json.loads(api.get("/api/v1/programmes").content)
    assert [p["slug"] for p in programmes["results"]] == [cast.programme.slug]
    cities = json.loads(api.get(f"/api/v1/programmes/{cast.programme.slug}/cities").content)
    assert [c["id"] for c in cities["results"]] == [cast.city_a.pk]
    kpis = json.loads(api.get(f"/api/v1/cities/{cast.city_a.pk}/kpis").content)
    assert [k["id"] for k in kpis["results"]] == [roadmap.kpi.pk]
    measured = json.loads(api.get(kpis["results"][0]["measurements_url"]).content)
    assert measured["count"] == 1 and measured["results"][0]["value"] == "990.0000"


def test_the_programme_team_sees_every_city(contract: Contract, roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    api = _client(contract, cast, "organiser")
    cities = json.loads(api.get(f"/api/v1/programmes/{cast.programme.slug}/cities").content)
    assert {c["id"] for c in cities["results"]} == {cast.city_a.pk, cast.city_b.pk, cast.mentor_city.pk}


def test_rep_of_city_b_cannot_read_city_a_kpis(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_b")
    for path in (
        f"/api/v1/cities/{roadmap.cast.city_a.pk}",
        f"/api/v1/cities/{roadmap.cast.city_a.pk}/kpis",
        f"/api/v1/kpis/{roadmap.kpi.pk}",
        f"/api/v1/kpis/{roadmap.kpi.pk}/measurements",
        "/api/v1/kpis/999999",
    ):
        assert api.get(path).status_code == 404, path


def test_someone_without_a_role_sees_no_programme(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "outsider")
    assert json.loads(api.get("/api/v1/programmes").content)["count"] == 0
    assert api.get(f"/api/v1/programmes/{roadmap.cast.programme.slug}").status_code == 404


def test_an_owner_whose_role_ended_sees_less_at_once(contract: Contract, roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    api = _client(contract, cast, "rep_a")
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 200
    Role.objects.filter(person=cast.person("rep_a"), kind=RoleKind.CITY_REP).delete()
    assert api.get(f"/api/v1/kpis/{roadmap.kpi.pk}").status_code == 404
    assert api.get(f"/api/v1/cities/{cast.city_a.pk}").status_code == 404
    assert json.loads(api.get("/api/v1/programmes").content)["count"] == 0


def test_past_its_rate_a_token_gets_429_with_retry_after(
    contract: Contract, roadmap: RoadmapCast, settings: Settings
) -> None:
    settings.API_TOKEN_RATE_LIMIT = 3
    api = _client(contract, roadmap.cast, "rep_a")
    other = _client(contract, roadmap.cast, "rep_a")
    path = f"/api/v1/kpis/{roadmap.kpi.pk}"
    assert [api.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(path)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.API_TOKEN_RATE_WINDOW
    assert other.get(path).status_code == 200, "each token has its own rate"


def test_answers_are_private_with_an_etag_and_304(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    path = f"/api/v1/kpis/{roadmap.kpi.pk}/measurements"
    first = api.get(path)
    assert first["Cache-Control"] == "private, no-cache" and "Authorization" in first["Vary"]
    again = api.get(path, **{"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    _measure(roadmap.kpi, 1)
    Measurement.objects.filter(kpi=roadmap.kpi, date=dt.date(2020, 1, 1)).update(value=Decimal(5))
    assert api.get(path, **{"if-none-match": first["ETag"]}).status_code == 200


def test_measurements_page_through_in_date_order(contract: Contract, roadmap: RoadmapCast) -> None:
    _measure(roadmap.kpi, 30)
    api = _client(contract, roadmap.cast, "rep_a")
    first = json.loads(api.get(f"/api/v1/kpis/{roadmap.kpi.pk}/measurements", {"limit": 20}).content)
    assert first["count"] == 31 and len(first["results"]) == 20 and first["previous"] is None
    second = json.loads(api.get(first["next"]).content)
    assert len(second["results"]) == 11 and second["next"] is None
    dates = [m["date"] for m in first["results"] + second["results"]]
    assert dates == sorted(dates) and len(set(dates)) == 31


def test_parameters_out_of_range_get_400(contract: Contract, roadmap: RoadmapCast) -> None:
    api = _client(contract, roadmap.cast, "rep_a")
    response = api.get(f"/api/v1/kpis/{roadmap.kpi.pk}/measurements", {"limit": 0})
    assert response.status_code == 400 and json.loads(response.content)["errors"][0]["parameter"] == "limit"


def _queries(api: TokenClient, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def test_lists_take_the_same_number_of_queries_with_ten_times_the_data(
    contract: Contract, roadmap: RoadmapCast
) -> None:
    cast = roadmap.cast
    api = _client(contract, cast, "organiser")
    paths = [
        "/api/v1/programmes",
        f"/api/v1/programmes/{cast.programme.slug}/cities",
        f"/api/v1/cities/{cast.city_a.pk}/kpis",
        f"/api/v1/kpis/{roadmap.kpi.pk}/measurements",
    ]
    _measure(roadmap.kpi, 5)
    api.get("/api/v1/programmes")  # the first use writes last_used_at; later ones within a minute do not
    before = {path: _queries(api, path) for path in paths}
    for n in range(30):
        CityFactory.create(programme=cast.programme, name=f"Extra {n}", country="FR", track=cast.city_a.track)
        KPI.objects.create(**{**_fields(roadmap.kpi), "name": f"KPI {n}"})
    Measurement.objects.filter(kpi=roadmap.kpi).delete()
    _measure(roadmap.kpi, 60)
    after = {path: _queries(api, path) for path in paths}
    assert after == before


def _fields(kpi: KPI) -> dict[str, Any]:
    names = ["city", "unit", "direction", "baseline_value", "baseline_date", "baseline_source", "target_value"]
    names += ["target_date", "frequency", "version"]
    return {name: getattr(kpi, name) for name in names}


def test_the_document_describes_the_bearer_scheme_on_every_personal_operation(contract: Contract) -> None:
    schemes = contract.document["components"]["securitySchemes"]
    assert any(s["type"] == "http" and s["scheme"] == "bearer" for s in schemes.values())
    personal = [op for path in contract.document["paths"].values() for op in path.values() if "personal" in op["tags"]]
    assert len(personal) == 12 and all(op.get("security") for op in personal)


def test_actions_follow_the_roadmap_pages(contract: Contract, roadmap: RoadmapCast) -> None:
    cast = roadmap.cast
    rep = _client(contract, cast, "rep_a")
    listed = json.loads(rep.get(f"/api/v1/cities/{cast.city_a.pk}/actions").content)
    assert {a["id"] for a in listed["results"]} == {roadmap.owned.pk, roadmap.draft.pk}
    stakeholder = _client(contract, cast, "stakeholder")
    assert stakeholder.get(f"/api/v1/actions/{roadmap.owned.pk}").status_code == 200, "an owner sees their action"
    assert stakeholder.get(f"/api/v1/actions/{roadmap.draft.pk}").status_code == 404
    other = _client(contract, cast, "rep_b")
    assert other.get(f"/api/v1/cities/{cast.city_a.pk}/actions").status_code == 404
    assert other.get(f"/api/v1/actions/{roadmap.owned.pk}").status_code == 404


def test_tags_follow_the_tag_pages(contract: Contract, tags: TagsCast) -> None:
    cast = tags.cast
    path = f"/api/v1/programmes/{cast.programme.slug}/tags"
    listed = json.loads(_client(contract, cast, "rep_a").get(path).content)
    assert [t["id"] for t in listed["results"]] == [tags.tag.pk]
    assert json.loads(_client(contract, cast, "transversal_expert").get(path).content)["count"] == 0
    assert _client(contract, cast, "outsider").get(path).status_code == 404


def test_action_and_tag_lists_take_the_same_number_of_queries_with_ten_times_the_data(
    contract: Contract, roadmap: RoadmapCast
) -> None:
    from icc.tags.models import Tag

    cast = roadmap.cast
    api = _client(contract, cast, "organiser")
    paths = [f"/api/v1/cities/{cast.city_a.pk}/actions", f"/api/v1/programmes/{cast.programme.slug}/tags"]
    Tag.objects.create(programme=cast.programme, number=1, mentor=cast.mentor_city, theme=cast.city_a.track)
    api.get(paths[0])
    before = {path: _queries(api, path) for path in paths}
    for n in range(20):
        Action.objects.create(
            city=cast.city_a,
            opportunity=roadmap.opportunity,
            cycle=roadmap.owned.cycle,
            version=1,
            title=f"Action {n}",
            starts_on=roadmap.owned.starts_on,
            ends_on=roadmap.owned.ends_on,
            budget=Decimal(1),
        )
        Tag.objects.create(programme=cast.programme, number=n + 2, mentor=cast.mentor_city, theme=None)
    after = {path: _queries(api, path) for path in paths}
    assert after == before


def test_events_follow_the_city_pages_in_a_fixed_number_of_queries(contract: Contract, journey: JourneyCast) -> None:
    from icc.journey.models import Event

    cast = journey.cast
    rep = _client(contract, cast, "rep_a")
    path = f"/api/v1/cities/{cast.city_a.pk}/events"
    listed = json.loads(rep.get(path, {"limit": 100}).content)
    assert journey.event_a.pk in {e["id"] for e in listed["results"]}
    assert rep.get(f"/api/v1/events/{journey.event_a.pk}").status_code == 200
    other = _client(contract, cast, "rep_b")
    assert other.get(path).status_code == 404
    assert other.get(f"/api/v1/events/{journey.event_a.pk}").status_code == 404
    before = _queries(rep, path)
    event = journey.event_a
    for n in range(10):
        Event.objects.create(
            programme=event.programme,
            event_type=event.event_type,
            city=event.city,
            occurrence=100 + n,
            phase=event.phase,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
    assert _queries(rep, path) == before
