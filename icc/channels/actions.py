"""Writing in channels: posts, replies, edits, removals, pins, reactions, direct threads,
and the posts that write themselves (brain-date takeaways, TAG session notes).

Who may do what is decided in :mod:`icc.channels.access`; these functions check what the
data requires and tell the people concerned through their inbox, once the write commits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from icc.channels import access
from icc.channels.models import POST_LENGTH, Attachment, Channel, Kind, Mention, Origin, Post, Reaction, Revision, Visit
from icc.core import uploads
from icc.core.models import AuditKind, record

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from icc.accounts.models import Person
    from icc.programmes.models import Programme
    from icc.tags.models import BrainDate, Session

# "@[Full Name]" mentions someone; at most this many are looked up per post.
MENTION = re.compile(r"@\[([^\]\n]{1,200})\]")
MAX_MENTIONS = 10


def ensure_channels(programme: Programme) -> None:
    """Open the channels the programme should have: the Q&A, one per theme, one per TAG."""
    from icc.programmes.models import Theme
    from icc.tags.models import Tag

    missing = [Channel(programme=programme, kind=Kind.QUESTIONS)]
    missing += [
        Channel(programme=programme, kind=Kind.THEME, theme=theme)
        for theme in Theme.objects.filter(programme=programme, channel__isnull=True)
    ]
    missing += [
        Channel(programme=programme, kind=Kind.TAG, tag=tag)
        for tag in Tag.objects.filter(programme=programme, channel__isnull=True)
    ]
    Channel.objects.bulk_create(missing, ignore_conflicts=True)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > POST_LENGTH:
        raise ValidationError(
            {"body": _("A message is at most %(limit)s characters long.") % {"limit": f"{POST_LENGTH:,}"}}
        )
    return body


def mentioned(channel: Channel, body: str, author: Person) -> list[Person]:
    """The people ``body`` mentions who are in ``channel`` (others are left out, silently)."""
    from icc.accounts.models import Person

    names = list(dict.fromkeys(name.strip() for name in MENTION.findall(body)))[:MAX_MENTIONS]
    found: list[Person] = []
    for name in names:
        candidates = Person.objects.filter(
            full_name__iexact=name, is_active=True, roles__programme=channel.programme
        ).distinct()[:5]
        found += [p for p in candidates if p.pk != author.pk and access.is_in(p, channel)]
    return list(dict.fromkeys(found))


def _notify(kind: str, channel: Channel, post: Post, people: list[int], by: Person) -> None:
    if not people:
        return
    from icc.inbox.actions import notify

    notify(kind=kind, people=people, programme=channel.programme, target=post, actor=by, key="")


def _tell(post: Post, by: Person) -> None:
    """Mentions, the author of the post answered, the other person of a direct thread."""
    from icc.inbox.models import Kind as Notice

    channel = post.channel
    mentions = mentioned(channel, post.body, by)
    Mention.objects.bulk_create([Mention(post=post, person=p) for p in mentions], ignore_conflicts=True)
    told = {p.pk for p in mentions}
    _notify(Notice.MENTION, channel, post, sorted(told), by)
    if post.parent is not None and post.parent.author_id not in told | {by.pk}:
        told.add(post.parent.author_id)
        _notify(Notice.REPLY, channel, post, [post.parent.author_id], by)
    if channel.kind == Kind.DIRECT:
        others = [pk for pk in channel.people.values_list("pk", flat=True) if pk not in told | {by.pk}]
        _notify(Notice.DIRECT, channel, post, others, by)


def _attach(post: Post, upload: UploadedFile) -> None:
    attachment = Attachment(post=post, original_name=Path(upload.name or "document").name[:200], size=upload.size or 0)
    attachment.document.save(attachment.original_name, upload, save=False)
    attachment.save()


@transaction.atomic
def post_message(
    *, channel: Channel, body: str, by: Person, parent: Post | None = None, upload: UploadedFile | None = None
) -> Post:
    """Write in ``channel`` (answering ``parent`` when given), with at most one file."""
    body = _clean_body(body)
    if parent is not None and (parent.channel_id != channel.pk or parent.parent_id is not None):
        raise ValidationError(_("Answer a message of this channel."))
    if parent is not None and parent.is_removed:
        raise ValidationError(_("This message was removed; it takes no more answers."))
    if upload is not None:
        uploads.check_document(upload)
    now = timezone.now()
    post = Post.objects.create(channel=channel, parent=parent, author=by, body=body, created_at=now)
    if upload is not None:
        _attach(post, upload)
    if parent is not None:
        Post.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1, last_reply_at=now)
    Channel.objects.filter(pk=channel.pk).update(last_post_at=now)
    _tell(post, by)
    return post


@transaction.atomic
def edit_post(*, post: Post, body: str, by: Person) -> Post:
    """Change the words of one's own post; the earlier words are kept in its history."""
    body = _clean_body(body)
    locked = Post.objects.select_for_update(of=("self",)).select_related("channel__programme").get(pk=post.pk)
    if locked.is_removed:
        raise ValidationError(_("This message was removed."))
    if body == locked.body:
        return locked
    Revision.objects.create(post=locked, body=locked.body, written_at=locked.edited_at or locked.created_at)
    locked.body = body
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    known = set(Mention.objects.filter(post=locked).values_list("person_id", flat=True))
    new = [p for p in mentioned(locked.channel, body, by) if p.pk not in known]
    Mention.objects.bulk_create([Mention(post=locked, person=p) for p in new], ignore_conflicts=True)
    from icc.inbox.models import Kind as Notice

    _notify(Notice.MENTION, locked.channel, locked, [p.pk for p in new], by)
    return locked


@transaction.atomic
def remove_post(*, post: Post, by: Person) -> Post:
    """Remove a post: its words, earlier words and file go; a trace of who and when stays."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.is_removed:
        return locked
    names = [a.document.name for a in locked.attachments.all()]
    by_author = locked.author_id == by.pk
    locked.revisions.all().delete()
    locked.attachments.all().delete()
    locked.reactions.all().delete()
    locked.mentions.all().delete()
    locked.body = ""
    locked.removed_at = timezone.now()
    locked.removed_by = by
    locked.pinned_at = None
    locked.pinned_by = None
    locked.save(update_fields=["body", "removed_at", "removed_by", "pinned_at", "pinned_by"])
    # Recorded once the words are gone, so the trail keeps who removed it, not what it said.
    record(
        obj=locked,
        action=AuditKind.CHANNEL_POST_REMOVED,
        actor=by,
        changes={"channel": locked.channel_id, "by": "author" if by_author else "moderator"},
    )
    storage = Attachment._meta.get_field("document").storage

    def delete_files() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)
    return locked


def pin(*, post: Post, pinned: bool, by: Person) -> Post:
    post.pinned_at = timezone.now() if pinned else None
    post.pinned_by = by if pinned else None
    post.save(update_fields=["pinned_at", "pinned_by"])
    return post


def react(*, post: Post, emoji: str, by: Person) -> bool:
    """Add ``emoji`` to ``post``, or take it back if it was there; True if it is there now."""
    if post.is_removed:
        raise ValidationError(_("This message was removed."))
    deleted, _rows = Reaction.objects.filter(post=post, person=by, emoji=emoji).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, person=by, emoji=emoji)
    except IntegrityError:  # the same click twice at once
        pass
    return True


@transaction.atomic
def open_direct(*, programme: Programme, people: list[Person]) -> Channel:
    """The direct thread of these two people in ``programme``, opened the first time."""
    first, second = people
    existing = Channel.objects.filter(programme=programme, kind=Kind.DIRECT, people=first).filter(people=second).first()
    if existing is not None:
        return existing
    channel = Channel.objects.create(programme=programme, kind=Kind.DIRECT)
    channel.people.set([first, second])
    return channel


def note_visit(*, person: Person, channel: Channel, last_id: int) -> int:
    """Remember the newest post ``person`` has seen here; returns the one seen before."""
    visit, created = Visit.objects.get_or_create(person=person, channel=channel, defaults={"last_seen": last_id})
    if created:
        return 0
    if last_id > visit.last_seen:
        Visit.objects.filter(pk=visit.pk).update(last_seen=last_id)
    return visit.last_seen


def _post_automatic(*, channel: Channel, key: str, origin: str, body: str, by: Person) -> Post | None:
    """Post ``body`` for ``key`` once, and keep that post up to date when it is recorded again."""
    body = body.strip()[:POST_LENGTH]
    existing = Post.objects.filter(origin_key=key).first()
    if existing is None:
        if not body:
            return None
        now = timezone.now()
        post = Post.objects.create(channel=channel, author=by, body=body, origin=origin, origin_key=key, created_at=now)
        Channel.objects.filter(pk=channel.pk).update(last_post_at=now)
        return post
    if existing.is_removed or existing.body == body or not body:
        return existing
    Revision.objects.create(post=existing, body=existing.body, written_at=existing.edited_at or existing.created_at)
    existing.body = body
    existing.edited_at = timezone.now()
    existing.save(update_fields=["body", "edited_at"])
    return existing


def _common_channel(programme: Programme, cities: list[Any]) -> Channel:
    """The narrowest channel every one of ``cities`` is in: their TAG, their theme, or the Q&A."""
    from icc.tags.models import Membership

    ensure_channels(programme)
    tags = {m.city_id: m.tag_id for m in Membership.objects.filter(city__in=cities)}
    mentors = {c.pk: t for c in cities for t in c.led_tags.values_list("pk", flat=True)[:1]}
    groups = {tags.get(c.pk) or mentors.get(c.pk) for c in cities}
    group = groups.pop() if len(groups) == 1 else None
    if group is not None:
        return Channel.objects.get(tag_id=group)
    tracks = {c.track_id for c in cities}
    track = tracks.pop() if len(tracks) == 1 else None
    if track is not None:
        return Channel.objects.get(theme_id=track)
    return Channel.objects.get(programme=programme, kind=Kind.QUESTIONS)


def post_takeaways(*, brain_date: BrainDate, by: Person) -> Post | None:
    """The top 3 takeaways of a brain date, in the channel its cities share."""
    lab = brain_date.lab
    takeaways = [t for t in (brain_date.takeaway_1, brain_date.takeaway_2, brain_date.takeaway_3) if t.strip()]
    cities = list(brain_date.cities.all())
    heading = _("Takeaways of %(brain_date)s at %(lab)s") % {"brain_date": brain_date, "lab": lab}
    names = ", ".join(sorted(c.name for c in cities))
    lines = [f"**{heading}** ({names})", "", *(f"{n}. {t.strip()}" for n, t in enumerate(takeaways, start=1))]
    channel = _common_channel(lab.programme, cities)
    return _post_automatic(
        channel=channel, key=f"brain-date:{brain_date.pk}", origin=Origin.TAKEAWAYS, body="\n".join(lines), by=by
    )


def post_session_notes(*, session: Session, by: Person) -> Post | None:
    """A TAG session's notes, in the TAG's channel."""
    ensure_channels(session.tag.programme)
    channel = Channel.objects.get(tag=session.tag)
    heading = _("Notes of %(session)s on %(day)s") % {
        "session": session,
        "day": date_format(timezone.localtime(session.starts_at).date()),
    }
    body = f"**{heading}**\n\n{session.notes.strip()}" if session.notes.strip() else ""
    return _post_automatic(channel=channel, key=f"session:{session.pk}", origin=Origin.SESSION_NOTES, body=body, by=by)
