"""Signed, expiring invitation links that stop working once the password is set."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from icc.accounts.models import Person

SALT = "icc.accounts.invitation"


def _state(person: Person) -> str:
    # Changes when the password is set or a new invitation is sent, so old links die.
    return salted_hmac(SALT, f"{person.pk}:{person.password}:{person.invited_at}").hexdigest()[:20]


def make_invitation_token(person: Person) -> str:
    return signing.dumps({"p": person.pk, "s": _state(person)}, salt=SALT)


def person_for_invitation(token: str) -> Person | None:
    """The invited person, or None for a token that is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=settings.INVITATION_TIMEOUT_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    person = Person.objects.filter(pk=data["p"], is_active=True).first()
    if person is None or person.has_usable_password() or not constant_time_compare(str(data.get("s")), _state(person)):
        return None
    return person
