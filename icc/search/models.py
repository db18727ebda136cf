"""One row per thing a signed-in person can find: its words, and what decides who may see it.

The full-text index over these rows is the database's own: an FTS5 table kept in step by
triggers on SQLite, a GIN index over the same words on PostgreSQL (see the migration).
A migration that alters this table makes SQLite rebuild it, which drops the triggers:
such a migration must create them again (``0002_full_text_index`` has them).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from icc.cities.models import City
from icc.core import lengths
from icc.programmes.models import Programme


class Kind(models.TextChoices):
    CITY = "city", _("City")
    PERSON = "person", _("Person")
    ACTION = "action", _("Action")
    KPI = "kpi", _("KPI")
    ITEM = "item", _("Toolbox item")
    POST = "post", _("Message")
    SOLUTION = "solution", _("Marketplace solution")
    CHALLENGE = "need", _("Marketplace challenge")


class Entry(models.Model):
    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField()
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    # The city whose visibility decides who finds it (cities, actions, KPIs).
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, max_length=lengths.TEXT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
