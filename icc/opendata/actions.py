"""Writing the charter and the checklists.

Who may write is decided in :mod:`icc.opendata.access`; these functions check what the
data requires (only a draft changes, a key once per version, a published version has
principles) and refuse the whole write with a ``ValidationError`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.models import City
from icc.core.models import AuditKind, record
from icc.core.versioning import StaleEdit
from icc.opendata import charter as default
from icc.opendata.models import Charter, Checklist, Entry, Principle
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from icc.accounts.models import Person


def current_charter(programme: Programme) -> Charter | None:
    """The version cities fill: the latest published one."""
    return Charter.objects.filter(programme=programme, published_at__isnull=False).order_by("-number").first()


def draft_of(programme: Programme) -> Charter | None:
    return Charter.objects.filter(programme=programme, published_at__isnull=True).first()


@transaction.atomic
def start_draft(*, programme: Programme, by: Person) -> Charter:
    """A draft of the next version: a copy of the current one, or the ICC charter's shared core."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    if draft_of(programme) is not None:
        raise ValidationError(_("A draft of the next version is open already: change it or publish it."))
    current = current_charter(programme)
    number = (Charter.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = Charter.objects.create(
        programme=programme, number=number, vision=current.vision if current else default.VISION, created_by=by
    )
    if current is not None:
        rows = [
            Principle(
                charter=draft,
                key=p.key,
                order=p.order,
                title=p.title,
                statement=p.statement,
                clause=p.clause,
                standards=p.standards,
            )
            for p in current.principles.all()
        ]
    else:
        rows = [Principle(charter=draft, order=n * 10, **p) for n, p in enumerate(default.PRINCIPLES, start=1)]
    Principle.objects.bulk_create(rows)
    record(obj=draft, action=AuditKind.CREATED, actor=by, changes={"version": number}, source="opendata")
    return draft


def _require_draft(charter: Charter) -> None:
    """Refuse a change of a version that is published (read again, under a lock)."""
    if not Charter.objects.select_for_update().get(pk=charter.pk).is_draft:
        raise ValidationError(_("This version is published: start a draft of the next version to change it."))


@transaction.atomic
def change_vision(*, charter: Charter, vision: str, by: Person) -> Charter:
    _require_draft(charter)
    charter.vision = vision.strip()
    charter.full_clean(exclude=["created_by", "published_by"])
    charter.save(update_fields=["vision"])
    record(obj=charter, action=AuditKind.CHANGED, actor=by, changes={"vision": True}, source="opendata")
    return charter


@transaction.atomic
def save_principle(*, principle: Principle, by: Person) -> Principle:
    _require_draft(principle.charter)
    if Principle.objects.filter(charter=principle.charter, key=principle.key).exclude(pk=principle.pk).exists():
        raise ValidationError(
            {"key": _("Another principle of this version has the key “%(key)s”.") % {"key": principle.key}}
        )
    created = principle.pk is None
    principle.full_clean(exclude=["charter"])
    principle.save()
    record(
        obj=principle.charter,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"principle added" if created else "principle changed": principle.key},
        source="opendata",
    )
    return principle


@transaction.atomic
def remove_principle(*, principle: Principle, by: Person) -> None:
    _require_draft(principle.charter)
    record(
        obj=principle.charter,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"principle removed": principle.key},
        source="opendata",
    )
    principle.delete()


@transaction.atomic
def publish(*, charter: Charter, by: Person) -> int:
    """Publish the draft as the version cities fill; every city's answers to the version
    before carry over, principle by principle. Returns how many checklists carried over."""
    locked = Charter.objects.select_for_update().get(pk=charter.pk)
    _require_draft(locked)
    principles = {p.key: p for p in locked.principles.all()}
    if not principles:
        raise ValidationError(_("A version without principles cannot be published."))
    previous = current_charter(locked.programme)
    locked.published_at, locked.published_by = timezone.now(), by
    locked.save(update_fields=["published_at", "published_by"])
    carried = 0
    if previous is not None:
        for old in Checklist.objects.filter(charter=previous).prefetch_related("entries__principle"):
            fresh = Checklist.objects.create(city_id=old.city_id, charter=locked, version=1, updated_by=old.updated_by)
            Entry.objects.bulk_create(
                Entry(
                    checklist=fresh,
                    principle=principles[e.principle.key],
                    status=e.status,
                    evidence_url=e.evidence_url,
                    evidence=e.evidence,
                )
                for e in old.entries.all()
                if e.principle.key in principles
            )
            carried += 1
    record(
        obj=locked,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"published": locked.number, "checklists carried over": carried},
        source="opendata",
    )
    return carried


@dataclass(frozen=True)
class Answer:
    status: str
    evidence_url: str
    evidence: str


@transaction.atomic
def save_checklist(*, city: City, charter: Charter, answers: dict[int, Answer], expected: int, by: Person) -> Checklist:
    """Save the city's answers to ``charter``, unless someone saved them since the form was opened."""
    if charter.is_draft or charter.programme_id != city.programme_id:
        raise ValidationError(_("Answer the published version of your programme's charter."))
    principles = {p.pk: p for p in charter.principles.all()}
    unknown = set(answers) - set(principles)
    if unknown:
        raise ValidationError(_("The charter changed while you were answering: open the checklist again."))
    checklist = Checklist.objects.select_for_update().filter(city=city, charter=charter).first()
    if checklist is None:
        if expected != 0:
            raise ValidationError(_("The checklist changed while you were answering: open it again."))
        checklist = Checklist.objects.create(city=city, charter=charter, version=0, updated_by=by)
    elif checklist.version != expected:
        raise StaleEdit(checklist)
    existing = {e.principle_id: e for e in checklist.entries.all()}
    changed = []
    for pk, answer in answers.items():
        entry = existing.get(pk) or Entry(checklist=checklist, principle=principles[pk])
        if entry.pk is None or entry.status != answer.status:
            changed.append(principles[pk].key)
        entry.status, entry.evidence_url, entry.evidence = answer.status, answer.evidence_url, answer.evidence.strip()
        entry.full_clean(exclude=["checklist", "principle"])
        entry.save()
    checklist.version = expected + 1
    checklist.updated_at, checklist.updated_by = timezone.now(), by
    checklist.save(update_fields=["version", "updated_at", "updated_by"])
    record(
        obj=checklist,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"status changed": changed, "version": checklist.version},
        source="opendata",
    )
    return checklist
