"""Citizens' ideas: a city's calls for ideas, the ideas citizens send, and the votes on a shortlist.

A call asks one question ("How could the city reduce its electricity consumption?") for
project ideas, or to prepare the planning of one implementation cycle. It is public once
the city opens it; citizens send ideas while it is open, without an account. The city
moderates every idea before it shows (publish, merge a duplicate into another, decline with
a reason the author reads through their private link), puts a shortlist to a vote (one vote
per browser per idea), and links an idea it takes up to the roadmap action it became.

An author may leave an e-mail address to hear what happened: it is never shown, and it is
erased after ``email_kept_until``. Votes live in ``IdeaVote``, whose table does not raise the
data version (:mod:`icc.core.dataversion`): counts are always read live.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Cycle
from icc.public.languages import CONTENT_LANGUAGE_CHOICES

TITLE_LENGTH = 150
QUESTION_LENGTH = 300
# How long an author's e-mail address is kept after the call's last date (its vote's end,
# or the end of sending ideas): enough to hear whether the city took the idea up.
EMAIL_KEPT_DAYS = 365


class Purpose(models.TextChoices):
    PROJECTS = "projects", _("Ideas for projects")
    CYCLE_PLANNING = "cycle-planning", _("Ideas to prepare the planning of a cycle")


class CallStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("call for ideas", "Draft")
    OPEN = "open", pgettext_lazy("call for ideas", "Open for ideas")
    VOTING = "voting", pgettext_lazy("call for ideas", "Vote open")
    CLOSED = "closed", pgettext_lazy("call for ideas", "Closed")


class IdeaCall(Versioned):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="idea_calls")
    question = models.JSONField(_("question"), default=dict, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.PROJECTS)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("cycle it prepares"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="idea_calls",
    )
    opens_on = models.DateField(_("ideas from"), validators=[validators.validate_day])
    closes_on = models.DateField(_("ideas until"), validators=[validators.validate_day])
    voting_opens_on = models.DateField(_("vote from"), null=True, blank=True, validators=[validators.validate_day])
    voting_closes_on = models.DateField(_("vote until"), null=True, blank=True, validators=[validators.validate_day])
    status = models.CharField(_("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    vote_closed_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="idea_call_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(voting_closes_on__isnull=True)
                | Q(voting_opens_on__isnull=True)
                | Q(voting_closes_on__gte=F("voting_opens_on")),
                name="idea_call_vote_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(purpose="projects", cycle__isnull=True) | Q(purpose="cycle-planning", cycle__isnull=False),
                name="idea_call_cycle_only_for_planning",
            ),
        ]

    def __str__(self) -> str:
        texts = self.question or {}
        text = texts.get("en") or next(iter(texts.values()), "")
        return str(text)[:80] or f"call {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("ideas:call", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status != CallStatus.DRAFT

    def takes_ideas(self, today: dt.date) -> bool:
        return self.status == CallStatus.OPEN and self.opens_on <= today <= self.closes_on

    def takes_votes(self, today: dt.date) -> bool:
        return (
            self.status == CallStatus.VOTING
            and self.voting_opens_on is not None
            and self.voting_closes_on is not None
            and self.voting_opens_on <= today <= self.voting_closes_on
        )

    @property
    def results_public(self) -> bool:
        """Vote counts are shown once the city has closed the vote, never while it runs."""
        return self.vote_closed_at is not None and self.status == CallStatus.CLOSED

    @property
    def last_day(self) -> dt.date:
        return max(day for day in (self.closes_on, self.voting_closes_on) if day is not None)


class IdeaState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    MERGED = "merged", _("Merged into a similar idea")
    DECLINED = "declined", _("Declined")
    SHORTLISTED = "shortlisted", _("On the shortlist")


# What anyone may open at the idea's own address; the others only through the author's link.
PUBLIC_STATES = (IdeaState.PUBLISHED, IdeaState.SHORTLISTED, IdeaState.MERGED)
# What the call's page lists.
LISTED_STATES = (IdeaState.PUBLISHED, IdeaState.SHORTLISTED)


class Idea(models.Model):
    call = models.ForeignKey(IdeaCall, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    text = models.TextField(_("your idea"), max_length=lengths.NOTE)
    language = models.CharField(_("written in"), max_length=5, choices=CONTENT_LANGUAGE_CHOICES)
    # The language of the page the idea was sent from: the author's e-mails are written in it.
    reply_language = models.CharField(max_length=5, default=settings.LANGUAGE_CODE)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    email_kept_until = models.DateField(null=True, blank=True, validators=[validators.validate_day])
    state = models.CharField(_("state"), max_length=12, choices=IdeaState.choices, default=IdeaState.PENDING)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    decline_reason = models.TextField(_("reason"), max_length=lengths.NOTE, blank=True)
    action = models.ForeignKey(
        "roadmaps.Action",
        verbose_name=_("roadmap action it became"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    # A keyed hash of the call and the normalised words: the same idea is taken once.
    fingerprint = models.CharField(max_length=64)
    # With the site's secret key, makes the author's private link (see icc.ideas.links).
    secret = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "fingerprint"], name="idea_sent_once_per_call"),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False) | ~Q(state="merged"),
                name="idea_merged_has_target",
            ),
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES


class IdeaVote(models.Model):
    """One browser's vote for one idea on a shortlist; the key is a keyed hash of the browser
    and the call (:func:`icc.public.participation.participant_key`), never the browser itself."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    participant = models.CharField(max_length=64)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "participant"], name="idea_vote_once_per_browser"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.participant[:8]}…"
