"""Adding to the toolbox: items, new versions of a file, and a city's final deliverable.

Every file passes the uploads gate (:func:`icc.core.uploads.check_document`) before it
is stored, as deliverables do; what is refused stores nothing. Who may do what is
decided in :mod:`icc.library.access`; these functions check only what the data itself
requires (an audience that belongs to the programme, a deliverable that is accepted).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.models import Role, RoleKind
from icc.cities.roles import CITY_SPEAKERS, CITY_VIEW_ROLES, PARTICIPANT_ROLES
from icc.core import uploads
from icc.core.models import AuditKind, record
from icc.inbox import actions as inbox
from icc.inbox.models import Kind as NoticeKind
from icc.journey.models import Milestone, Submission, SubmissionStatus
from icc.library.models import Audience, Form, Item, Kind, Version, Visit

# Pages opened closer together than this are one visit.
VISIT_GAP = dt.timedelta(minutes=30)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from icc.accounts.models import Person
    from icc.programmes.models import Programme


def _store_version(item: Item, upload: Any, name: str, size: int, note: str, by: Person) -> Version:
    last = item.versions.aggregate(n=Max("number"))["n"] or 0
    version = Version(
        item=item, number=last + 1, original_name=Path(name).name[:200], size=size, note=note, added_by=by
    )
    version.document.save(version.original_name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def add_item(*, item: Item, themes: Any, event_types: Any, upload: UploadedFile | None, by: Person) -> Item:
    """Store a new item (with its first file version for a file)."""
    if item.form == Form.FILE:
        if upload is None:
            raise ValidationError({"upload": _("Choose the file to share.")})
        uploads.check_document(upload)
    item.added_by = by
    item.added_at = item.updated_at = timezone.now()
    item.full_clean(exclude=["added_by"])
    item.save()
    item.themes.set(themes)
    item.event_types.set(event_types)
    if upload is not None and item.form == Form.FILE:
        _store_version(item, upload, upload.name or "document", upload.size or 0, "", by)
    record(
        obj=item, action=AuditKind.LIBRARY_ITEM_ADDED, actor=by, changes={"kind": item.kind, "audience": item.audience}
    )
    tell_followers(item=item, by=by)
    return item


@transaction.atomic
def change_item(*, item: Item, themes: Any, event_types: Any, by: Person) -> Item:
    """Save what the form changed (its words, where it belongs, whom it is shared with)."""
    item.updated_at = timezone.now()
    item.full_clean(exclude=["added_by"])
    item.save()
    item.themes.set(themes)
    item.event_types.set(event_types)
    record(obj=item, action=AuditKind.LIBRARY_ITEM_CHANGED, actor=by, changes={"audience": item.audience})
    return item


@transaction.atomic
def remove_item(*, item: Item, by: Person) -> None:
    """Remove an item and its files; the audit trail keeps what it was and who removed it."""
    names = [version.document.name for version in item.versions.all()]
    record(obj=item, action=AuditKind.LIBRARY_ITEM_REMOVED, actor=by, changes={"title": item.title, "kind": item.kind})
    storage = Version._meta.get_field("document").storage
    item.delete()

    def delete_files() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def add_version(*, item: Item, upload: UploadedFile, note: str, by: Person) -> Version:
    if item.form != Form.FILE:
        raise ValidationError(_("Only a file has versions."))
    if item.kind == Kind.DELIVERABLE or item.source_id is not None:
        raise ValidationError(
            _("A shared deliverable is the version its lead expert accepted; it takes no new versions.")
        )
    uploads.check_document(upload)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    version = _store_version(locked, upload, upload.name or "document", upload.size or 0, note.strip(), by)
    Item.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    record(obj=locked, action=AuditKind.LIBRARY_VERSION_ADDED, actor=by, changes={"version": version.number})
    return version


def followers(item: Item) -> set[int]:
    """Who follows one of ``item``'s themes and may open it, in two queries whoever they are.

    A theme is followed by its thematic experts and by the people of the cities on that
    track (:func:`icc.library.access.my_themes`); of those, the item's audience keeps
    the ones :func:`icc.library.access.visible_items` would show it to (the tests hold the
    two to the same answer).
    """
    themes = list(item.themes.values_list("pk", flat=True))
    if not themes:
        return set()
    city_roles = Q(kind__in=CITY_VIEW_ROLES)
    experts = Q(kind=RoleKind.THEMATIC_EXPERT)
    follows = (experts & Q(theme__in=themes)) | (city_roles & Q(city__track__in=themes))
    if item.audience == Audience.THEME:
        opens = (experts & Q(theme=item.audience_theme_id)) | (city_roles & Q(city__track=item.audience_theme_id))
    elif item.audience == Audience.TAG and item.audience_tag is not None:
        tag = item.audience_tag
        cities = [tag.mentor_id, *tag.memberships.values_list("city_id", flat=True)]
        tag_roles = Q(kind__in=(*CITY_SPEAKERS, RoleKind.MAYOR, RoleKind.LEAD_EXPERT), city__in=cities)
        opens = tag_roles | (experts & Q(theme=tag.theme_id)) if tag.theme_id else tag_roles
    elif item.audience == Audience.CITY:
        opens = city_roles & Q(city=item.audience_city_id)
    else:
        opens = Q(kind__in=PARTICIPANT_ROLES)
    opens |= Q(kind=RoleKind.PROGRAMME_TEAM)  # the programme team opens every item
    roles = Role.objects.filter(programme_id=item.programme_id)
    return set(roles.filter(follows).values_list("person_id", flat=True)) & set(
        roles.filter(opens).values_list("person_id", flat=True)
    )


def tell_followers(*, item: Item, by: Person | None) -> None:
    """A new item in the toolbox: tell who follows one of its themes and may open it."""
    people = followers(item)
    if people:
        inbox.notify(
            kind=NoticeKind.LIBRARY_ITEM,
            people=people,
            programme=item.programme,
            target=item,
            actor=by,
            key=f"library-item:{item.pk}",
        )


def is_final_milestone(milestone: Milestone) -> bool:
    """Whether ``milestone`` is the last one of its deliverable (its final version)."""
    last = milestone.deliverable_type.milestones.order_by("due_on", "order").last()
    return last is not None and last.pk == milestone.pk


def is_final(submission: Submission) -> bool:
    """An accepted version of the last milestone of its deliverable."""
    return submission.status == SubmissionStatus.ACCEPTED and is_final_milestone(submission.milestone)


@transaction.atomic
def offer_deliverable(*, submission: Submission, by: Person) -> Item:
    """Share a city's accepted final deliverable with everyone taking part, in one step."""
    if not is_final(submission):
        raise ValidationError(_("Only the accepted final version of a deliverable can be shared in the toolbox."))
    if Item.objects.filter(source=submission).exists():
        raise ValidationError(_("This version is already in the toolbox."))
    deliverable = submission.milestone.deliverable_type
    item = Item.objects.create(
        programme=submission.city.programme,
        kind=Kind.DELIVERABLE,
        form=Form.FILE,
        title=f"{deliverable.name} – {submission.city.name}"[:200],
        summary=deliverable.description[:2000],
        audience=Audience.PROGRAMME,
        source=submission,
        added_by=by,
    )
    if submission.city.track_id:
        item.themes.set([submission.city.track_id])
    with submission.document.open("rb") as stored:
        _store_version(item, File(stored), submission.original_name, submission.size, "", by)
    record(obj=submission, action=AuditKind.DELIVERABLE_OFFERED, actor=by, changes={"item": item.pk})
    tell_followers(item=item, by=by)
    return item


def note_visit(*, person: Person, programme: Programme, now: dt.datetime | None = None) -> dt.datetime | None:
    """Remember this visit; returns since when things count as new to ``person`` (None the
    first time). Pages opened within half an hour of each other are one visit, so reading
    an item and coming back does not make the rest old."""
    now = now or timezone.now()
    visit, created = Visit.objects.get_or_create(
        person=person, programme=programme, defaults={"seen_at": now, "since": None}
    )
    if created:
        return None
    since = visit.seen_at if now - visit.seen_at > VISIT_GAP else visit.since
    Visit.objects.filter(pk=visit.pk).update(seen_at=now, since=since)
    return since


__all__ = ["add_item", "add_version", "note_visit", "offer_deliverable"]
