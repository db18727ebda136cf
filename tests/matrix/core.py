"""The core and accounts URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import NOT_FOUND, OK, REDIRECT, SIGNED_IN_REDIRECTED, Kwargs, Routes, everyone

NOTHING: Kwargs = lambda c: {}  # noqa: E731
BAD_RESET_LINK: Kwargs = lambda c: {"uidb64": "MQ", "token": "bad-token"}  # noqa: E731
GUESSED_INVITATION: Kwargs = lambda c: {"token": "guessed"}  # noqa: E731

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "core:home": ("get", NOTHING, everyone(OK)),
    "core:health": ("get", NOTHING, everyone(OK)),
    # Signing in: an empty form is answered with its errors; whoever is signed in is sent on.
    "accounts:login": [("get", NOTHING, SIGNED_IN_REDIRECTED), ("post", NOTHING, SIGNED_IN_REDIRECTED)],
    "accounts:logout": ("post", NOTHING, everyone(REDIRECT)),
    "accounts:password_reset": [("get", NOTHING, everyone(OK)), ("post", NOTHING, everyone(OK))],
    "accounts:password_reset_done": ("get", NOTHING, everyone(OK)),
    # A link that does not work says so, whatever is sent to it.
    "accounts:password_reset_confirm": [
        ("get", BAD_RESET_LINK, everyone(OK)),
        ("post", BAD_RESET_LINK, everyone(OK)),
    ],
    "accounts:password_reset_complete": ("get", NOTHING, everyone(OK)),
    "accounts:accept_invitation": [
        ("get", GUESSED_INVITATION, everyone(NOT_FOUND)),
        ("post", GUESSED_INVITATION, everyone(NOT_FOUND)),
    ],
    "set_language": ("post", NOTHING, everyone(REDIRECT)),
}
