"""What the open API answers and what it accepts, as OpenAPI describes it.

Every field is always present (``null`` when it has no value) and no other field is, so a
client can rely on the document at ``/api/v1/openapi.json``. Codes are given as stored,
each with an English label; ``url`` is an item's address in this API and ``page_url`` its
public page.
"""

import datetime as dt
from enum import StrEnum
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, model_validator

from icc.core.params import MAX_ID
from icc.marketplace.vocabulary import DATA_MODEL, Function

SEARCH_LENGTH = 200
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
# Deeper than any programme's content; it keeps the database's offset arithmetic in range.
MAX_OFFSET = 1_000_000
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,50}$"


class Out(Schema):
    """An answer's part: exactly the fields declared, so the OpenAPI document cannot drift from it."""

    model_config = ConfigDict(extra="forbid")


class Code(Out):
    code: str = Field(description="As stored.")
    label: str = Field(description="In English.")


class SdgTarget(Out):
    code: str = Field(description='A target of the UN Sustainable Development Goals, as the UN writes it ("11.2").')
    goal: int | None = Field(description="The goal it belongs to, 1 to 17.")
    label: str = Field(description="The name of that goal.")


class ThemeRef(Out):
    id: int
    name: str


class CityRef(Out):
    id: int
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")


class SolutionRef(Out):
    id: int
    name: str
    url: str


class ProviderRef(Out):
    id: int
    name: str
    url: str | None = Field(description="The provider's record in this API; null while it is not published.")


class Deployment(Out):
    """A deployment its city confirmed."""

    city: CityRef
    started_on: dt.date
    scale: str
    outcome: str


class CityDeployment(Out):
    solution: SolutionRef
    started_on: dt.date
    scale: str
    outcome: str


class Published(Out):
    id: int
    url: str
    page_url: str
    published_at: dt.datetime | None = Field(description="When the reviewers published it, where recorded.")
    updated_at: dt.datetime


class Solution(Published):
    name: str
    summary: str
    provider: ProviderRef
    city: CityRef | None = Field(description="The city whose team described it; null for a provider's own.")
    themes: list[ThemeRef]
    functions: list[Code] = Field(description="Technology functions.")
    mims: list[Code] = Field(description="OASC Minimal Interoperability Mechanisms.")
    data_models: list[str] = Field(description="FIWARE Smart Data Models entity names.")
    ngsi_ld: bool = Field(description="Offers an NGSI-LD interface.")
    standards: str = Field(description="Other standards, in words.")
    cost_model: Code
    licence: Code | None = Field(description="An SPDX licence expression.")
    repository: str | None = Field(description="Where its source code is.")
    development: Code = Field(description="Development status.")
    sdgs: list[SdgTarget]
    deployment_count: int = Field(description="Cities that confirmed they deploy it.")


class SolutionDetail(Solution):
    requirements: str = Field(description="Technical requirements.")
    deployments: list[Deployment]


class Provider(Published):
    name: str
    kind: Code
    country: str
    website: str | None
    city: CityRef | None = Field(description="The city that is the provider, for a city's own solutions.")
    solution_count: int = Field(description="Its published solutions.")
    deployment_count: int = Field(description="Confirmed deployments of its published solutions.")


class ProviderDetail(Provider):
    solutions: list[SolutionRef]


class Challenge(Published):
    title: str
    context: str
    city: CityRef
    theme: ThemeRef
    functions: list[Code] = Field(description="Technology functions needed.")
    data_models: list[str]
    sdgs: list[SdgTarget]
    budget_min_eur: int | None
    budget_max_eur: int | None
    needed_by: dt.date | None
    shared_by_count: int = Field(description='Other cities that said "we have this too".')


class ChallengeDetail(Challenge):
    shared_by: list[CityRef]


class CityProfile(Published):
    id: int = Field(description="The city's id.")
    name: str
    country: str
    type: Code
    population: int | None
    track: ThemeRef | None = Field(description="The city's thematic track.")
    summary: str
    open_data_portal: str | None
    open_data_charter: bool
    platforms: str
    mims: list[Code] = Field(description="OASC MIMs adopted.")
    procurement: str = Field(description="How the city buys innovation.")
    procurement_contact: str | None
    tenders: str = Field(description="Upcoming tenders.")


class CityProfileDetail(CityProfile):
    deployments: list[CityDeployment] = Field(description="Published solutions the city confirmed it deploys.")


class Page(Out):
    count: int = Field(description="All the items the filters match.")
    next: str | None
    previous: str | None


class SolutionPage(Page):
    results: list[Solution]


class ProviderPage(Page):
    results: list[Provider]


class ChallengePage(Page):
    results: list[Challenge]


class CityProfilePage(Page):
    results: list[CityProfile]


class ParameterError(Out):
    location: str = Field(description='Where the parameter is: "path" or "query".')
    parameter: str
    message: str


class Problem(Out):
    detail: str
    errors: list[ParameterError] = Field(description="Each parameter that was refused, and why.")


class Standard(StrEnum):
    """What the ``standard`` filter takes: an OASC MIM (as :class:`Mim` numbers them) or NGSI-LD."""

    MIM1 = "MIM1"
    MIM2 = "MIM2"
    MIM3 = "MIM3"
    MIM4 = "MIM4"
    MIM5 = "MIM5"
    MIM6 = "MIM6"
    MIM7 = "MIM7"
    NGSI_LD = "ngsi-ld"


class Params(BaseModel):
    """Query parameters; an empty one counts as absent, as a form sends it."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: object) -> object:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value != ""}
        return data


class PageParams(Params):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class SolutionFilters(Params):
    q: str = Field("", max_length=SEARCH_LENGTH, description="Words, each of which the solution holds.")
    theme: int | None = Field(None, ge=1, le=MAX_ID, description="A theme's id.")
    sdg: int | None = Field(None, ge=1, le=17, description="A Sustainable Development Goal.")
    function: Function | None = Field(None, description="A technology function.")
    standard: Standard | None = Field(None, description='An OASC MIM, or "ngsi-ld".')
    data_model: str | None = Field(None, pattern=DATA_MODEL.pattern, description="A Smart Data Models entity name.")
    country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="Deployed (and confirmed) in a city of this country."
    )
    size: Literal["small", "medium", "large"] | None = Field(
        None, description="Deployed (and confirmed) in a city under 100,000, up to 500,000 or over 500,000 people."
    )
