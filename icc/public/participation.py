"""Taking part without an account: one answer per browser, a limit per address.

A visitor's browser gets a random, signed identifier in a cookie the first time it sends
something. What is stored with an answer or a vote is a keyed hash of that identifier and
of the thing answered (:func:`participant_key`), so two answers from one browser collide
on a unique constraint, while nobody can tell from the data which answers came from the
same browser in two consultations. Clearing the cookie allows another answer: that is
why every submission also counts against its address (:func:`count_submission`), which is
only ever stored hashed, in a short-lived window.

This is consultation, not an official vote; the pages say so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core.addresses import client_address
from icc.public.models import AddressWindow

VISITOR_COOKIE = "icc_visitor"
_SALT = "icc.public.visitor"
VISITOR_MAX_AGE = 60 * 60 * 24 * 400
TOO_MANY = _("Too many answers came from your network in the last hour. Please try again later.")


def _key(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def visitor(request: HttpRequest) -> str | None:
    """The identifier the browser carries, if it carries a valid one."""
    raw = request.COOKIES.get(VISITOR_COOKIE)
    if not raw:
        return None
    try:
        value = signing.Signer(salt=_SALT).unsign(raw)
    except signing.BadSignature:
        return None
    return value if len(value) == 32 else None


def visitor_or_new(request: HttpRequest) -> str:
    """The browser's identifier, or a new one that :func:`remember` will give it."""
    found = visitor(request)
    if found is None:
        found = secrets.token_hex(16)
        request._icc_new_visitor = found  # type: ignore[attr-defined]
    return found


def remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the browser the identifier :func:`visitor_or_new` made for it."""
    new = getattr(request, "_icc_new_visitor", None)
    if new:
        response.set_cookie(
            VISITOR_COOKIE,
            signing.Signer(salt=_SALT).sign(new),
            max_age=VISITOR_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def participant_key(scope: str, visitor_id: str) -> str:
    """What is stored to tell one browser's answers apart in ``scope`` (e.g. ``poll:12``)."""
    return _key("participant", scope, visitor_id)


def email_key(scope: str, email: str) -> str:
    """A keyed hash of an e-mail address in ``scope``: one confirmed answer per address."""
    return _key("email", scope, email.strip().lower())


def network_of(address: str) -> str:
    """What one household or device counts as: an IPv4 address, or the /64 network of an
    IPv6 address (one connection is given a whole /64, so single IPv6 addresses are free)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def count_submission(request: HttpRequest, scope: str, *, limit: int | None = None, window: int = 3600) -> None:
    """Count one submission from the request's address to ``scope``; refuse past the limit.

    Call it inside the transaction that saves the submission: a refused or failed
    submission rolls its count back with it. The limit is the ``ICC_PUBLIC_SUBMISSIONS_PER_HOUR``
    setting unless given.
    """
    allowed = settings.ICC_PUBLIC_SUBMISSIONS_PER_HOUR if limit is None else limit
    if allowed <= 0:
        return
    now = timezone.now()
    start = int(now.timestamp()) // window * window
    key = _key("address", scope, network_of(client_address(request)), str(start))
    ends = dt.datetime.fromtimestamp(start + window, tz=dt.UTC)
    if not AddressWindow.objects.filter(key=key).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                AddressWindow.objects.create(key=key, count=1, window_ends=ends)
        except IntegrityError:
            AddressWindow.objects.filter(key=key).update(count=F("count") + 1)
    count = AddressWindow.objects.filter(key=key).values_list("count", flat=True).first() or 0
    if count > allowed:
        raise ValidationError(TOO_MANY, code="rate_limited")


def forget_old_windows(now: dt.datetime | None = None) -> int:
    """Delete the counts of windows that have ended; the worker runs it."""
    deleted, _rows = AddressWindow.objects.filter(window_ends__lt=now or timezone.now()).delete()
    return deleted
