"""How a program signs its requests: ``Authorization: Bearer <secret>`` of a personal access token.

An unknown, malformed, revoked or expired secret answers 401; a token used past its
rate answers 429 with ``Retry-After``; an operation outside the token's scopes answers
403 naming the scope it needs. The request is then answered as the token's owner, with
the rights they have at that moment.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from icc.accounts.models import Person
from icc.api.models import SECRET_PREFIX, AccessToken, hash_of

# A secret is the prefix and 43 characters of URL-safe base64.
SECRET_LENGTH = len(SECRET_PREFIX) + 43
# The last use is written at most this often, so reading does not mean writing on every request.
LAST_USED_EVERY = 60


class Unauthorised(Exception):
    pass


class MissingScope(Exception):
    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


class TooManyRequests(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _rate() -> tuple[int, int]:
    return settings.API_TOKEN_RATE_LIMIT, settings.API_TOKEN_RATE_WINDOW


def _count_request(token: AccessToken) -> None:
    """Count one request of ``token`` in the current fixed window; past the limit, refuse it."""
    limit, window = _rate()
    now = int(time.time())
    start = now - now % window
    key = f"api-rate:{token.pk}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        used = 1
    if used > limit:
        raise TooManyRequests(max(start + window - now, 1))


class TokenAuth(HttpBearer):
    """Bearer authentication with a personal access token."""

    openapi_description = "A personal access token, made on the account's API tokens page."

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken:
        if len(token) != SECRET_LENGTH or not token.startswith(SECRET_PREFIX):
            raise Unauthorised
        found = AccessToken.objects.select_related("owner").filter(secret_hash=hash_of(token)).first()
        if found is None or not found.is_usable() or not found.owner.is_active:
            raise Unauthorised
        _count_request(found)
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > LAST_USED_EVERY:
            AccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found


def owner_for(request: HttpRequest, scope: str) -> Person:
    """The person a request is answered for, once its token is found to hold ``scope``."""
    token = request.auth  # type: ignore[attr-defined]
    if not isinstance(token, AccessToken):
        raise Unauthorised
    if scope not in token.scopes:
        raise MissingScope(scope)
    return token.owner
