"""Signed, expiring invitation links that stop working once the password is set, the
person is deactivated, or no role remains in the programme they were invited to."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from icc.accounts.models import Person
from icc.cities.roles import holds_a_role

if TYPE_CHECKING:
    from icc.programmes.models import Programme

SALT = "icc.accounts.invitation"


def _state(person: Person) -> str:
    # Changes when the password is set or a new invitation is sent, so old links die.
    return salted_hmac(SALT, f"{person.pk}:{person.password}:{person.invited_at}").hexdigest()[:20]


def make_invitation_token(person: Person, *, programme: Programme | None = None) -> str:
    data: dict[str, object] = {"p": person.pk, "s": _state(person)}
    if programme is not None:
        data["g"] = programme.pk
    return signing.dumps(data, salt=SALT)


def _still_invited(person: Person, programme_id: object) -> bool:
    # The link offers the roles the person holds now: once every role in the programme
    # it was sent for has been withdrawn, it offers nothing and no longer works.
    return holds_a_role(person, programme_id if isinstance(programme_id, int) else None)


def person_for_invitation(token: str) -> Person | None:
    """The invited person, or None for a token that is forged, expired, already used, or
    whose person was deactivated or holds no role in the programme any more."""
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=settings.INVITATION_TIMEOUT_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    person = Person.objects.filter(pk=data["p"], is_active=True).first()
    if person is None or person.has_usable_password() or not constant_time_compare(str(data.get("s")), _state(person)):
        return None
    if not _still_invited(person, data.get("g")):
        return None
    return person
