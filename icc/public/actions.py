"""Changes to what a city shows the public: its publication settings, publishing, unpublishing.

Each action is atomic and writes an audit entry. Bad input (a KPI or an action of another
city, an address another city of the programme already uses) is a ``ValidationError``
and changes nothing. Who may call them is decided in :mod:`icc.public.access`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from icc.cities.models import City
from icc.core.models import AuditKind, record
from icc.public.languages import EU_LANGUAGES, language_of_country
from icc.public.models import Publication
from icc.roadmaps.models import KPI, Action

SLUG_LENGTH = 80
# Addresses under a programme that are pages of their own, not cities.
RESERVED_SLUGS = frozenset({"data", "marketplace"})
# Letters that Unicode does not decompose into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d"}
    | {"Đ": "D", "ð": "d", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H"}
)


@dataclass
class Settings:
    """What the city team sets on the publication settings page."""

    slug: str
    default_language: str
    languages: list[str] = field(default_factory=list)
    roadmap_language: str = ""
    introduction: dict[str, str] = field(default_factory=dict)
    next_update_on: dt.date | None = None
    kpis: Sequence[KPI] = ()
    actions: Sequence[Action] = ()


def address_of(name: str) -> str:
    """A city's name as an address: lower case, ASCII letters, digits and hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_LETTERS)).encode("ascii", "ignore").decode()
    return slugify(ascii_name)[:SLUG_LENGTH].strip("-")


def default_slug(city: City) -> str:
    """The city's name as an address, made unique in its programme (``-2``, ``-3``…)."""
    base = address_of(city.name) or f"city-{city.pk}"
    if base in RESERVED_SLUGS:
        base = f"{base}-city"
    taken = set(
        Publication.objects.filter(programme_id=city.programme_id, slug__startswith=base)
        .exclude(city=city)
        .values_list("slug", flat=True)
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_LENGTH - len(suffix)] + suffix
    return slug


def default_settings(city: City) -> Settings:
    """What the settings page offers before anything is saved."""
    return Settings(slug=default_slug(city), default_language=language_of_country(city.country))


def slug_problem(city: City, slug: str) -> str | None:
    """Why ``slug`` cannot be the city's address, or ``None``."""
    if slug in RESERVED_SLUGS:
        return _("“%(slug)s” is the address of another page; choose another.") % {"slug": slug}
    if Publication.objects.filter(programme_id=city.programme_id, slug=slug).exclude(city=city).exists():
        return _("Another city of the programme already uses the address “%(slug)s”.") % {"slug": slug}
    return None


def _check(city: City, settings: Settings) -> None:
    errors: dict[str, list[str]] = {}
    if problem := slug_problem(city, settings.slug):
        errors["slug"] = [problem]
    unknown = [code for code in [settings.default_language, *settings.languages] if code not in EU_LANGUAGES]
    if settings.roadmap_language and settings.roadmap_language not in EU_LANGUAGES:
        unknown.append(settings.roadmap_language)
    if unknown:
        errors["languages"] = [_("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if any(kpi.city_id != city.pk for kpi in settings.kpis):
        errors["kpis"] = [_("Only the city's own KPIs can be shown.")]
    if any(action.city_id != city.pk for action in settings.actions):
        errors["actions"] = [_("Only the city's own actions can be shown.")]
    if errors:
        raise ValidationError(errors)


def _snapshot(publication: Publication) -> dict[str, Any]:
    return {
        "slug": publication.slug,
        "default_language": publication.default_language,
        "languages": list(publication.languages),
        "roadmap_language": publication.roadmap_language,
        "introduction": sorted(publication.introduction),
        "next_update_on": publication.next_update_on.isoformat() if publication.next_update_on else "",
        "kpis": sorted(publication.kpis.values_list("pk", flat=True)) if publication.pk else [],
        "actions": sorted(publication.actions.values_list("pk", flat=True)) if publication.pk else [],
    }


@transaction.atomic
def save_settings(*, city: City, settings: Settings, by: Any) -> Publication:
    """Create or change the city's publication; its published state is left as it was."""
    _check(city, settings)
    publication = Publication.objects.select_for_update().filter(city=city).first() or Publication(
        city=city, programme_id=city.programme_id
    )
    created = publication.pk is None
    before = _snapshot(publication) if not created else {}
    written = [settings.default_language, *(c for c in settings.languages if c != settings.default_language)]
    publication.slug = settings.slug
    publication.default_language = settings.default_language
    publication.languages = written[1:]
    publication.roadmap_language = (
        "" if settings.roadmap_language == settings.default_language else settings.roadmap_language
    )
    publication.introduction = {code: text for code, text in settings.introduction.items() if code in written}
    publication.next_update_on = settings.next_update_on
    publication.updated_by = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError as error:
        # Another city took the address between the check and the save.
        raise ValidationError(
            {
                "slug": [
                    _("Another city of the programme already uses the address “%(slug)s”.") % {"slug": settings.slug}
                ]
            }
        ) from error
    publication.kpis.set(settings.kpis)
    publication.actions.set(settings.actions)
    after = _snapshot(publication)
    changes = {name: value for name, value in after.items() if created or before.get(name) != value}
    record(obj=publication, action=AuditKind.PUBLIC_PAGE_SAVED, actor=by, changes=changes)
    return publication


@transaction.atomic
def publish(*, publication: Publication, by: Any) -> Publication:
    """Make the city's public pages visible at their address (again)."""
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if not locked.published:
        locked.published = True
        locked.published_at = timezone.now()
        locked.updated_by = by if getattr(by, "is_authenticated", False) else None
        locked.save(update_fields=["published", "published_at", "updated_by", "updated_at"])
        record(obj=locked, action=AuditKind.PUBLIC_PAGE_PUBLISHED, actor=by, changes={"slug": locked.slug})
    return locked


@transaction.atomic
def unpublish(*, publication: Publication, by: Any) -> Publication:
    """Take the city's public pages down: their addresses answer "not found" until published again."""
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.published:
        locked.published = False
        locked.updated_by = by if getattr(by, "is_authenticated", False) else None
        locked.save(update_fields=["published", "updated_by", "updated_at"])
        record(obj=locked, action=AuditKind.PUBLIC_PAGE_UNPUBLISHED, actor=by, changes={"slug": locked.slug})
    return locked
