"""A person who signs in: identified by e-mail address, nothing more than the work needs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.core.validators import validate_time_zone


def normalise_address(address: str) -> str:
    """The one spelling an e-mail address is stored, looked up and counted under.

    Letter case never tells two people apart, in the part before the ``@`` either, so
    ``Mentor@City.eu`` and ``mentor@city.eu `` are one identity.
    """
    return address.strip().lower()


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Person:
        person = self.model(email=normalise_address(email), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Person:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(email=normalise_address(username or ""))


class Person(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Times are shown in this zone. Leave empty for the programme's zone."),
    )

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique_ignoring_case",
                violation_error_message=_("Another person already uses this e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(email=Lower(Trim("email"))),
                name="person_email_stored_normalised",
                violation_error_message=_("E-mail addresses are stored in lower case without surrounding spaces."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Model forms (the admin's among them) clean the address through this.
        return normalise_address(username) if isinstance(username, str) else username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def has_accepted_invitation(self) -> bool:
        return self.has_usable_password()
