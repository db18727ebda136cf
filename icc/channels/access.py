"""Who is in which channel, and who may write, pin, edit and remove.

Channels are for "direct communication between all programme participants and mentors,
experts and organising team" and "not for discussions with external stakeholders": the
programme team, the experts and the representatives, mayors and mentors of the cities
use them; ecosystem stakeholders and the public never open one (404).

- A **theme** channel is open to the thematic experts of that theme and the people of the
  cities on that track, as a toolbox item shared with the theme is.
- A **TAG** channel to the people who open that TAG (its cities, its mentor, its experts).
- The **questions and answers** channel to everyone taking part.
- A **direct** thread only to its two people, while both still take part; the programme
  team opens every channel except other people's direct threads.

Anyone in a channel writes in it and reacts; experts and the programme team pin;
the author edits; the author or the programme team (the moderators) removes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from icc.channels.models import Attachment, Channel, Kind, Post
from icc.cities.access import get_programme_for_user
from icc.cities.roles import is_programme_team, roles_of
from icc.core.params import MAX_ID
from icc.library.access import is_expert, may_use_library, my_themes
from icc.programmes.models import Programme
from icc.tags.access import visible_tags

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Someone = Person | AnonymousUser


def may_use_channels(person: Someone, programme: Programme) -> bool:
    """The people who open the toolbox are those who talk in channels: no stakeholders."""
    return may_use_library(person, programme)


def visible_channels(person: Someone, programme: Programme) -> QuerySet[Channel]:
    channels = Channel.objects.filter(programme=programme)
    if not may_use_channels(person, programme):
        return channels.none()
    direct = Q(kind=Kind.DIRECT, people=person)
    if is_programme_team(person, programme):
        return channels.filter(~Q(kind=Kind.DIRECT) | direct)
    return channels.filter(
        Q(kind=Kind.QUESTIONS)
        | Q(kind=Kind.THEME, theme__in=my_themes(person, programme))
        | Q(kind=Kind.TAG, tag__in=visible_tags(person, programme))
        | direct
    )


def channels_of(person: Someone) -> QuerySet[Channel]:
    """Every channel ``person`` is in, across the programmes they take part in."""
    if not person.is_authenticated:
        return Channel.objects.none()
    programmes = Programme.objects.filter(pk__in=roles_of(person).values("programme")).distinct()
    reach = Q(pk__in=[])
    for programme in programmes:
        reach |= Q(pk__in=visible_channels(person, programme).values("pk"))
    return Channel.objects.filter(reach)


def openable_posts(person: Someone, ids: Iterable[int] | None, *, read_once: bool = False) -> QuerySet[Post]:
    """The posts among ``ids`` (all with None) that ``person`` may open now (a removed post
    opens as its trace). With ``read_once`` their channels are read now into a list, for a
    query that checks many posts one by one (the search)."""
    channels: Any = channels_of(person).values("pk")
    if read_once:
        channels = [row["pk"] for row in channels]
    posts = Post.objects.filter(channel__in=channels)
    return posts if ids is None else posts.filter(pk__in=list(ids))


def is_in(person: Someone, channel: Channel) -> bool:
    if not visible_channels(person, channel.programme).filter(pk=channel.pk).exists():
        return False
    if channel.kind == Kind.DIRECT:  # a direct thread lasts while both still take part
        return all(may_use_channels(p, channel.programme) for p in channel.people.all())
    return True


def get_channels_for_user(person: Someone, slug: str) -> Programme:
    programme = get_programme_for_user(person, slug)
    if not may_use_channels(person, programme):
        raise Http404
    return programme


def get_channel_for_user(person: Someone, pk: int) -> Channel:
    """A channel ``person`` is in; 404 alike for one that does not exist and one they are not in."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    channel = Channel.objects.select_related("programme", "theme", "tag__theme", "tag__mentor").filter(pk=pk).first()
    if channel is None or not is_in(person, channel):
        raise Http404
    return channel


def get_post_for_user(person: Someone, pk: int, *, write: bool = False) -> Post:
    """A post in a channel ``person`` is in; with ``write``, one they wrote and may still edit."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    post = Post.objects.select_related("channel__programme", "author").filter(pk=pk).first()
    if post is None or not is_in(person, post.channel):
        raise Http404
    if write and (post.author_id != person.pk or post.is_removed):
        raise PermissionDenied
    return post


def get_attachment_for_user(person: Someone, pk: int) -> Attachment:
    if not 0 < pk <= MAX_ID:
        raise Http404
    attachment = Attachment.objects.select_related("post").filter(pk=pk).first()
    if attachment is None or attachment.post.is_removed:
        raise Http404
    get_post_for_user(person, attachment.post_id)
    return attachment


def may_moderate(person: Someone, programme: Programme) -> bool:
    return is_programme_team(person, programme)


def may_pin(person: Someone, programme: Programme) -> bool:
    return is_programme_team(person, programme) or is_expert(person, programme)


def may_remove(person: Someone, post: Post) -> bool:
    return not post.is_removed and (post.author_id == person.pk or may_moderate(person, post.channel.programme))


def require_remover(person: Someone, post: Post) -> None:
    if not may_remove(person, post):
        raise PermissionDenied


def require_pinner(person: Someone, post: Post) -> None:
    if post.parent_id is not None or post.is_removed or not may_pin(person, post.channel.programme):
        raise PermissionDenied


def may_write_to(person: Someone, other: Person, programme: Programme) -> bool:
    """Start a direct thread: with someone one has seen write in a shared channel, or anyone
    taking part for the programme team (whose people pages list them already)."""
    if other.pk == person.pk or not may_use_channels(other, programme):
        return False
    if is_programme_team(person, programme):
        return True
    return Post.objects.filter(author=other, channel__in=visible_channels(person, programme)).exists()
