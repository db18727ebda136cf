"""The writes of personal access tokens: made and revoked by their owner, each recorded
in the audit trail (without the secret)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from icc.accounts.models import Person
from icc.api.models import AccessToken, hash_of, new_secret
from icc.core.models import AuditKind, record


@transaction.atomic
def create_token(
    *, owner: Person, name: str, scopes: list[str], expires_at: dt.datetime | None = None
) -> tuple[AccessToken, str]:
    """A new token of ``owner`` and its secret, which is kept nowhere: the caller shows it once."""
    secret = new_secret()
    token = AccessToken.objects.create(
        owner=owner,
        name=name,
        scopes=sorted(set(scopes)),
        secret_hash=hash_of(secret),
        hint=secret[:8],
        expires_at=expires_at,
    )
    record(obj=token, action=AuditKind.CREATED, actor=owner, changes={"scopes": token.scopes}, source="api token")
    return token, secret


@transaction.atomic
def revoke_token(*, token: AccessToken, by: Person) -> AccessToken:
    """Revoke ``token`` at once; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(obj=token, action=AuditKind.CHANGED, actor=by, changes={"revoked": True}, source="api token")
    return token
