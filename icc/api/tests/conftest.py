"""A marketplace with published and hidden content, and a client that checks every answer
against the OpenAPI document the API serves."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from conftest import Cast
from icc.cities.models import City
from icc.marketplace import actions
from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Review, Solution

HIDDEN = (Review.DRAFT, Review.SUBMITTED, Review.REFUSED)
HIDDEN_WORD = "Secretive"  # in the name of everything that is not published


@dataclass
class Market:
    cast: Cast
    provider: Provider
    lights: Solution
    platform: Solution
    challenge: Challenge
    profile: CityProfile
    hidden: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/api/v1/programmes/{self.cast.programme.slug}/marketplace"


def provider(cast: Cast, name: str, review: str = Review.PUBLISHED, **fields: Any) -> Provider:
    values = {"programme": cast.programme, "kind": "sme", "country": "DE", "website": "https://example.org/", **fields}
    return Provider.objects.create(name=name, review=review, created_by=cast.person("organiser"), **values)


def solution(cast: Cast, name: str, by: Provider, review: str = Review.PUBLISHED, **fields: Any) -> Solution:
    values: dict[str, Any] = {
        "programme": cast.programme,
        "summary": "Dims the lights when nobody is there.",
        "functions": ["lighting", "sensing"],
        "data_models": ["Streetlight"],
        "cost_model": "subscription",
        "city": cast.city_a,
        **fields,
    }
    themes = values.pop("themes", [cast.city_a.track])
    made = actions.save_solution(
        solution=Solution(provider=by, name=name, **values),
        themes=themes,
        by=cast.person("organiser"),
    )
    Solution.objects.filter(pk=made.pk).update(review=review)
    made.refresh_from_db()
    return made


def deploy(cast: Cast, what: Solution, city: Any, *, confirmed: bool = True) -> Deployment:
    return Deployment.objects.create(
        solution=what,
        city=city,
        started_on=dt.date(2025, 3, 1),
        scale="120 street lights",
        outcome="A third less electricity.",
        claimed_by=cast.person("organiser"),
        confirmed_by=cast.person("organiser") if confirmed else None,
        confirmed_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC) if confirmed else None,
    )


def challenge(cast: Cast, title: str, review: str = Review.PUBLISHED) -> Challenge:
    made = actions.save_challenge(
        challenge=Challenge(
            city=cast.city_a,
            title=title,
            context="Street lighting is a fifth of the electricity bill.",
            theme=cast.city_a.track,
            functions=["lighting"],
            data_models=["Streetlight"],
            sdgs=["7.3"],
            budget_min=100_000,
            budget_max=400_000,
            needed_by=dt.date(2026, 12, 31),
        ),
        by=cast.person("rep_a"),
    )
    Challenge.objects.filter(pk=made.pk).update(review=review)
    return made


def profile(cast: Cast, city: Any, review: str = Review.PUBLISHED, summary: str = "A port city.") -> CityProfile:
    made = actions.save_profile(
        profile=CityProfile(city=city, summary=summary, open_data_portal="https://example.org/data", mims=["MIM1"]),
        by=cast.person("organiser"),
    )
    CityProfile.objects.filter(pk=made.pk).update(review=review)
    made.refresh_from_db()
    return made


@pytest.fixture
def market(cast: Cast) -> Market:
    """Two published solutions of a published provider (one deployed and confirmed in city B,
    claimed unconfirmed in the mentor city), a published challenge of city A shared by city B,
    city A's published profile; and of each kind, one hidden item per unpublished review state."""
    # Sizes for the size filter: city B is small, the mentor city large.
    City.objects.filter(pk=cast.city_b.pk).update(population=80_000)
    City.objects.filter(pk=cast.mentor_city.pk).update(population=600_000)
    lumen = provider(cast, "Lumen")
    lights = solution(
        cast,
        "Smart street lights",
        lumen,
        mims=["MIM1", "MIM2"],
        sdgs=["7.3", "11.6"],
        licence="EUPL-1.2 OR MIT",
        repository="https://example.org/lights",
    )
    platform = solution(
        cast,
        "Open data platform",
        lumen,
        functions=["data-platform", "open-data"],
        data_models=["AirQualityObserved"],
        ngsi_ld=True,
        cost_model="open-source",
        city=None,
        themes=[],
    )
    deploy(cast, lights, cast.city_b)
    deploy(cast, lights, cast.mentor_city, confirmed=False)
    shared = challenge(cast, "Our street lights burn all night")
    shared.shared_by.add(cast.city_b)
    market = Market(cast, lumen, lights, platform, shared, profile(cast, cast.city_a))
    hidden_providers = [provider(cast, f"{HIDDEN_WORD} provider {review}", review) for review in HIDDEN]
    hidden_solutions = [solution(cast, f"{HIDDEN_WORD} lights {review}", lumen, review) for review in HIDDEN]
    for hidden in hidden_solutions:
        deploy(cast, hidden, cast.city_b)  # confirmed, but of a solution nobody may see
    market.hidden = {
        "providers": hidden_providers,
        "solutions": hidden_solutions,
        "challenges": [challenge(cast, f"{HIDDEN_WORD} need {review}", review) for review in HIDDEN],
        "cities": [
            profile(cast, cast.city_b, Review.DRAFT, HIDDEN_WORD),
            profile(cast, cast.mentor_city, Review.SUBMITTED, HIDDEN_WORD),
        ],
    }
    # A published solution, named with its provider, whose own record is not published.
    parko = provider(cast, "Parko", Review.SUBMITTED)
    solution(cast, "Parking guidance", parko, functions=["mobility"], data_models=[], city=None)
    return market


class Contract:
    """The served OpenAPI document, and the check of an answer against the schema it gives
    for that operation and status (with ``$ref`` resolved into its ``components``)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._paths = [
            (re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template)
            for template in document["paths"]
        ]

    def schema_for(self, path: str, status: int, method: str = "get") -> dict[str, Any]:
        path = path.split("?", 1)[0]
        template = next((t for pattern, t in self._paths if pattern.match(path)), None)
        assert template is not None, f"{path} is not in the OpenAPI document"
        responses = self.document["paths"][template][method]["responses"]
        assert str(status) in responses, f"{method.upper()} {template} does not declare {status}"
        return responses[str(status)]["content"]["application/json"]["schema"]

    def errors(self, schema: dict[str, Any], body: Any) -> list[str]:
        validator = Draft202012Validator(
            {**schema, "components": self.document["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]

    def check(self, path: str, status: int, body: Any) -> None:
        problems = self.errors(self.schema_for(path, status), body)
        assert not problems, f"{path} ({status}) does not match the OpenAPI document: {problems[:5]}"


class ApiClient:
    """An anonymous client whose every JSON answer from an operation is checked against the contract."""

    def __init__(self, contract: Contract) -> None:
        self.client = Client()
        self.contract = contract

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: Any) -> Any:
        response = self.client.get(path, params or {}, **headers)
        if response.status_code in (200, 400, 404) and response["Content-Type"].startswith("application/json"):
            self.contract.check(path, response.status_code, json.loads(response.content))
        return response


@pytest.fixture
def contract(db: None) -> Contract:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return Contract(json.loads(response.content))


@pytest.fixture
def api(contract: Contract) -> ApiClient:
    return ApiClient(contract)
