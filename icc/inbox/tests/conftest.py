"""A world with one thing of every kind a notice points at, in city A and city B."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model

from conftest import Cast, JourneyCast, RoadmapCast, TagsCast
from icc.inbox.actions import notify
from icc.inbox.models import Kind, Notification
from icc.journey.models import Review
from icc.library.models import Audience, Form, Item
from icc.library.models import Kind as ItemKind


@dataclass
class World:
    cast: Cast
    journey: JourneyCast
    roadmap: RoadmapCast
    tags: TagsCast
    review: Review
    item: Item  # shared with everyone taking part
    city_item: Item  # shared with city A's team only
    post: Any  # a post in the channel of city A's theme, or None without the channels

    def targets(self) -> dict[str, tuple[Model, dict[str, Any]]]:
        """A target (and params) for each kind, all in city A or its TAG, open to ``rep_a``."""
        found: dict[str, tuple[Model, dict[str, Any]]] = {
            Kind.REVIEWED: (self.review, {}),
            Kind.SIGN_OFF: (self.cast.city_a, {"cycle": 1}),
            Kind.KPI_DUE: (self.roadmap.kpi, {"due": "2027-01-31"}),
            Kind.KPI_LATE: (self.roadmap.kpi, {"due": "2026-12-31"}),
            Kind.SESSION_TOMORROW: (self.tags.session, {}),
            Kind.FOLLOW_UP_OVERDUE: (self.journey.follow_up_a, {}),
            Kind.LIBRARY_ITEM: (self.city_item, {}),
            Kind.ACTION_OVERDUE: (self.roadmap.draft, {}),
        }
        if self.post is not None:
            for kind in (Kind.MENTION, Kind.REPLY, Kind.DIRECT):
                found[kind] = (self.post, {})
        return found

    def tell(self, persona: str, kind: str, *, actor: str | None = "lead_expert", key: str = "") -> Notification:
        target, params = self.targets()[kind]
        person = self.cast.person(persona)
        notify(
            kind=kind,
            people=[person.pk],
            programme=self.cast.programme,
            target=target,
            actor=self.cast.person(actor) if actor else None,
            key=key,
            params=params,
        )
        return Notification.objects.filter(person=person, kind=kind).latest("pk")

    def tell_everything(self, persona: str, *, times: int = 1) -> list[Notification]:
        return [self.tell(persona, kind) for _ in range(times) for kind in self.targets()]


def _theme_post(cast: Cast) -> Any:
    try:
        from icc.channels.models import Channel, Post
    except ImportError:  # pragma: no cover - the channels are part of the platform
        return None
    channel = Channel.objects.create(programme=cast.programme, kind="theme", theme=cast.city_a.track)
    return Post.objects.create(channel=channel, author=cast.person("lead_expert"), body="Who has a heat map?")


@pytest.fixture
def world(journey: JourneyCast, roadmap: RoadmapCast, tags: TagsCast) -> World:
    cast = journey.cast
    review = Review.objects.create(
        submission=journey.submission_a, author=cast.person("lead_expert"), decision="comment", comment="Add maps."
    )
    organiser = cast.person("organiser")
    item = Item.objects.create(
        programme=cast.programme, kind=ItemKind.GUIDANCE, form=Form.LINK, title="Handbook", added_by=organiser
    )
    city_item = Item.objects.create(
        programme=cast.programme,
        kind=ItemKind.CASE_MATERIAL,
        form=Form.LINK,
        title="Alphaville's heat map",
        audience=Audience.CITY,
        audience_city=cast.city_a,
        added_by=organiser,
    )
    return World(cast, journey, roadmap, tags, review, item, city_item, _theme_post(cast))
