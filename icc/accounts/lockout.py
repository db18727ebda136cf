"""The name failed sign-ins are counted under, so that a lock holds whatever the spelling."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from icc.accounts.models import normalise_address


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The normalised address of a sign-in attempt, from its credentials or its form.

    Every spelling of one address (``Mentor@…``, ``MENTOR@…``, `` mentor@… ``) shares
    one failure count and one lock, on the site's sign-in page and the admin's alike.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field, credentials.get("email"))
    elif request is not None:
        value = getattr(request, "data", request.POST).get(field)
    else:
        value = None
    return normalise_address(value) if isinstance(value, str) else value
