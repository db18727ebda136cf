"""Writing procurement plans: a plan, its phases, its documents.

Who may write is decided in :mod:`icc.procurement.access`; these functions check what the
data itself requires (the cities taking part belong to the plan's action or group, a
phase belongs to the plan's route, ends on or after its start, costs a bounded,
non-negative sum) and refuse the whole write with a ``ValidationError`` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.cities.models import City
from icc.core import uploads, validators
from icc.core.models import AuditKind, record
from icc.core.uploads import DOCUMENT_TYPES
from icc.core.versioning import lock_at_version
from icc.procurement.models import DOCUMENT_NAME_LENGTH, Document, Phase, PhaseKind, Plan, kinds_of

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from icc.accounts.models import Person


def allowed_cities(plan: Plan) -> list[City]:
    """The cities that may take part: a group's current members; for a roadmap action, its city alone."""
    if plan.group is not None:
        return list(plan.group.members.all())
    if plan.action is not None:
        return [plan.action.city]
    return []


def _check_cities(plan: Plan, cities: Iterable[City]) -> list[City]:
    allowed = {c.pk for c in allowed_cities(plan)}
    chosen = list(cities)
    strangers = sorted({c.name for c in chosen if c.pk not in allowed})
    if strangers:
        if plan.group is not None:
            message = _("Not a city of this group: %(cities)s.")
        else:
            message = _(
                "A roadmap action's plan is its own city's alone: %(cities)s cannot take part. "
                "Cities buy together through a joint-procurement group."
            )
        raise ValidationError({"cities": message % {"cities": ", ".join(strangers)}})
    ids = {c.pk for c in chosen}
    return [plan.buyer, *[c for c in chosen if c.pk != plan.buyer_id and c.pk in ids]]


def _check_route(plan: Plan) -> None:
    if plan.pk is None:
        return
    foreign = [
        str(PhaseKind(kind).label)
        for kind in plan.phases.values_list("kind", flat=True)
        if kind not in kinds_of(plan.route)
    ]
    if foreign:
        raise ValidationError(
            {
                "route": _("The plan has phases of the other route (%(phases)s): remove them before changing route.")
                % {"phases": ", ".join(foreign)}
            }
        )


@transaction.atomic
def create_plan(*, plan: Plan, cities: Iterable[City], by: Person) -> Plan:
    """A new plan for ``plan.action`` or ``plan.group``; its buying city always takes part."""
    if plan.action is not None:
        plan.buyer = plan.action.city
        plan.programme = plan.action.city.programme
    elif plan.group is not None:
        plan.buyer = plan.group.challenge.city
        plan.programme = plan.buyer.programme
    else:
        raise ValidationError(_("Choose the roadmap action or the joint-procurement group it is for."))
    members = _check_cities(plan, cities)
    now = timezone.now()
    plan.created_by, plan.created_at, plan.updated_at, plan.version = by, now, now, 1
    plan.full_clean(exclude=["created_by", "cities"])
    plan.save()
    plan.cities.set(members)
    record(
        obj=plan,
        action=AuditKind.CREATED,
        actor=by,
        changes={"route": plan.route, "cities": sorted(c.name for c in members)},
        source="procurement",
    )
    return plan


@transaction.atomic
def change_plan(*, plan: Plan, cities: Iterable[City], expected: int, by: Person) -> Plan:
    """Save what the form changed, unless someone saved the plan since it was opened."""
    lock_at_version(plan, expected=expected)
    _check_route(plan)
    members = _check_cities(plan, cities)
    plan.updated_at = timezone.now()
    plan.version = expected + 1
    plan.full_clean(exclude=["created_by", "cities"])
    plan.save()
    plan.cities.set(members)
    record(obj=plan, action=AuditKind.CHANGED, actor=by, changes={"route": plan.route}, source="procurement")
    return plan


def _touch(plan: Plan) -> None:
    """A change of a phase or a document is a new version of the plan (and of its release)."""
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=timezone.now())


def _check_phase(phase: Phase) -> None:
    plan = phase.plan
    if phase.kind not in kinds_of(plan.route):
        raise ValidationError(
            {"kind": _("A plan on this route has no phase “%(phase)s”.") % {"phase": PhaseKind(phase.kind).label}}
        )
    if phase.starts_on and phase.ends_on and phase.ends_on < phase.starts_on:
        raise ValidationError({"ends_on": _("The phase ends before it starts: the end must be on or after the start.")})
    validators.MONEY.check(phase.budget)
    if Phase.objects.filter(plan=plan, kind=phase.kind).exclude(pk=phase.pk).exists():
        raise ValidationError({"kind": _("The plan has this phase already.")})


@transaction.atomic
def save_phase(*, phase: Phase, by: Person) -> Phase:
    _check_phase(phase)
    created = phase.pk is None
    phase.full_clean(exclude=["plan"])
    phase.save()
    _touch(phase.plan)
    record(
        obj=phase.plan,
        action=AuditKind.CHANGED,
        actor=by,
        changes={
            "phase": phase.kind,
            "added" if created else "changed": {
                "starts_on": phase.starts_on.isoformat() if phase.starts_on else None,
                "ends_on": phase.ends_on.isoformat() if phase.ends_on else None,
                "budget": str(phase.budget) if phase.budget is not None else None,
                "status": phase.status,
            },
        },
        source="procurement",
    )
    return phase


@transaction.atomic
def remove_phase(*, phase: Phase, by: Person) -> None:
    """Remove a phase and its documents; the audit trail keeps what it was."""
    names = [d.file.name for d in phase.documents.all()]
    plan = phase.plan
    record(obj=plan, action=AuditKind.CHANGED, actor=by, changes={"phase removed": phase.kind}, source="procurement")
    phase.delete()
    _touch(plan)
    storage = Document._meta.get_field("file").storage

    def delete_files() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete_files)


def document_name(raw: str) -> tuple[str, str]:
    """The name a document keeps (the uploaded file's own name, without folders, at most
    ``DOCUMENT_NAME_LENGTH`` characters) and its extension in lower case.

    The extension comes from the whole name, as the uploads gate reads it, and a name
    that is too long loses the end of its stem, never its extension: what is stored is
    the type that was checked.
    """
    name = Path(raw).name or "document"
    suffix = Path(name).suffix
    if len(name) > DOCUMENT_NAME_LENGTH:
        stem = name[: len(name) - len(suffix)]
        name = (stem[: max(DOCUMENT_NAME_LENGTH - len(suffix), 1)].rstrip(". ") or "document") + suffix
    return name, suffix.lower().lstrip(".")


@transaction.atomic
def add_document(*, phase: Phase, kind: str, title: str, upload: UploadedFile, by: Person) -> Document:
    """Store a document of ``phase`` once it passed the uploads gate (content, size, macros)."""
    uploads.check_document(upload)
    name, extension = document_name(upload.name or "")
    document = Document(
        phase=phase,
        kind=kind,
        title=title.strip(),
        original_name=name,
        content_type=DOCUMENT_TYPES[extension],
        size=upload.size or 0,
        added_by=by,
    )
    document.full_clean(exclude=["file", "added_by", "phase"])
    document.file.save(name, upload, save=False)
    document.save()
    _touch(phase.plan)
    record(
        obj=phase.plan,
        action=AuditKind.CHANGED,
        actor=by,
        changes={"document added": document.title, "phase": phase.kind},
        source="procurement",
    )
    return document
