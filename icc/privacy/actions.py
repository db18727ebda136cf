"""Erasure and retention: each atomic and audited.

Erasing a person keeps their row, so that what they wrote stays where it is, attributed
to "a former participant"; everything that names them is rewritten: their own fields, the
e-mail fields that carry their address, and every text, character and JSON column of
every model where their name or address appears.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from icc.cities.actions import remove_role
from icc.cities.models import Role, RoleKind
from icc.core.models import AuditKind, record
from icc.privacy.holdings import person_model, person_relations
from icc.privacy.models import ErasureRequest, RequestStatus
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

    Actor = Person | AnonymousUser | None

ERASED_DOMAIN = "invalid"
# The person's own fields that erasure sets itself; every other text field of theirs is blanked.
KEPT_FIELDS = frozenset({"password", "email", "full_name"})
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


class Refusal(enum.StrEnum):
    """Why a confirmation did not erase; the view words it."""

    NOT_PENDING = "not_pending"
    OWN_REQUEST = "own_request"
    LAST_TEAM_MEMBER = "last_team_member"


@dataclass(frozen=True)
class Outcome:
    refusal: Refusal | None = None
    programmes: tuple[str, ...] = ()

    @property
    def erased(self) -> bool:
        return self.refusal is None


def former_participant_name() -> str:
    """The name an erased person goes by, in the platform's own language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("a former participant")


def erased_address(person: Person) -> str:
    return f"erased-{person.pk}@{ERASED_DOMAIN}"


def is_erased(person: Person) -> bool:
    return person.email == erased_address(person)


def last_team_programmes(person: Person) -> list[Programme]:
    """The programmes whose programme team would be left empty without ``person``."""
    own = Role.objects.filter(person=person, kind=RoleKind.PROGRAMME_TEAM).values("programme")
    others = Role.objects.filter(kind=RoleKind.PROGRAMME_TEAM).exclude(person=person).values("programme")
    return list(Programme.objects.filter(pk__in=own).exclude(pk__in=others).order_by("name"))


@transaction.atomic
def request_erasure(*, person: Person, reason: str, source: str = "") -> ErasureRequest:
    """Ask the programme team to erase ``person``; one request waits at a time."""
    request = ErasureRequest.objects.create(person=person, reason=reason.strip())
    record(obj=request, action=AuditKind.ERASURE_REQUESTED, actor=person, source=source)
    return request


@transaction.atomic
def confirm_erasure(*, request: ErasureRequest, by: Person, source: str = "") -> Outcome:
    """Erase the person behind ``request``, unless it is decided already, is the confirmer's
    own, or would leave a programme without its team (that refusal is recorded)."""
    request = ErasureRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if not request.is_pending:
        return Outcome(Refusal.NOT_PENDING)
    if request.person_id == by.pk:
        return Outcome(Refusal.OWN_REQUEST)
    blocking = last_team_programmes(request.person)
    if blocking:
        slugs = tuple(p.slug for p in blocking)
        record(
            obj=request,
            action=AuditKind.ERASURE_REFUSED,
            actor=by,
            changes={"reason": Refusal.LAST_TEAM_MEMBER.value, "programmes": list(slugs)},
            source=source,
        )
        return Outcome(Refusal.LAST_TEAM_MEMBER, tuple(p.name for p in blocking))
    erase_person(person=request.person, by=by, source=source)
    ErasureRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.ERASED, decided_at=timezone.now(), decided_by=by
    )
    record(obj=request, action=AuditKind.ERASURE_CONFIRMED, actor=by, source=source)
    return Outcome()


@transaction.atomic
def decline_erasure(*, request: ErasureRequest, by: Person, note: str, source: str = "") -> bool:
    """Decline a waiting request with a note to the person; False if it was decided already."""
    updated = ErasureRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=RequestStatus.DECLINED, decided_at=timezone.now(), decided_by=by, decision_note=note.strip()
    )
    if updated:
        record(obj=request, action=AuditKind.ERASURE_DECLINED, actor=by, source=source)
    return bool(updated)


def _end_sessions(person: Person) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
            ended += 1
    return ended


def _revoke_tokens(person: Person, now: dt.datetime) -> int:
    """Revoke every access token, calendar link and the like: a row that points at the
    person and has a ``revoked_at`` field."""
    revoked = 0
    for relation in person_relations():
        if relation.many:
            continue
        names = {f.name for f in relation.model._meta.concrete_fields}
        if "revoked_at" in names:
            revoked += relation.model._default_manager.filter(
                **{relation.field: person, "revoked_at__isnull": True}
            ).update(revoked_at=now)
    return revoked


def _replace(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, list):
        return [_replace(item, pattern, replacement) for item in value]
    if isinstance(value, dict):
        return {_replace(k, pattern, replacement): _replace(v, pattern, replacement) for k, v in value.items()}
    return value


def _scrub_column(model: type[models.Model], column: models.Field[Any, Any], words: list[tuple[str, str]]) -> int:
    """Rewrite every value of one column that holds one of ``words`` (each with its replacement)."""
    manager = model._default_manager
    name = column.name
    is_json = isinstance(column, models.JSONField)
    match = Q()
    for word, _replacement in words:
        if is_json:
            match |= Q(_text__icontains=word) | Q(_text__icontains=json.dumps(word)[1:-1])
        else:
            match |= Q(**{f"{name}__icontains": word})
    rows = manager.annotate(_text=Cast(name, TextField())) if is_json else manager.all()
    changed = 0
    for pk, value in list(rows.filter(match).values_list("pk", name)):
        new = value
        if isinstance(column, models.EmailField) and str(value).strip().lower() == words[-1][0].lower():
            new = "" if column.blank else words[-1][1]
        else:
            for word, replacement in words:
                new = _replace(new, re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE), replacement)
        if new == value:
            continue
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{name: new})
        except IntegrityError:
            # Another row holds the rewritten value already, where it must be unique.
            manager.filter(pk=pk).update(**{name: f"{new} {pk}" if isinstance(new, str) else new})
        changed += 1
    return changed


def scrub_everywhere(*, words: list[tuple[str, str]], skip: type[models.Model] | None = None) -> int:
    """Replace each ``(word, replacement)`` in every text, character and JSON column of
    every model; the last pair is the e-mail address. Returns how many values changed."""
    changed = 0
    for model in apps.get_models():
        meta = model._meta
        if model is skip or meta.proxy or not meta.managed or meta.label == "sessions.Session":
            continue
        for column in meta.concrete_fields:
            if isinstance(column, TEXT_FIELDS) and not column.choices and not column.primary_key:
                changed += _scrub_column(model, column, words)
    return changed


@transaction.atomic
def erase_person(*, person: Person, by: Actor, source: str = "", kind: AuditKind = AuditKind.ERASURE_CONFIRMED) -> None:
    """Anonymise ``person`` everywhere: name, address, personal fields, password, roles,
    sessions, tokens, and every copy of their name or address in the platform's texts."""
    old_name, old_email = person.full_name.strip(), person.email
    now = timezone.now()
    person.full_name = former_participant_name()
    person.email = erased_address(person)
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    changed = ["full_name", "email", "password", "is_active", "is_staff", "is_superuser", "last_login"]
    for column in person._meta.concrete_fields:
        if column.name in KEPT_FIELDS or column.name in changed:
            continue
        if isinstance(column, (models.CharField, models.TextField)) and column.blank:
            setattr(person, column.attname, "")
            changed.append(column.name)
        elif isinstance(column, (models.DateField, models.DateTimeField)) and column.null:
            setattr(person, column.attname, None)
            changed.append(column.name)
    person.save(update_fields=changed)
    person.groups.clear()
    person.user_permissions.clear()
    for role in Role.objects.filter(person=person):
        remove_role(role=role, by=by)
    _end_sessions(person)
    _revoke_tokens(person, now)
    words = [(old_name, person.full_name)] if old_name else []
    words.append((old_email, person.email))
    scrub_everywhere(words=words, skip=person_model())
    record(obj=person, action=kind, actor=by, source=source)


# Retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retained:
    """What one retention run did."""

    accounts: int = 0
    kept_for_team: int = 0
    consultations: int = 0
    ideas: int = 0


def apply_retention(*, now: dt.datetime | None = None) -> Retained:
    """Anonymise the accounts unused past their period, and blank the contact data left
    in consultations and calls for ideas closed past theirs (the daily run calls this)."""
    from icc.consultations.models import Answer, Consultation
    from icc.ideas.models import Idea, IdeaCall

    now = now or timezone.now()
    account_cutoff = now - dt.timedelta(days=settings.ICC_RETENTION_INACTIVE_ACCOUNT_DAYS)
    contact_cutoff = now - dt.timedelta(days=settings.ICC_RETENTION_CONTACT_DATA_DAYS)

    accounts = kept = 0
    idle = (
        person_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=account_cutoff) | Q(last_login__isnull=True, date_joined__lt=account_cutoff))
    )
    for person in idle:
        if is_erased(person):
            continue
        if last_team_programmes(person):
            kept += 1
            continue
        erase_person(person=person, by=None, source="retention", kind=AuditKind.RETENTION_APPLIED)
        accounts += 1

    consultations = 0
    due = Consultation.objects.filter(closes_at__lt=contact_cutoff, personal_data_erased_at__isnull=True)
    for consultation in due:
        with transaction.atomic():
            count, _rows = Answer.objects.filter(
                submission__consultation=consultation, question__personal=True
            ).delete()
            Consultation.objects.filter(pk=consultation.pk).update(personal_data_erased_at=now)
            record(obj=consultation, action=AuditKind.RETENTION_APPLIED, changes={"answers": count}, source="retention")
        consultations += 1

    ideas = 0
    for call in IdeaCall.objects.filter(closes_on__lt=contact_cutoff.date(), ideas__email__gt="").distinct():
        with transaction.atomic():
            count = Idea.objects.filter(call=call).exclude(email="").update(email="", email_kept_until=None)
            record(obj=call, action=AuditKind.RETENTION_APPLIED, changes={"e-mails": count}, source="retention")
        ideas += count
    return Retained(accounts=accounts, kept_for_team=kept, consultations=consultations, ideas=ideas)
