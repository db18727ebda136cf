"""What the API answers a personal access token: the programmes, cities and KPIs its owner may open."""

import datetime as dt
from decimal import Decimal

from ninja import Field

from icc.api.schemas import Out, Page


class Programme(Out):
    slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    url: str


class City(Out):
    id: int
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    type: str = Field(description="As stored: eu_core, eu_mentor, …")
    population: int | None
    programme: str = Field(description="The programme's short name.")
    url: str


class Kpi(Out):
    id: int
    city: int = Field(description="The city's id.")
    name: str
    unit: str
    direction: str = Field(description='"up" or "down".')
    baseline_value: Decimal
    baseline_date: dt.date
    target_value: Decimal
    target_date: dt.date
    frequency: str
    url: str
    measurements_url: str


class Measurement(Out):
    date: dt.date
    value: Decimal
    source: str


class Action(Out):
    id: int
    city: int = Field(description="The city's id.")
    title: str
    kind: str = Field(description="As stored.")
    starts_on: dt.date
    ends_on: dt.date
    url: str


class Event(Out):
    id: int
    city: int | None = Field(description="The city's id; null for an event of the whole programme.")
    programme: str = Field(description="The programme's short name.")
    type: str = Field(description="The kind of event, as the programme names it.")
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str = Field(description="As stored: planned, held, cancelled.")
    url: str


class Tag(Out):
    id: int
    number: int
    mentor: int = Field(description="The id of the mentor city that leads it.")
    theme: str | None


class ProgrammePage(Page):
    results: list[Programme]


class CityPage(Page):
    results: list[City]


class KpiPage(Page):
    results: list[Kpi]


class MeasurementPage(Page):
    results: list[Measurement]


class ActionPage(Page):
    results: list[Action]


class TagPage(Page):
    results: list[Tag]


class EventPage(Page):
    results: list[Event]
