"""Personal access tokens: how a person's own programs read the API in their name.

Only a hash of a token's secret is kept; the secret is shown once, when the token is
made. A token grants nothing by itself: each request is answered with what its owner
may see at that moment, narrowed to the token's scopes.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core.validators import validate_day

# Every secret starts with this, so a leaked one is easy to recognise and search for.
SECRET_PREFIX = "icc_"  # noqa: S105 (a marker, not a secret)


class Scope(models.TextChoices):
    """What a token may read; the stored value never changes."""

    PROGRAMMES = "programmes:read", _("Read programmes")
    CITIES = "cities:read", _("Read cities")
    KPIS = "kpis:read", _("Read KPIs and their measurements")
    ACTIONS = "actions:read", _("Read roadmap actions")
    EVENTS = "events:read", _("Read events")
    TAGS = "tags:read", _("Read TAGs")


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessToken(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The secret's first characters, shown in the list so its owner can tell tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, validators=[validate_day])
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
