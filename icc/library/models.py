"""The city toolbox: what the programme provides and what participants share.

An item is a file (with its versions), a link or a page written in Markdown. It has a
kind, the themes and phase it is about, the language it is written in, and an audience:
the whole programme, one theme, one TAG or one city's team. Who may open which audience
is decided in :mod:`icc.library.access`; files are served only through it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths, validators
from icc.journey.models import EventType, Submission
from icc.programmes.models import Phase, Programme, Theme
from icc.public.languages import CONTENT_LANGUAGE_CHOICES
from icc.tags.models import Tag

TITLE_LENGTH = 200
URL_LENGTH = 500


class Kind(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance")
    THEMATIC = "thematic", _("Thematic content")
    TRANSVERSAL = "transversal", _("Transversal coaching")
    DELIVERABLE = "deliverable", _("Final deliverable")
    MENTOR_RESOURCE = "mentor-resource", _("Mentor resource")
    CASE_MATERIAL = "case-material", _("Case material")


# Provided by the programme (its team and experts); shared by participants.
PROGRAMME_KINDS = (Kind.GUIDANCE, Kind.THEMATIC, Kind.TRANSVERSAL)
SHARED_KINDS = (Kind.MENTOR_RESOURCE, Kind.CASE_MATERIAL)


class Form(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")
    PAGE = "page", _("Page")


class Audience(models.TextChoices):
    PROGRAMME = "programme", _("Everyone taking part")
    THEME = "theme", _("One theme")
    TAG = "tag", _("One TAG")
    CITY = "city", _("One city's team")


class Item(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="library_items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=8, choices=Form.choices)
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    summary = models.TextField(_("summary"), blank=True, max_length=lengths.NOTE)
    url = models.URLField(_("address"), blank=True, max_length=URL_LENGTH)
    body = models.TextField(_("page"), blank=True, max_length=lengths.LONG_TEXT, help_text=_("Markdown."))
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"), related_name="library_items")
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("phase"), related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=CONTENT_LANGUAGE_CHOICES, default="en")
    audience = models.CharField(_("shared with"), max_length=12, choices=Audience.choices, default=Audience.PROGRAMME)
    audience_theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    audience_tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    audience_city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event_types = models.ManyToManyField(
        EventType, blank=True, verbose_name=_("needed for"), related_name="library_items"
    )
    # A city's accepted final deliverable, offered to the library once.
    source = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="library_item"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])
    updated_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["programme", "-updated_at"], name="library_item_recent")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(audience="programme", audience_theme=None, audience_tag=None, audience_city=None)
                    | models.Q(audience="theme", audience_theme__isnull=False, audience_tag=None, audience_city=None)
                    | models.Q(audience="tag", audience_tag__isnull=False, audience_theme=None, audience_city=None)
                    | models.Q(audience="city", audience_city__isnull=False, audience_theme=None, audience_tag=None)
                ),
                name="library_item_one_audience",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", kwargs={"pk": self.pk})

    @property
    def latest(self) -> Version | None:
        return self.versions.order_by("-number").first()


def version_path(instance: Version, filename: str) -> str:
    return f"library/{instance.item_id}/{uuid.uuid4().hex}/{filename}"


class Version(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    document = models.FileField(_("file"), upload_to=version_path)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), blank=True, max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, validators=[validators.validate_day])

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="library_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class Visit(models.Model):
    """When a person last opened a programme's library: what came after is new to them."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(validators=[validators.validate_day])
    # The end of the visit before this one: what changed after it is new.
    since = models.DateTimeField(null=True, blank=True, validators=[validators.validate_day])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "programme"], name="library_visit_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.programme}"
