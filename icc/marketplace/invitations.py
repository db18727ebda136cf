"""Signed, expiring links for the people a city invites to act for a provider.

Such a person holds no role in the programme, so the accounts' invitation link (which
stops once no role is left) does not fit. This one belongs to the provider membership: it
stops once the password is set, the person is deactivated, a newer invitation was sent,
or the membership is withdrawn.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from icc.accounts.models import Person
from icc.marketplace.models import ProviderMember

SALT = "icc.marketplace.provider-invitation"


def _state(person: Person) -> str:
    return salted_hmac(SALT, f"{person.pk}:{person.password}:{person.invited_at}").hexdigest()[:20]


def make_token(member: ProviderMember) -> str:
    return signing.dumps({"m": member.pk, "p": member.person_id, "s": _state(member.person)}, salt=SALT)


def member_for_token(token: str) -> ProviderMember | None:
    """The membership the link was sent for, or None for a forged, expired, used or withdrawn one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=settings.INVITATION_TIMEOUT_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int) or not isinstance(data.get("p"), int):
        return None
    member = (
        ProviderMember.objects.select_related("person", "provider")
        .filter(pk=data["m"], person_id=data["p"], person__is_active=True)
        .first()
    )
    if member is None or member.person.has_usable_password():
        return None
    if not constant_time_compare(str(data.get("s")), _state(member.person)):
        return None
    return member
