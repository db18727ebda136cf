"""A consultation's life after building: open it, move or bring forward its closing,
publish its results, moderate its free-text answers, or remove a draft."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.consultations import limits, structure
from icc.consultations.actions.answers import forget_email_keys
from icc.consultations.clock import city_day, start_of_day_after
from icc.consultations.models import CHOICE_TYPES, Answer, Consultation, Moderation, Phase, Status
from icc.core.formatting import format_number
from icc.core.models import AuditKind, record
from icc.public.languages import EU_LANGUAGES

if TYPE_CHECKING:
    from icc.accounts.models import Person


def _language(code: str) -> str:
    return EU_LANGUAGES.get(code, code)


def _retention_problems(consultation: Consultation, closes_at: dt.datetime) -> list[str]:
    until = consultation.personal_data_until
    if until is None:
        return [_("A question asks for personal data: set the date until which those answers are kept.")]
    closing_day = city_day(consultation.city, closes_at)
    if until < closing_day:
        return [_("Personal answers must be kept at least until the closing day.")]
    if until > closing_day + dt.timedelta(days=limits.MAX_RETENTION_DAYS):
        return [
            _("Personal answers may be kept at most %(days)s days after the closing.")
            % {"days": format_number(limits.MAX_RETENTION_DAYS, 0)}
        ]
    return []


def readiness(consultation: Consultation, default_language: str, now: dt.datetime | None = None) -> list[str]:
    """What stops the draft from opening, in words; nothing when it may open."""
    now = now or timezone.now()
    problems: list[str] = []
    language = _language(default_language)
    if not (consultation.title or {}).get(default_language):
        problems.append(_("Write the title in %(language)s, the default language.") % {"language": language})
    if consultation.opens_at is None or consultation.closes_at is None:
        problems.append(_("Set the opening and the closing."))
    elif consultation.closes_at <= now:
        problems.append(_("The closing is in the past."))
    elif consultation.closes_at - max(consultation.opens_at, now) > dt.timedelta(days=limits.MAX_OPEN_DAYS):
        problems.append(
            _("A consultation stays open at most %(days)s days.") % {"days": format_number(limits.MAX_OPEN_DAYS, 0)}
        )
    questions = structure.read(consultation).questions
    if not questions:
        problems.append(_("Add at least one question."))
    for question in questions:
        number = format_number(question.number, 0)
        if not question.text.get(default_language):
            problems.append(_("Write question %(n)s in %(language)s.") % {"n": number, "language": language})
        if question.type in CHOICE_TYPES and not all(c.label.get(default_language) for c in question.choices):
            problems.append(
                _("Write every choice of question %(n)s in %(language)s.") % {"n": number, "language": language}
            )
    if any(q.personal for q in questions) and consultation.closes_at is not None:
        problems.extend(_retention_problems(consultation, consultation.closes_at))
    return problems


def _schedule_housekeeping(consultation: Consultation) -> None:
    """Ask the worker, where it can wait, to forget what must be forgotten on time."""
    from icc.consultations import tasks

    def enqueue() -> None:
        if consultation.personal_data_until is not None:
            tasks.defer(
                tasks.erase_personal_answers, start_of_day_after(consultation.city, consultation.personal_data_until)
            )
        if consultation.needs_confirmation and consultation.closes_at is not None:
            tasks.defer(tasks.forget_email_keys, consultation.closes_at)
            tasks.defer(
                tasks.forget_unconfirmed_submissions,
                consultation.closes_at + dt.timedelta(days=limits.confirm_days(), hours=1),
            )

    transaction.on_commit(enqueue)


@transaction.atomic
def open_consultation(*, consultation: Consultation, default_language: str, by: Person | None) -> Consultation:
    locked = Consultation.objects.select_for_update().select_related("city").get(pk=consultation.pk)
    if not locked.is_draft:
        raise ValidationError(_("The consultation is already open."))
    problems = readiness(locked, default_language)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    locked.status = Status.OPEN
    locked.opens_at = max(locked.opens_at or now, now)
    locked.save(update_fields=["status", "opens_at", "updated_at"])
    record(
        obj=locked,
        action=AuditKind.CONSULTATION_OPENED,
        actor=by,
        changes={
            "opens_at": locked.opens_at.isoformat(),
            "closes_at": locked.closes_at.isoformat() if locked.closes_at else None,
        },
    )
    _schedule_housekeeping(locked)
    return locked


def _locked_running(consultation: Consultation) -> Consultation:
    locked = Consultation.objects.select_for_update().select_related("city").get(pk=consultation.pk)
    if locked.phase() not in (Phase.OPEN, Phase.SCHEDULED):
        raise ValidationError(_("The consultation is not open."))
    return locked


@transaction.atomic
def close_consultation(*, consultation: Consultation, by: Person | None) -> Consultation:
    """Close now, for good: a closed consultation is not reopened, and the hashes of the
    addresses its answers were confirmed from are forgotten at once."""
    locked = _locked_running(consultation)
    now = timezone.now()
    locked.status = Status.CLOSED
    locked.closes_at = min(locked.closes_at or now, now)
    locked.save(update_fields=["status", "closes_at", "updated_at"])
    forget_email_keys(now=now, consultation=locked)
    record(
        obj=locked, action=AuditKind.CONSULTATION_CLOSED, actor=by, changes={"closes_at": locked.closes_at.isoformat()}
    )
    return locked


@transaction.atomic
def move_closing(*, consultation: Consultation, closes_at: dt.datetime, by: Person | None) -> Consultation:
    locked = _locked_running(consultation)
    now = timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The closing is in the past. To close now, use “Close now”.")})
    if closes_at - max(locked.opens_at or now, now) > dt.timedelta(days=limits.MAX_OPEN_DAYS):
        raise ValidationError(
            {
                "closes_at": _("A consultation stays open at most %(days)s days.")
                % {"days": format_number(limits.MAX_OPEN_DAYS, 0)}
            }
        )
    if structure.read(locked).has_personal:
        problems = _retention_problems(locked, closes_at)
        if problems:
            raise ValidationError({"closes_at": problems})
    locked.closes_at = closes_at
    locked.save(update_fields=["closes_at", "updated_at"])
    record(obj=locked, action=AuditKind.DATES_CHANGED, actor=by, changes={"closes_at": closes_at.isoformat()})
    _schedule_housekeeping(locked)
    return locked


@transaction.atomic
def publish_results(*, consultation: Consultation, by: Person | None) -> Consultation:
    """Results are published only once the consultation has closed: figures that change as
    answers arrive would let someone watching them tell one person's answer."""
    locked = Consultation.objects.select_for_update().select_related("city").get(pk=consultation.pk)
    if locked.phase() != Phase.CLOSED:
        raise ValidationError(_("Results are published once the consultation has closed."))
    if not locked.results_published:
        locked.results_published = True
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["results_published", "results_published_at", "updated_at"])
        record(obj=locked, action=AuditKind.CONSULTATION_RESULTS_PUBLISHED, actor=by)
    return locked


@transaction.atomic
def unpublish_results(*, consultation: Consultation, by: Person | None) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.results_published:
        locked.results_published = False
        locked.save(update_fields=["results_published", "updated_at"])
        record(obj=locked, action=AuditKind.CONSULTATION_RESULTS_UNPUBLISHED, actor=by)
    return locked


@transaction.atomic
def moderate(*, answer: Answer, show: bool, by: Person | None) -> Answer:
    """Show a free-text answer in the results, or hide it (the number hidden is public)."""
    state = Moderation.SHOWN if show else Moderation.HIDDEN
    Answer.objects.filter(pk=answer.pk).update(moderation=state)
    answer.moderation = state
    record(
        obj=answer.question.consultation,
        action=AuditKind.ANSWER_SHOWN if show else AuditKind.ANSWER_HIDDEN,
        actor=by,
        changes={"answer": answer.pk},
    )
    return answer


@transaction.atomic
def remove_consultation(*, consultation: Consultation, by: Person | None) -> None:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.is_draft:
        raise ValidationError(_("Only a draft can be removed; an opened consultation stays, with its answers."))
    record(obj=locked, action=AuditKind.CONSULTATION_REMOVED, actor=by)
    locked.delete()
