"""Thematic action groups, cross-city labs and awards.

A TAG is one mentor city with five to seven core cities, formed by an optimiser from the
cities' themes, the mentors they asked for and how alike they are. A TAG picks a topic,
meets in working sessions where each city commits to something until the next one, and
without its mentor in progress trackers. Cross-city labs match cities on each other's
projects; awards are nominated, voted on and revealed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.core.versioning import Versioned
from icc.programmes.models import Programme, Theme

# Formation -----------------------------------------------------------------------------


class MentorPreference(models.Model):
    """A mentor a core city asked for in its expression of interest, ranked."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="mentor_preferences")
    mentor = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ["city", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["city", "rank"], name="one_mentor_per_rank"),
            models.UniqueConstraint(fields=["city", "mentor"], name="mentor_ranked_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="mentor_rank_1_to_3"),
            models.CheckConstraint(condition=~Q(city=F("mentor")), name="no_self_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.city} → {self.mentor} ({self.rank})"


class MentorCapacity(models.Model):
    """How many TAGs a mentor city can lead in the edition (one when not set)."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="tag_capacity")
    tags = models.PositiveSmallIntegerField(_("TAGs it can lead"), default=1, validators=[validators.MENTOR_CAPACITY])

    def __str__(self) -> str:
        return f"{self.city}: {self.tags}"


class RuleKind(models.TextChoices):
    PIN = "pin", _("Must be together")
    FORBID = "forbid", _("Must not be together")


class PairingRule(models.Model):
    """The programme team's decision about one core city and one mentor, kept for every run."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="pairing_rules")
    mentor = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=6, choices=RuleKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "mentor"], name="one_rule_per_pair")]

    def __str__(self) -> str:
        return f"{self.city} {self.kind} {self.mentor}"


class FormationRun(models.Model):
    """One run of the optimiser: its settings, what it proposed and whether it was adopted."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tag_runs")
    min_size = models.PositiveSmallIntegerField(_("fewest core cities per TAG"), default=5)
    max_size = models.PositiveSmallIntegerField(_("most core cities per TAG"), default=7)
    status = models.CharField(max_length=12)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    adopted_at = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme} run {self.pk} ({self.status})"


class Tag(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tags")
    number = models.PositiveSmallIntegerField()
    mentor = models.ForeignKey(City, on_delete=models.PROTECT, related_name="led_tags")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="tags")
    run = models.ForeignKey(FormationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="tags")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="tag_number_unique")]

    def __str__(self) -> str:
        theme = self.theme.name if self.theme else ""
        return str(
            _("TAG %(number)s · %(theme)s · %(mentor)s")
            % {"number": self.number, "theme": theme, "mentor": self.mentor}
        )

    def get_absolute_url(self) -> str:
        return reverse("tags:tag", kwargs={"pk": self.pk})


class Membership(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="memberships")
    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="tag_membership")
    explanation = models.TextField(_("why this TAG"), blank=True, max_length=lengths.NOTE)

    class Meta:
        ordering = ["city__name"]

    def __str__(self) -> str:
        return f"{self.city} in {self.tag}"


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


# TAG life ------------------------------------------------------------------------------


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


# Cross-city labs -----------------------------------------------------------------------


class Lab(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="labs")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), validators=[validators.validate_day])
    picks_close_on = models.DateField(_("picks close on"), validators=[validators.validate_day])
    min_group = models.PositiveSmallIntegerField(
        _("smallest brain date"), default=2, validators=[validators.BRAIN_DATE_SIZE]
    )
    max_group = models.PositiveSmallIntegerField(
        _("largest brain date"), default=5, validators=[validators.BRAIN_DATE_SIZE]
    )
    matching = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tags:lab", kwargs={"pk": self.pk})


class Project(models.Model):
    """A project a city brings to a lab, or its slowest-moving one with its barriers."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="projects")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="lab_projects")
    title = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), max_length=lengths.TEXT)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=80)
    slowest = models.BooleanField(_("our slowest-moving project"), default=False)
    barriers = models.TextField(_("barriers"), blank=True, max_length=lengths.TEXT)
    questions = models.TextField(_("questions for peers"), blank=True, max_length=lengths.TEXT)

    class Meta:
        ordering = ["city__name", "title"]
        constraints = [models.UniqueConstraint(fields=["lab", "city", "title"], name="project_title_unique")]

    def __str__(self) -> str:
        return f"{self.city.name}: {self.title}"


class Pick(models.Model):
    """One of a city's top five peer projects at a lab."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="picks")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="lab_picks")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="picks")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["city", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "city", "rank"], name="one_pick_per_rank"),
            models.UniqueConstraint(fields=["lab", "city", "project"], name="project_picked_once"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=5), name="pick_rank_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.city} #{self.rank}: {self.project}"


class BrainDate(Versioned):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="brain_dates")
    number = models.PositiveSmallIntegerField()
    cities = models.ManyToManyField(City, related_name="brain_dates")
    explanation = models.TextField(blank=True, max_length=lengths.NOTE)
    takeaway_1 = models.TextField(_("first takeaway"), blank=True, max_length=lengths.NOTE)
    takeaway_2 = models.TextField(_("second takeaway"), blank=True, max_length=lengths.NOTE)
    takeaway_3 = models.TextField(_("third takeaway"), blank=True, max_length=lengths.NOTE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["lab", "number"], name="brain_date_number_unique")]

    def __str__(self) -> str:
        return str(_("Brain date %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("tags:brain_date", kwargs={"pk": self.pk})


class UseCase(models.Model):
    """A use case a city brings for joint procurement; cities are grouped by category."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="use_cases")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="use_cases")
    category = models.CharField(_("what the city wants to buy"), max_length=80)
    description = models.TextField(_("use case"), max_length=lengths.TEXT)

    class Meta:
        ordering = ["category", "city__name"]
        constraints = [models.UniqueConstraint(fields=["lab", "city", "category"], name="use_case_unique")]

    def __str__(self) -> str:
        return f"{self.city}: {self.category}"


# Awards --------------------------------------------------------------------------------


class Award(models.TextChoices):
    STRATEGY = "strategy", _("Most innovative strategy")
    MENTOR = "mentor", _("Best mentor")
    COMMUNITY = "community", _("Best community member")


class Nomination(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="nominations")
    award = models.CharField(_("award"), max_length=10, choices=Award.choices)
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("why"), max_length=lengths.NOTE)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(city__isnull=False, person__isnull=True) | Q(city__isnull=True, person__isnull=False)),
                name="nominee_is_a_city_or_a_person",
            ),
            models.UniqueConstraint(fields=["programme", "award", "city"], name="city_nominated_once"),
            models.UniqueConstraint(fields=["programme", "award", "person"], name="person_nominated_once"),
        ]

    def __str__(self) -> str:
        return str(self.city or self.person)


class Vote(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    award = models.CharField(max_length=10, choices=Award.choices)
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "award", "voter"], name="one_vote_per_award")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.nomination}"


class Reveal(models.Model):
    """The programme team revealed an award's result; before that only the team sees counts."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    award = models.CharField(max_length=10, choices=Award.choices)
    revealed_at = models.DateTimeField(auto_now_add=True)
    revealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "award"], name="one_reveal_per_award")]

    def __str__(self) -> str:
        return f"{self.programme} {self.award}"
