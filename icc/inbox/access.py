"""Whose notices are whose: a person opens only their own, and nobody else's exists for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from icc.core.params import MAX_ID
from icc.inbox.models import Notification

if TYPE_CHECKING:
    from icc.accounts.models import Person


def get_notification_for_user(person: Person, pk: int) -> Notification:
    """One of ``person``'s own notices; another person's, or none, is a 404."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    notification = Notification.objects.select_related("actor").filter(pk=pk, person_id=person.pk).first()
    if notification is None:
        raise Http404
    return notification
