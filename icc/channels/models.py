"""Channels: the programme's own conversations, instead of a chat tool outside it.

There is one channel per theme, one per TAG, one for the whole programme's questions and
answers, and direct threads between two people taking part. Who is in a theme, TAG or
programme channel is never stored: it follows the roles people hold today (see
:mod:`icc.channels.access`), so a role that ends closes the channel at once. Only a
direct thread keeps its two people.

A post is Markdown, shown sanitised; it may answer a post (one level of replies), carry a
file that passed the uploads gate, be pinned, edited (each earlier text is kept) and
removed, which leaves a trace of who removed it and when but not the words.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core import validators
from icc.programmes.models import Programme, Theme
from icc.tags.models import Tag

POST_LENGTH = 10_000


class Kind(models.TextChoices):
    THEME = "theme", _("Theme")
    TAG = "tag", _("TAG")
    QUESTIONS = "questions", _("Questions and answers")
    DIRECT = "direct", _("Direct")


class Channel(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    theme = models.OneToOneField(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="channel")
    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="channel")
    # The two people of a direct thread; empty for every other kind.
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="direct_channels")
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    last_post_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="theme", theme__isnull=False, tag=None)
                    | Q(kind="tag", tag__isnull=False, theme=None)
                    | Q(kind__in=["questions", "direct"], theme=None, tag=None)
                ),
                name="channel_kind_matches",
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(kind="questions"), name="channel_one_questions_per_programme"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == Kind.THEME and self.theme is not None:
            return self.theme.name
        if self.kind == Kind.TAG and self.tag is not None:
            return str(self.tag)
        return str(self.get_kind_display())

    def get_absolute_url(self) -> str:
        return reverse("channels:channel", kwargs={"pk": self.pk})


class Origin(models.TextChoices):
    WRITTEN = "written", _("Written")
    TAKEAWAYS = "takeaways", _("Brain-date takeaways")
    SESSION_NOTES = "session-notes", _("TAG session notes")


class PostQuerySet(models.QuerySet["Post"]):
    def top_level(self) -> PostQuerySet:
        return self.filter(parent=None)


class Post(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=POST_LENGTH, help_text=_("Markdown."))
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.WRITTEN)
    # What an automatic post stands for ("brain-date:12"): posted once, then kept up to date.
    origin_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    edited_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    removed_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pinned_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0)
    last_reply_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["channel", "id"], condition=Q(parent=None), name="channel_post_top_level"),
            models.Index(fields=["parent", "id"], name="channel_post_replies"),
            models.Index(fields=["channel"], condition=Q(pinned_at__isnull=False), name="channel_post_pinned"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["origin_key"], condition=~Q(origin_key=""), name="channel_post_origin")
        ]

    def __str__(self) -> str:
        if self.removed_at is not None:
            return str(_("A removed message"))
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    def get_absolute_url(self) -> str:
        if self.parent_id is not None:
            return f"{reverse('channels:thread', kwargs={'pk': self.parent_id})}#post-{self.pk}"
        return reverse("channels:thread", kwargs={"pk": self.pk})

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Revision(models.Model):
    """An earlier text of a post, kept when it was edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=POST_LENGTH)
    written_at = models.DateTimeField(validators=[validators.validate_day])

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.written_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"channels/{instance.post.channel_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    document = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Emoji(models.TextChoices):
    THUMBS_UP = "thumbs-up", "👍"
    HEART = "heart", "❤️"
    TADA = "tada", "🎉"
    EYES = "eyes", "👀"
    CHECK = "check", "✅"


EMOJI_NAMES = {
    Emoji.THUMBS_UP: _("Agree"),
    Emoji.HEART: _("Love it"),
    Emoji.TADA: _("Celebrate"),
    Emoji.EYES: _("Looking into it"),
    Emoji.CHECK: _("Done"),
}


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=12, choices=Emoji.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person", "emoji"], name="channel_reaction_once")]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.post_id}"


class Mention(models.Model):
    """Someone a post mentions who is in its channel: they are told in their inbox."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="channel_mention_once")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.post_id}"


class Visit(models.Model):
    """The last post a person saw in a channel: what came after is new to them."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    last_seen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "channel"], name="channel_visit_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.channel_id}"
