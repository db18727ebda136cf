"""The demo's inboxes: what the platform itself would have told each demo sign-in by now.

Every notice is about something real in the demo and made the way the platform makes it:
the day's scan, then the reviews of the city representative's deliverables, the newest
toolbox items for those who may open them, and what the demo people own that is overdue.
The channels and the roadmaps add theirs as they load. Each notice has its producer's
key, so running the demo again changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from icc.accounts.models import Person
from icc.cities.demo import PERSONA_EMAILS
from icc.inbox import actions
from icc.inbox.models import Kind, Notification
from icc.inbox.scan import scan
from icc.journey.models import FollowUp, Review
from icc.library.access import visible_items
from icc.library.models import Item
from icc.programmes.models import Programme
from icc.roadmaps.models import OPEN_STATUSES, Action

NEWEST_ITEMS = 4


@transaction.atomic
def record_demo_inbox(*, programme: Programme) -> int:
    """The demo sign-ins' notices; returns how many were added."""
    before = Notification.objects.filter(programme=programme).count()
    today = timezone.localdate()
    scan(today=today)
    people = list(Person.objects.filter(email__in=PERSONA_EMAILS.values()))
    for review in Review.objects.filter(
        submission__city__programme=programme, submission__submitted_by__in=people
    ).select_related("submission")[:3]:
        actions.notify(
            kind=Kind.REVIEWED,
            people=[review.submission.submitted_by_id],
            programme=programme,
            target=review,
            actor=review.author,
            key=f"review:{review.pk}",
        )
    for item in (
        Item.objects.filter(programme=programme).select_related("added_by").order_by("-added_at")[:NEWEST_ITEMS]
    ):
        readers = [p.pk for p in people if visible_items(p, programme).filter(pk=item.pk).exists()]
        actions.notify(
            kind=Kind.LIBRARY_ITEM,
            people=readers,
            programme=programme,
            target=item,
            actor=item.added_by,
            key=f"library-item:{item.pk}",
        )
    for person in people:
        for action in Action.objects.owned_by(person).filter(
            city__programme=programme, status__in=OPEN_STATUSES, ends_on__lt=today
        )[:2]:
            actions.notify(
                kind=Kind.ACTION_OVERDUE,
                people=[person.pk],
                programme=programme,
                target=action,
                key=f"action:{action.pk}:{action.ends_on.isoformat()}",
            )
        for follow_up in FollowUp.objects.filter(
            owner=person, city__programme=programme, done_at=None, due_on__lt=today
        )[:2]:
            actions.notify(
                kind=Kind.FOLLOW_UP_OVERDUE,
                people=[person.pk],
                programme=programme,
                target=follow_up,
                key=f"follow-up:{follow_up.pk}:{follow_up.due_on.isoformat()}",
            )
        _read_the_oldest(person)
    return Notification.objects.filter(programme=programme).count() - before


def _read_the_oldest(person: Person) -> None:
    """So that the demo shows read and unread notices side by side (once: never again after)."""
    notices = Notification.objects.filter(person=person)
    if notices.count() > 2 and not notices.filter(read_at__isnull=False).exists():
        oldest = notices.order_by("created_at", "pk").first()
        if oldest is not None:
            actions.mark_read(notification=oldest)
