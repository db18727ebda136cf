"""The core URLs in the permission matrix."""

from __future__ import annotations

from tests.matrix.common import NOT_FOUND, OK, REDIRECT, SIGNED_IN_REDIRECTED, Routes, everyone

# name → (method, kwargs, expected status per persona), or a list of such checks
ROUTES: Routes = {
    "core:home": ("get", lambda c: {}, everyone(OK)),
    "core:health": ("get", lambda c: {}, everyone(OK)),
    "accounts:login": ("get", lambda c: {}, SIGNED_IN_REDIRECTED),
    "accounts:logout": ("post", lambda c: {}, everyone(REDIRECT)),
    "accounts:password_reset": ("get", lambda c: {}, everyone(OK)),
    "accounts:password_reset_done": ("get", lambda c: {}, everyone(OK)),
    "accounts:password_reset_confirm": ("get", lambda c: {"uidb64": "MQ", "token": "bad-token"}, everyone(OK)),
    "accounts:password_reset_complete": ("get", lambda c: {}, everyone(OK)),
    "accounts:accept_invitation": ("get", lambda c: {"token": "guessed"}, everyone(NOT_FOUND)),
    "set_language": ("post", lambda c: {}, everyone(REDIRECT)),
}
