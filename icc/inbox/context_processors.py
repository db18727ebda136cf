"""The number of unread notices beside the "Inbox" link: one indexed count, none for visitors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from icc.inbox.models import Notification


def inbox(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": Notification.objects.filter(person_id=user.pk, read_at=None).count()}
