"""Channels' URLs in the permission matrix.

Channels are for the people taking part (PROGRAMME_MEMBERS); stakeholders and outsiders
get 404. Each check sets up, once, the programme's questions channel with a message of
the organiser carrying a file, and a TAG of cities A and B led by the mentor city. The organiser
is the message's author and a moderator; experts and the programme team pin.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    PROGRAMME,
    PROGRAMME_MEMBERS,
    REDIRECT,
    TAG_MEMBERS,
    Kwargs,
    Routes,
)

BAD_FORM = 400


def _channels(c: Any) -> dict[str, Any]:
    existing = getattr(c, "channels_matrix", None)
    if existing is not None:
        return existing
    from django.core.files.base import ContentFile

    from icc.channels.actions import ensure_channels
    from icc.channels.models import Attachment, Channel, Kind, Post
    from icc.journey.tests.test_deliverable_content import pdf
    from icc.tags.models import Tag

    # The TAGs fixture's TAG when it is there (a city belongs to one TAG), else the same shape.
    tag = Tag.objects.filter(programme=c.programme, memberships__city=c.city_a).first()
    if tag is None:
        tag = Tag.objects.create(programme=c.programme, number=7, theme=c.city_a.track, mentor=c.mentor_city)
        tag.memberships.create(city=c.city_a)
        tag.memberships.create(city=c.city_b)
    ensure_channels(c.programme)
    channel = Channel.objects.get(programme=c.programme, kind=Kind.QUESTIONS)
    post = Post.objects.create(channel=channel, author=c.person("organiser"), body="Welcome")
    attachment = Attachment(post=post, original_name="agenda.pdf", size=10)
    attachment.document.save("agenda.pdf", ContentFile(pdf()), save=False)
    attachment.save()
    c.channels_matrix = {"channel": channel, "post": post, "attachment": attachment, "tag": tag}
    return c.channels_matrix


CHANNEL: Kwargs = lambda c: {"pk": _channels(c)["channel"].pk}  # noqa: E731
POST: Kwargs = lambda c: {"pk": _channels(c)["post"].pk}  # noqa: E731
FILE: Kwargs = lambda c: {"pk": _channels(c)["attachment"].pk}  # noqa: E731
TAG: Kwargs = lambda c: {"pk": _channels(c)["tag"].pk}  # noqa: E731
DIRECT: Kwargs = lambda c: {"slug": c.programme.slug, "person_pk": _channels(c)["post"].author_id}  # noqa: E731


def _as(status: int, table: dict[str, int] = PROGRAMME_MEMBERS) -> dict[str, int]:
    return {p: status if s == OK else s for p, s in table.items()}


AUTHOR_OK = _as(FORBIDDEN) | {"organiser": OK}
AUTHOR_BAD_FORM = _as(FORBIDDEN) | {"organiser": BAD_FORM}
REMOVERS = _as(FORBIDDEN) | {"organiser": REDIRECT}
PINNERS = _as(FORBIDDEN) | dict.fromkeys(
    ("organiser", "lead_expert", "thematic_expert", "transversal_expert"), REDIRECT
)
# Everyone writes to the organiser, whose message they have read; the organiser not to themself.
WRITERS = _as(REDIRECT) | {"organiser": NOT_FOUND}

ROUTES: Routes = {
    "channels:list": ("get", PROGRAMME, PROGRAMME_MEMBERS),
    "channels:channel": ("get", CHANNEL, PROGRAMME_MEMBERS),
    # The poller's fragment; asked without htmx, it sends the reader to the page itself.
    "channels:new": ("get", CHANNEL, _as(REDIRECT)),
    "channels:post": ("post", CHANNEL, _as(BAD_FORM)),
    "channels:thread": ("get", POST, PROGRAMME_MEMBERS),
    "channels:thread_new": ("get", POST, _as(REDIRECT)),
    "channels:reply": ("post", POST, _as(BAD_FORM)),
    "channels:edit": [("get", POST, AUTHOR_OK), ("post", POST, AUTHOR_BAD_FORM)],
    "channels:history": ("get", POST, PROGRAMME_MEMBERS),
    "channels:remove": ("post", POST, REMOVERS),
    "channels:pin": ("post", POST, PINNERS),
    "channels:unpin": ("post", POST, PINNERS),
    # An empty reaction is refused with a message on the page it came from.
    "channels:react": ("post", POST, _as(REDIRECT)),
    "channels:direct": ("post", DIRECT, WRITERS),
    "channels:tag": ("get", TAG, _as(REDIRECT, TAG_MEMBERS)),
    "channels:download": ("get", FILE, PROGRAMME_MEMBERS),
}
