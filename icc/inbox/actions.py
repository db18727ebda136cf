"""Changes to the inbox: notices made, read and settled, and how often a digest comes.

:func:`notify` is what the other apps call. It writes in the caller's own transaction
rather than after it: a notice then commits or rolls back with the change it reports, so
it is never lost after a commit nor left behind by a rollback, and a producer that may
run twice (the daily scan, a post edited) passes a ``key`` so that each person gets it
once. Who may be told is for the producer to decide; what the notice shows is decided
again when it is read (:mod:`icc.inbox.targets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from icc.core.models import AuditKind, record
from icc.inbox.models import KEY_LENGTH, Frequency, Kind, Notification, Subscription
from icc.inbox.targets import check_target

if TYPE_CHECKING:
    from django.db.models import Model

    from icc.accounts.models import Person
    from icc.programmes.models import Programme

BATCH = 1_000


def notify(
    *,
    kind: str,
    people: Iterable[int],
    programme: Programme,
    target: Model,
    actor: Person | None = None,
    key: str = "",
    params: dict[str, Any] | None = None,
) -> None:
    """One unread notice of ``kind`` about ``target`` for each of ``people`` (ids), except ``actor``.

    With a ``key``, a person who already has a notice with that key gets no second one.
    """
    Kind(kind)  # an unknown kind fails here, not when the notice is read
    check_target(kind, target)
    if len(key) > KEY_LENGTH:
        raise ValueError(f"a notice key has at most {KEY_LENGTH} characters")
    skip = actor.pk if actor is not None else None
    now = timezone.now()
    rows = [
        Notification(
            person_id=person_id,
            programme_id=programme.pk,
            kind=kind,
            target_id=target.pk,
            actor=actor,
            key=key,
            params=params or {},
            created_at=now,
        )
        for person_id in sorted(set(people))
        if person_id != skip
    ]
    create(rows)


def create(rows: Sequence[Notification]) -> None:
    """Write prepared notices; one whose person already has its key is left out."""
    if rows:
        Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=notification.read_at)


def mark_all_read(*, person: Person) -> int:
    return Notification.objects.filter(person=person, read_at=None).update(read_at=timezone.now())


def put_away(notifications: Iterable[Notification]) -> None:
    """Mark read the unread notices whose target their person can no longer open, so that
    they are no longer counted; they are never shown either way."""
    ids = [n.pk for n in notifications if n.read_at is None]
    if ids:
        Notification.objects.filter(pk__in=ids, read_at=None).update(read_at=timezone.now())


def settle(*, kind: str, target_id: int, key_prefix: str = "") -> int:
    """Mark read everyone's unread notices of ``kind`` about ``target_id`` once what they
    asked for is done (a budget signed off, a follow-up closed, a KPI measured)."""
    notices = Notification.objects.filter(kind=kind, target_id=target_id, read_at=None)
    if key_prefix:
        notices = notices.filter(key__startswith=key_prefix)
    return notices.update(read_at=timezone.now())


# Digest frequency ----------------------------------------------------------------------


def frequency_of(person: Person) -> str:
    found = Subscription.objects.filter(person=person).values_list("frequency", flat=True).first()
    return found or Frequency.WEEKLY


@transaction.atomic
def set_frequency(*, person: Person, frequency: str, by: Person | None) -> Subscription:
    """How often ``person`` gets the digest; ``by`` is None for the unsubscribe link."""
    frequency = Frequency(frequency)
    subscription, _created = Subscription.objects.select_for_update().get_or_create(person=person)
    if subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save(update_fields=["frequency"])
        record(obj=person, action=AuditKind.PREFERENCES_CHANGED, actor=by, changes={"digest": frequency.value})
    return subscription


def unsubscribe(*, person: Person) -> Subscription:
    """The one-click unsubscribe: no more digests, whoever follows the link."""
    return set_frequency(person=person, frequency=Frequency.NEVER, by=None)


__all__ = ["mark_all_read", "mark_read", "notify", "set_frequency", "settle", "unsubscribe"]
