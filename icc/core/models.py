"""The audit trail: who changed what, when, and from which source."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    """The closed set of things the audit trail records; the stored value never changes."""

    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    ROLE_ADDED = "role_added", _("Role added")
    ROLE_REMOVED = "role_removed", _("Role removed")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    STRATEGY_SAVED = "strategy_saved", _("Strategy saved")
    STRATEGY_COMMENTED = "strategy_commented", _("Strategy commented")
    SOLUTION_ADDED = "solution_added", _("Solution added")
    SOLUTION_CHANGED = "solution_changed", _("Solution changed")
    SOLUTIONS_FROM_ASSESSMENT = "solutions_from_assessment", _("Solutions added from the self-assessment")
    OPPORTUNITY_ADDED = "opportunity_added", _("Opportunity added")
    OPPORTUNITY_CHANGED = "opportunity_changed", _("Opportunity changed")
    ACTION_ADDED = "action_added", _("Action added")
    ACTION_CHANGED = "action_changed", _("Action changed")
    PROGRESS_REPORTED = "progress_reported", _("Progress reported")
    ACTION_REALLOCATED = "action_reallocated", _("Action re-allocated")
    TOP_OPPORTUNITIES_SET = "top_opportunities_set", _("Top opportunities set")
    BUDGET_SIGNED_OFF = "budget_signed_off", _("Budget signed off")
    CYCLE_PLAN_CONFIRMED = "cycle_plan_confirmed", _("Cycle plan confirmed")
    KPI_ADDED = "kpi_added", _("KPI added")
    KPI_CHANGED = "kpi_changed", _("KPI changed")
    KPI_MEASURED = "kpi_measured", _("KPI measured")
    SUBMITTED = "submitted", _("Submitted")
    DRAFT_SAVED = "draft_saved", _("Draft saved")
    REOPENED = "reopened", _("Reopened")
    INDICATORS_SUBMITTED = "indicators_submitted", _("Indicator values submitted")
    INDICATORS_SAVED = "indicators_saved", _("Indicator values saved")
    INDICATORS_REOPENED = "indicators_reopened", _("Indicator values reopened")
    PEER_POPULATION_CONFIRMED = "peer_population_confirmed", _("Population for peers confirmed")
    SURVEY_OPENED = "survey_opened", _("Survey opened")
    SURVEY_CLOSING_CHANGED = "survey_closing_changed", _("Survey closing date changed")
    SURVEY_CLOSED = "survey_closed", _("Survey closed")
    INVITATIONS_SENT = "invitations_sent", _("Invitations sent")
    SHARE_LINK_RENEWED = "share_link_renewed", _("Share link renewed")
    RESULTS_RELEASED = "results_released", _("Results released")
    EVENT_MOVED = "event_moved", _("Event moved")
    EVENT_RECORDED = "event_recorded", _("Event held or cancelled")
    FOLLOW_UP_ADDED = "follow_up_added", _("Follow-up added")
    FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
    ACHIEVEMENT_TICKED = "achievement_ticked", _("Achievement ticked")
    ACHIEVEMENT_UNTICKED = "achievement_unticked", _("Achievement unticked")
    DATES_CHANGED = "dates_changed", _("Dates changed")
    PAIRING_RULE_ADDED = "pairing_rule_added", _("Pairing rule added")
    PAIRING_RULE_REMOVED = "pairing_rule_removed", _("Pairing rule removed")
    MENTOR_CAPACITIES_SET = "mentor_capacities_set", _("Mentor capacities set")
    TAG_FORMATION_RUN = "tag_formation_run", _("TAG formation run")
    TAGS_FORMED = "tags_formed", _("TAGs formed")
    BRAIN_DATES_FORMED = "brain_dates_formed", _("Brain dates formed")
    MENTOR_PREFERENCES_SET = "mentor_preferences_set", _("Mentor preferences set")
    TOPIC_PROPOSED = "topic_proposed", _("Topic proposed")
    TOPIC_VOTE = "topic_vote", _("Topic vote")
    TOPIC_CHOSEN = "topic_chosen", _("Topic chosen")
    SESSION_PREPARED = "session_prepared", _("Session prepared")
    COMMITMENT_MADE = "commitment_made", _("Commitment made")
    COMMITMENT_FOLLOWED_UP = "commitment_followed_up", _("Commitment followed up")
    SECOND_MENTOR_ASKED = "second_mentor_asked", _("Second mentor asked")
    SECOND_MENTOR_ANSWERED = "second_mentor_answered", _("Second mentor answered")
    PROJECT_ADDED = "project_added", _("Project added")
    PROJECT_CHANGED = "project_changed", _("Project changed")
    PICKS_SAVED = "picks_saved", _("Picks saved")
    TAKEAWAYS_RECORDED = "takeaways_recorded", _("Takeaways recorded")
    AWARD_NOMINATION = "award_nomination", _("Award nomination")
    AWARD_VOTE = "award_vote", _("Award vote")
    AWARD_REVEALED = "award_revealed", _("Award revealed")
    REVIEWED = "reviewed", _("Reviewed")
    LAB_ADDED = "lab_added", _("Cross-city lab added")
    USE_CASE_ADDED = "use_case_added", _("Use case added")
    CALENDAR_ISSUED = "calendar_issued", _("Calendar address issued")
    CALENDAR_REVOKED = "calendar_revoked", _("Calendar address revoked")
    PREFERENCES_CHANGED = "preferences_changed", _("Preferences changed")
    PUBLIC_PAGE_SAVED = "public_page_saved", _("Public page settings saved")
    PUBLIC_PAGE_PUBLISHED = "public_page_published", _("Public page published")
    PUBLIC_PAGE_UNPUBLISHED = "public_page_unpublished", _("Public page unpublished")
    IDEA_CALL_ADDED = "idea_call_added", _("Call for ideas added")
    IDEA_CALL_CHANGED = "idea_call_changed", _("Call for ideas changed")
    IDEA_CALL_OPENED = "idea_call_opened", _("Call for ideas opened")
    IDEA_CALL_CLOSED = "idea_call_closed", _("Call for ideas closed")
    IDEA_VOTE_OPENED = "idea_vote_opened", _("Vote on ideas opened")
    IDEA_VOTE_CLOSED = "idea_vote_closed", _("Vote on ideas closed")
    IDEA_PUBLISHED = "idea_published", _("Idea published")
    IDEA_DECLINED = "idea_declined", _("Idea declined")
    IDEA_MERGED = "idea_merged", _("Idea merged")
    IDEA_SHORTLISTED = "idea_shortlisted", _("Idea shortlisted")
    IDEA_TAKEN_UP = "idea_taken_up", _("Idea linked to a roadmap action")
    QUESTION_ADDED = "question_added", _("Question added")
    QUESTION_CHANGED = "question_changed", _("Question changed")
    QUESTION_REMOVED = "question_removed", _("Question removed")
    CONSULTATION_OPENED = "consultation_opened", _("Consultation opened")
    CONSULTATION_CLOSED = "consultation_closed", _("Consultation closed")
    CONSULTATION_REMOVED = "consultation_removed", _("Consultation removed")
    CONSULTATION_RESULTS_PUBLISHED = "consultation_results_published", _("Consultation results published")
    CONSULTATION_RESULTS_UNPUBLISHED = "consultation_results_unpublished", _("Consultation results unpublished")
    ANSWER_SHOWN = "answer_shown", _("Answer shown")
    ANSWER_HIDDEN = "answer_hidden", _("Answer hidden")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("Personal answers erased")
    LIBRARY_ITEM_ADDED = "library_item_added", _("Added to the toolbox")
    LIBRARY_VERSION_ADDED = "library_version_added", _("New version in the toolbox")
    DELIVERABLE_OFFERED = "deliverable_offered", _("Final deliverable shared in the toolbox")
    LIBRARY_ITEM_CHANGED = "library_item_changed", _("Toolbox item changed")
    LIBRARY_ITEM_REMOVED = "library_item_removed", _("Removed from the toolbox")
    CHANNEL_POST_REMOVED = "channel_post_removed", _("Message removed from a channel")
    MARKET_WRITTEN = "market_written", _("Marketplace content written")
    MARKET_SUBMITTED = "market_submitted", _("Submitted for marketplace review")
    MARKET_PUBLISHED = "market_published", _("Published in the marketplace")
    MARKET_REFUSED = "market_refused", _("Refused for the marketplace")
    MARKET_REPORTED = "market_reported", _("Marketplace content reported")
    MARKET_MERGED = "market_merged", _("Marketplace solutions merged")
    MARKET_EDITOR_APPOINTED = "market_editor_appointed", _("Marketplace editor appointed")
    DEPLOYMENT_CLAIMED = "deployment_claimed", _("Deployment recorded")
    DEPLOYMENT_CONFIRMED = "deployment_confirmed", _("Deployment confirmed by the city")
    CHALLENGE_SHARED = "challenge_shared", _("Challenge shared by another city")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("Own personal data downloaded")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure of personal data asked for")
    ERASURE_CONFIRMED = "erasure_confirmed", _("Personal data erased on request")
    ERASURE_DECLINED = "erasure_declined", _("Erasure of personal data declined")
    ERASURE_REFUSED = "erasure_refused", _("Erasure of personal data refused")
    RETENTION_APPLIED = "retention_applied", _("Personal data erased after its retention period")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"


def record(
    *, obj: models.Model, action: AuditKind, actor: Any = None, changes: dict[str, Any] | None = None, source: str = ""
) -> AuditEntry:
    """Write one entry of the audit trail for ``obj``; ``action`` must be one of :class:`AuditKind`."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=AuditKind(action),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        source=source[:200],
    )


class DataVersion(models.Model):
    """One number that grows with every committed change to the programme's data.

    Rendered fragments are cached under it (:mod:`icc.core.dataversion`), so a change
    makes every earlier fragment unreachable in the same transaction that writes it.
    """

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")

    def __str__(self) -> str:
        return str(self.number)
