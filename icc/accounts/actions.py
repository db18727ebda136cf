"""Changes to people's accounts: each atomic and audited."""

from __future__ import annotations

from django.db import transaction

from icc.accounts.models import Person
from icc.core.models import AuditKind, record


@transaction.atomic
def accept_invitation(*, person: Person, password: str) -> Person:
    """``person`` chose a password through their invitation link: the account is theirs from now on."""
    person.set_password(password)
    person.save(update_fields=["password"])
    record(obj=person, action=AuditKind.INVITATION_ACCEPTED, actor=person)
    return person
