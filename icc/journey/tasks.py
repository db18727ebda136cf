"""E-mails about deliverables, sent in the background."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from icc.cities.models import RoleKind
from icc.journey.models import Review, Submission


def _link(submission: Submission) -> str:
    return settings.SITE_URL + reverse(
        "journey:milestone", kwargs={"pk": submission.city_id, "milestone_pk": submission.milestone_id}
    )


@task()
def notify_submission(*, submission_id: int) -> None:
    """Tell the city's lead expert that a version awaits their review."""
    submission = Submission.objects.select_related("city", "milestone__deliverable_type", "submitted_by").get(
        pk=submission_id
    )
    experts = [r.person.email for r in submission.city.roles.filter(kind=RoleKind.LEAD_EXPERT).select_related("person")]
    if not experts:
        return
    subject = _("%(city)s submitted %(deliverable)s") % {"city": submission.city, "deliverable": submission}
    body = _("%(who)s submitted version %(n)s of %(deliverable)s for %(city)s. Review it here:\n\n%(link)s\n") % {
        "who": submission.submitted_by,
        "n": submission.number,
        "deliverable": submission.milestone,
        "city": submission.city,
        "link": _link(submission),
    }
    send_mail(subject, body, None, experts)


@task()
def notify_review(*, review_id: int) -> None:
    """Tell whoever submitted a version what the lead expert decided."""
    review = Review.objects.select_related(
        "author", "submission__city", "submission__submitted_by", "submission__milestone"
    ).get(pk=review_id)
    submission = review.submission
    subject = _("%(deliverable)s: %(decision)s") % {
        "deliverable": submission,
        "decision": review.get_decision_display(),
    }
    body = _("%(who)s reviewed version %(n)s of %(deliverable)s:\n\n%(comment)s\n\n%(link)s\n") % {
        "who": review.author,
        "n": submission.number,
        "deliverable": submission.milestone,
        "comment": review.comment,
        "link": _link(submission),
    }
    send_mail(subject, body, None, [submission.submitted_by.email])
