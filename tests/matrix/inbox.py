"""The inbox's URLs in the permission matrix.

Everyone signed in has an inbox; a notice is its person's alone (404 to anyone else,
mayor A's here: a budget to sign off, which opens on city A's cycle page). The digest
form sent empty is the preferences page again with its error (400). The unsubscribe
link works for whoever holds it, signed in or not; a forged one is a 400 for everyone.
"""

from __future__ import annotations

from typing import Any

from tests.matrix.common import NOT_FOUND, OK, REDIRECT, SIGNED_IN, Kwargs, Routes, everyone

BAD_REQUEST = 400


def _notice_of_mayor_a(c: Any) -> dict[str, Any]:
    existing = getattr(c, "inbox_matrix", None)
    if existing is None:
        from icc.inbox.actions import notify
        from icc.inbox.models import Kind, Notification

        mayor = c.person("mayor_a")
        notify(kind=Kind.SIGN_OFF, people=[mayor.pk], programme=c.programme, target=c.city_a, params={"cycle": 1})
        existing = c.inbox_matrix = {"pk": Notification.objects.get(person=mayor).pk}
    return existing


def _token_of_rep_a(c: Any) -> dict[str, Any]:
    from icc.inbox.tokens import unsubscribe_token

    return {"token": unsubscribe_token(c.person("rep_a"))}


NOTICE: Kwargs = _notice_of_mayor_a
FORGED: Kwargs = lambda c: {"token": "forged-token"}  # noqa: E731
OWNER_ONLY = {**everyone(NOT_FOUND), "mayor_a": REDIRECT, "anonymous": REDIRECT}
SIGNED_IN_REDIRECTED = {**everyone(REDIRECT)}
SIGNED_IN_BAD_FORM = {**everyone(BAD_REQUEST), "anonymous": REDIRECT}

ROUTES: Routes = {
    "inbox:inbox": ("get", lambda c: {}, SIGNED_IN),
    "inbox:open": ("get", NOTICE, OWNER_ONLY),
    "inbox:read": ("post", NOTICE, OWNER_ONLY),
    "inbox:read_all": ("post", lambda c: {}, SIGNED_IN_REDIRECTED),
    "inbox:digest": ("post", lambda c: {}, SIGNED_IN_BAD_FORM),
    "inbox:unsubscribe": [
        ("get", _token_of_rep_a, everyone(OK)),
        ("post", _token_of_rep_a, everyone(OK)),
        ("get", FORGED, everyone(BAD_REQUEST)),
        ("post", FORGED, everyone(BAD_REQUEST)),
    ],
}
