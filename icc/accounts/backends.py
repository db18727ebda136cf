"""Signing in with an e-mail address and password, and finding the signed-in person again.

Every request of a signed-in person starts by reading them from their session. That
person is kept under the data version (a fresh copy each time): changing anything about
them, deactivating them or changing their password raises the version in the same
transaction, so the next request reads them again, and a session whose password changed
ends as Django ends it, by the hash of the password the session was opened with.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from icc.core import dataversion


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        if connection.in_atomic_block:
            return super().get_user(user_id)
        return dataversion.cached(
            f"person:{user_id}", dataversion.current(), lambda: super(PersonBackend, self).get_user(user_id)
        )
