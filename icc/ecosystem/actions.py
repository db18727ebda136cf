"""Changing a city's ecosystem: profiles, contacts, interviews, notes, insights, the guide.

Who may do what is decided in :mod:`icc.ecosystem.access`; these functions check what the
data itself requires (an interview's organisation and contact belong to its city). The
audit trail records who changed what by field name and never copies a sensitive note's
text, nor any other text people wrote: the entry says a note was written, not what it says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.core.models import AuditKind, record
from icc.core.versioning import save_versioned
from icc.ecosystem.models import Contact, Insight, Interview, InterviewGuide, SensitiveNote, Stakeholder

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import Organisation

STAKEHOLDER_FIELDS = ["role", "influence", "interest", "commitment", "champion", "remarks"]
INTERVIEW_FIELDS = ["organisation", "contact", "interviewer", "planned_on", "status", "held_on", "summary"]
GUIDE_FIELDS = ["introduction", "questions"]


@transaction.atomic
def save_stakeholder(*, stakeholder: Stakeholder, expected: int | None, by: Person) -> Stakeholder:
    """Save the mapping of one organisation (a new one, or a change if still at ``expected``)."""
    created = stakeholder.pk is None
    stakeholder.updated_at = timezone.now()
    stakeholder.full_clean()
    save_versioned(stakeholder, fields=STAKEHOLDER_FIELDS, expected=None if created else expected)
    record(
        obj=stakeholder.organisation,
        action=AuditKind.CREATED if created else AuditKind.CHANGED,
        actor=by,
        changes={"ecosystem": {"influence": stakeholder.influence, "interest": stakeholder.interest}},
    )
    return stakeholder


@transaction.atomic
def add_contact(*, contact: Contact, organisation: Organisation, by: Person) -> Contact:
    contact.organisation = organisation
    contact.added_by = by
    contact.full_clean(exclude=["added_by"])
    contact.save()
    record(obj=organisation, action=AuditKind.CHANGED, actor=by, changes={"contact": "added"})
    return contact


@transaction.atomic
def remove_contact(*, contact: Contact, by: Person) -> None:
    organisation = contact.organisation
    contact.delete()
    record(obj=organisation, action=AuditKind.CHANGED, actor=by, changes={"contact": "removed"})


def _check_belongs(interview: Interview) -> None:
    if interview.organisation.city_id != interview.city_id:
        raise ValidationError({"organisation": _("This organisation belongs to another city.")})
    if interview.contact is not None and interview.contact.organisation_id != interview.organisation_id:
        raise ValidationError({"contact": _("This person works at another organisation.")})


@transaction.atomic
def save_interview(*, interview: Interview, expected: int | None, by: Person) -> Interview:
    """Plan an interview, or save its record; the audit entry names the fields, not the summary."""
    created = interview.pk is None
    _check_belongs(interview)
    if created:
        interview.created_by = by
        interview.created_at = timezone.now()
    interview.updated_at = timezone.now()
    interview.full_clean(exclude=["created_by"])
    save_versioned(interview, fields=INTERVIEW_FIELDS, expected=None if created else expected)
    record(
        obj=interview,
        action=AuditKind.CREATED if created else AuditKind.CHANGED,
        actor=by,
        changes={"status": interview.status, "planned_on": interview.planned_on.isoformat()},
    )
    return interview


@transaction.atomic
def save_note(*, interview: Interview, text: str, by: Person) -> SensitiveNote | None:
    """Write, change or (with an empty text) delete ``by``'s own sensitive note on ``interview``.

    The audit entry records that a note was written or deleted, never its text."""
    text = text.strip()
    note = SensitiveNote.objects.select_for_update().filter(interview=interview, author=by).first()
    if not text:
        if note is not None:
            note.delete()
            record(obj=interview, action=AuditKind.CHANGED, actor=by, changes={"sensitive_note": "deleted"})
        return None
    if note is None:
        note = SensitiveNote(interview=interview, author=by)
    note.text = text
    note.written_at = timezone.now()
    note.full_clean()
    note.save()
    record(obj=interview, action=AuditKind.CHANGED, actor=by, changes={"sensitive_note": "written"})
    return note


@transaction.atomic
def add_insight(*, insight: Insight, interview: Interview, by: Person) -> Insight:
    insight.interview = interview
    insight.added_by = by
    if insight.theme is not None and insight.theme.programme_id != interview.city.programme_id:
        raise ValidationError({"theme": _("This theme belongs to another edition.")})
    insight.full_clean(exclude=["added_by"])
    insight.save()
    record(obj=interview, action=AuditKind.CHANGED, actor=by, changes={"insight": "added"})
    return insight


@transaction.atomic
def remove_insight(*, insight: Insight, by: Person) -> None:
    interview = insight.interview
    insight.delete()
    record(obj=interview, action=AuditKind.CHANGED, actor=by, changes={"insight": "removed"})


@transaction.atomic
def save_guide(*, guide: InterviewGuide, expected: int | None, by: Person) -> InterviewGuide:
    created = guide.pk is None
    guide.updated_at = timezone.now()
    guide.full_clean()
    save_versioned(guide, fields=GUIDE_FIELDS, expected=None if created else expected)
    record(obj=guide, action=AuditKind.CREATED if created else AuditKind.CHANGED, actor=by, changes={})
    return guide
