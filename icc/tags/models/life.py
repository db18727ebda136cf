"""A TAG's life: topics and their votes, sessions, commitments, and second mentors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Theme
from icc.tags.models.formation import Tag


class Topic(models.Model):
    """A topic the mentor proposes; the group's cities vote, and the most voted is chosen."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what it would cover"), blank=True, max_length=lengths.TEXT)
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="topic_votes")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "city"], name="one_topic_vote_per_city")]

    def __str__(self) -> str:
        return f"{self.city}: {self.topic}"


class SessionKind(models.TextChoices):
    WORKING = "working", _("Working session")
    TRACKER = "tracker", _("Progress tracker")


class Session(Versioned):
    """A TAG working session (with the mentor, 60 minutes) or progress tracker (without, 90 minutes)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=8, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts"), validators=[validators.validate_day])
    ends_at = models.DateTimeField(_("ends"), validators=[validators.validate_day])
    agenda = models.TextField(_("agenda"), max_length=lengths.TEXT)
    pre_reads = models.TextField(_("pre-reads"), blank=True, max_length=lengths.TEXT)
    questions = models.TextField(_("discussion questions"), blank=True, max_length=lengths.TEXT)
    notes = models.TextField(_("notes"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "kind", "number"], name="session_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("tags:session", kwargs={"pk": self.pk})

    def previous(self) -> Session | None:
        """The group's session before this one, whose commitments are followed up at this one."""
        return Session.objects.filter(tag_id=self.tag_id, starts_at__lt=self.starts_at).order_by("-starts_at").first()


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not-done", _("Not done")


class Commitment(models.Model):
    """What a city commits to at a session, followed up at the group's next one."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="commitments")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="tag_commitments")
    text = models.TextField(_("commitment until the next session"), max_length=lengths.NOTE)
    status = models.CharField(max_length=8, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    follow_up = models.TextField(_("follow-up"), blank=True, max_length=lengths.NOTE)
    followed_up_in = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="followed_up"
    )

    class Meta:
        ordering = ["city__name", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the mentor")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SecondMentorRequest(models.Model):
    """A core city asks a second mentor for help on one of its secondary themes."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="second_mentor_requests")
    mentor = models.ForeignKey(City, on_delete=models.CASCADE, related_name="second_mentor_requests_received")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(_("what the city would like help with"), max_length=lengths.NOTE)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "theme"], name="one_second_mentor_per_theme")]

    def __str__(self) -> str:
        return f"{self.city} asks {self.mentor} ({self.theme})"
