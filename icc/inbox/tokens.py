"""The unsubscribe link of a digest: signed with the site's key for this purpose only.

It carries the person's id and nothing else, so it works without signing in and never
expires; one that was not signed here, or was changed, names nobody.
"""

from __future__ import annotations

from django.core import signing

from icc.accounts.models import Person
from icc.core.params import MAX_ID

SALT = "icc.inbox.unsubscribe"
MAX_TOKEN_LENGTH = 200


def unsubscribe_token(person: Person) -> str:
    return signing.dumps(person.pk, salt=SALT)


def person_for_token(token: str) -> Person | None:
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= MAX_ID:
        return None
    return Person.objects.filter(pk=pk).first()
