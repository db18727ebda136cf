"""A page's posts as they are shown: sanitised HTML with mentions marked, reactions
counted, files listed and what the reader may do with each, in a fixed number of queries
whatever the number of posts."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.safestring import SafeString, mark_safe

from icc.channels import access
from icc.channels.models import EMOJI_NAMES, Attachment, Channel, Emoji, Mention, Post, Reaction
from icc.core import markdown

if TYPE_CHECKING:
    from icc.accounts.models import Person

PER_PAGE = 20
HTML_TIMEOUT = 24 * 3600
# "@[Name]" as it stands in the rendered HTML (the name already escaped by the renderer).
_MENTION = re.compile(r"@\[([^\]<\n]{1,200})\]")
_TAG = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class Tally:
    emoji: str
    symbol: str
    name: str
    count: int
    mine: bool


@dataclass
class Shown:
    post: Post
    html: SafeString
    reactions: list[Tally]
    attachments: list[Attachment]
    may_edit: bool
    may_remove: bool
    may_pin: bool
    is_new: bool = False
    offered: list[Tally] = field(default_factory=list)


def _marked(rendered: str, names: set[str]) -> SafeString:
    """Mark the mentions of people who are in the channel; leave any other "@[...]" as written."""

    def mark(match: re.Match[str]) -> str:
        if html.unescape(match.group(1)).strip().casefold() not in names:
            return match.group(0)
        return f'<strong class="mention">@{match.group(1)}</strong>'

    # Only in text between tags: a "@[...]" inside an attribute (a link's title) stays as it is.
    parts = _TAG.split(rendered)
    marked = [part if part.startswith("<") else _MENTION.sub(mark, part) for part in parts]
    return mark_safe("".join(marked))  # noqa: S308 - the name is the renderer's escaped text


def _key(post: Post) -> str:
    return f"channels:html:{post.pk}:{post.edited_at.timestamp() if post.edited_at else 0}"


def _bodies(posts: list[Post], names: dict[int, set[str]]) -> dict[int, SafeString]:
    """Each shown post's HTML, rendered once per version of its words and then cached."""
    live = [p for p in posts if not p.is_removed]
    cached = cache.get_many([_key(p) for p in live])
    fresh = {_key(p): _marked(markdown.render(p.body), names.get(p.pk, set())) for p in live if _key(p) not in cached}
    if fresh:
        cache.set_many({key: str(value) for key, value in fresh.items()}, timeout=HTML_TIMEOUT)
    rendered = {**cached, **fresh}
    return {p.pk: mark_safe(rendered[_key(p)]) for p in live}  # noqa: S308 - sanitised by markdown.render


def show(posts: Iterable[Post], reader: Person, channel: Channel, *, seen: int) -> dict[int, Shown]:
    """Each post of ``posts`` by id, ready for the template (posts after ``seen`` are new)."""
    ids = list(dict.fromkeys(p.pk for p in posts))
    by_id = {p.pk: p for p in Post.objects.filter(pk__in=ids).select_related("author", "removed_by", "pinned_by")}
    tallies: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)
    counted = (
        Reaction.objects.filter(post__in=ids)
        .values("post", "emoji")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(person=reader)))
        .order_by()
    )
    for row in counted:
        tallies[row["post"]][row["emoji"]] = (row["n"], bool(row["mine"]))
    files: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(post__in=ids):
        files[attachment.post_id].append(attachment)
    names: dict[int, set[str]] = defaultdict(set)
    for post_id, name in Mention.objects.filter(post__in=ids).values_list("post", "person__full_name"):
        names[post_id].add(name.strip().casefold())
    bodies = _bodies([by_id[pk] for pk in ids], names)
    moderator = access.may_moderate(reader, channel.programme)
    pinner = access.may_pin(reader, channel.programme)
    result: dict[int, Shown] = {}
    for pk in ids:
        post = by_id[pk]
        removed = post.is_removed
        counts = tallies.get(pk, {})
        reactions = [
            Tally(value, str(label), str(EMOJI_NAMES[Emoji(value)]), counts[value][0], counts[value][1])
            for value, label in Emoji.choices
            if value in counts
        ]
        offered = [
            Tally(value, str(label), str(EMOJI_NAMES[Emoji(value)]), 0, value in counts and counts[value][1])
            for value, label in Emoji.choices
        ]
        result[pk] = Shown(
            post=post,
            html=bodies.get(pk, mark_safe("")),
            reactions=reactions,
            attachments=files.get(pk, []),
            may_edit=not removed and post.author_id == reader.pk,
            may_remove=not removed and (post.author_id == reader.pk or moderator),
            may_pin=not removed and pinner and post.parent_id is None,
            is_new=pk > seen and post.author_id != reader.pk,
            offered=offered,
        )
    return result
