"""Storing a visitor's answers, confirming them by e-mail, and forgetting on time.

A submission is one short transaction: the count for the visitor's address, one row for
the submission and one insert for all its answers. Two submissions from one browser (two
tabs, a replayed request) collide on the unique key of the browser, so the second one is
refused whole, with its address count rolled back. An answer waiting for confirmation is
kept only if its e-mail could be handed to the mail server once it was stored.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.mail import BadHeaderError, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from icc.consultations import limits
from icc.consultations.answering import Parsed
from icc.consultations.clock import city_day
from icc.consultations.models import Answer, Consultation, Status, Submission
from icc.core.models import AuditKind, record
from icc.core.queueing import queued_atomic
from icc.public.participation import count_submission, email_key, participant_key

if TYPE_CHECKING:
    from django.http import HttpRequest

CONFIRM_SALT = "icc.consultations.confirm"
logger = logging.getLogger(__name__)


class AlreadyCounted(Exception):
    """This browser's answer (or this e-mail address's) is already stored."""


class ConfirmationNotSent(Exception):
    """The e-mail with the confirmation link could not be sent, so the answer was not kept."""


def scope(consultation: Consultation) -> str:
    return f"consultation:{consultation.pk}"


def key_of(consultation: Consultation, visitor: str) -> str:
    return participant_key(scope(consultation), visitor)


def _hour(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0)


def submit(*, request: HttpRequest, consultation: Consultation, parsed: Parsed, visitor: str) -> Submission:
    """Store a valid answer; ``AlreadyCounted`` if this browser answered already, a
    ``ValidationError`` (code ``rate_limited``) past the limit of its address, and
    ``ConfirmationNotSent`` when the confirmation e-mail it needs could not be sent."""
    key = key_of(consultation, visitor)
    confirmed = not consultation.needs_confirmation
    try:
        with queued_atomic():
            count_submission(request, scope(consultation))
            if not confirmed:
                # A browser whose answer waits for confirmation may send it again (say, to another address).
                Submission.objects.filter(consultation=consultation, participant_key=key, confirmed=False).delete()
            submission = Submission.objects.create(
                consultation=consultation,
                participant_key=key,
                created_at=_hour(timezone.now()),
                confirmed=confirmed,
                email_key=email_key(scope(consultation), parsed.email) if parsed.email else "",
            )
            Answer.objects.bulk_create(
                Answer(
                    submission=submission,
                    question_id=row.question,
                    choice_id=row.choice,
                    other=row.other,
                    position=row.position,
                    rating=row.rating,
                    text=row.text,
                    moderation=row.moderation,
                )
                for row in parsed.rows
            )
    except IntegrityError:
        raise AlreadyCounted from None
    if not confirmed:
        _send_or_withdraw(consultation, submission, parsed.email)
    return submission


def _send_or_withdraw(consultation: Consultation, submission: Submission, email: str) -> None:
    """Send the confirmation link of a stored answer; if the mail server refuses or cannot be
    reached, delete the answer again, so that nobody waits for an e-mail that never comes."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        send_confirmation(consultation, email, confirmation_path(consultation, submission), language)
    except (OSError, BadHeaderError) as error:
        # The error's text may name the address: only its kind is logged.
        logger.warning("Confirmation e-mail of consultation %s not sent: %s", consultation.pk, type(error).__name__)
        Submission.objects.filter(pk=submission.pk, confirmed=False).delete()
        raise ConfirmationNotSent from None


def confirmation_token(submission: Submission) -> str:
    return signing.dumps(submission.pk, salt=CONFIRM_SALT)


def confirmation_path(consultation: Consultation, submission: Submission) -> str:
    publication = consultation.city.publication
    return reverse(
        "public:consultation_confirm",
        kwargs={
            "programme": publication.programme.slug,
            "city": publication.slug,
            "pk": consultation.pk,
            "token": confirmation_token(submission),
        },
    )


def send_confirmation(consultation: Consultation, email: str, path: str, language: str) -> None:
    """The e-mail with the confirmation link, in the visitor's language.

    Sent right after the answer is stored, not through the task queue, so that the address
    is written nowhere: not with the answer, and not in a queued task. The subject is one
    line whatever the title holds (a header cannot take a line break).
    """
    from icc.public.translations import pick

    publication = consultation.city.publication
    with translation.override(language):
        context = {
            "title": pick(consultation.title, language, publication.default_language).text,
            "city": consultation.city.name,
            "link": settings.SITE_URL + path,
            "days": limits.confirm_days(),
        }
        subject = " ".join(render_to_string("consultations/email/confirm_subject.txt", context).split())
        body = render_to_string("consultations/email/confirm.txt", context)
    send_mail(subject, body, None, [email])


class Confirmation(Enum):
    CONFIRMED = "confirmed"
    ALREADY = "already"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    CLOSED = "closed"


@dataclass(frozen=True)
class ConfirmationLink:
    submission: Submission | None
    expired: bool = False


def read_token(consultation: Consultation, token: str) -> ConfirmationLink:
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=dt.timedelta(days=limits.confirm_days()))
    except signing.SignatureExpired:
        return ConfirmationLink(None, expired=True)
    except signing.BadSignature:
        return ConfirmationLink(None)
    if not isinstance(pk, int):
        return ConfirmationLink(None)
    return ConfirmationLink(Submission.objects.filter(pk=pk, consultation=consultation).first())


def confirm(*, consultation: Consultation, submission: Submission) -> Confirmation:
    """Count an answer confirmed from its e-mail; one per address, and only while open."""
    if submission.confirmed:
        return Confirmation.ALREADY
    if not consultation.accepts_answers():
        return Confirmation.CLOSED
    try:
        with transaction.atomic():
            updated = Submission.objects.filter(pk=submission.pk, confirmed=False).update(confirmed=True)
    except IntegrityError:
        # The address confirmed another answer already: this one never counts.
        Submission.objects.filter(pk=submission.pk, confirmed=False).delete()
        return Confirmation.DUPLICATE
    return Confirmation.CONFIRMED if updated else Confirmation.ALREADY


def erase_personal_answers(*, now: dt.datetime | None = None) -> int:
    """Delete the answers to personal questions of every consultation whose date for
    keeping them has passed (in the city's calendar); returns how many were erased."""
    now = now or timezone.now()
    erased = 0
    due = Consultation.objects.filter(
        personal_data_until__isnull=False,
        personal_data_until__lt=now.date() + dt.timedelta(days=1),
        personal_data_erased_at__isnull=True,
    ).select_related("city")
    for consultation in due:
        if consultation.personal_data_until is None or consultation.personal_data_until >= city_day(
            consultation.city, now
        ):
            continue
        with transaction.atomic():
            count, _rows = Answer.objects.filter(
                submission__consultation=consultation, question__personal=True
            ).delete()
            Consultation.objects.filter(pk=consultation.pk).update(personal_data_erased_at=now)
            record(obj=consultation, action=AuditKind.PERSONAL_DATA_ERASED, actor=None, changes={"answers": count})
        erased += count
    return erased


def forget_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete the answers whose confirmation link has expired unused."""
    now = now or timezone.now()
    # Stored to the hour: an hour more, so that no link still working loses its answer.
    cutoff = now - dt.timedelta(days=limits.confirm_days(), hours=1)
    _count, rows = Submission.objects.filter(confirmed=False, created_at__lt=cutoff).delete()
    return rows.get(Submission._meta.label, 0)


def forget_email_keys(*, now: dt.datetime | None = None, consultation: Consultation | None = None) -> int:
    """Forget the keyed hashes of the addresses answers came from, once their consultation
    (``consultation``, or every one) takes no more answers and no more confirmations: while
    kept, whoever holds the database and the site's key could test an address and read the
    answers confirmed from it. Returns how many were forgotten."""
    now = now or timezone.now()
    over = Consultation.objects.filter(Q(status=Status.CLOSED) | Q(closes_at__lte=now))
    if consultation is not None:
        over = over.filter(pk=consultation.pk)
    return Submission.objects.filter(consultation__in=over).exclude(email_key="").update(email_key="")
