"""The e-mail digest: each person's unread notices since their last digest, once a period.

A person chooses never, daily or weekly (weekly unless they chose). The digest of a
period lists the notices that arrived since the last digest, still unread, that the
person may still open when it is built: nothing from a role that has ended. Nobody gets
an empty digest, and nobody gets two in one period (a day, or an ISO week), even when
the run is started twice or two run at once: each chunk of subscriptions is claimed for
the period in one UPDATE before its mails are built, so a run that fails leaves the
chunks it had not reached to the next run, and the ones it claimed are not sent twice.

Every digest carries a one-click unsubscribe (RFC 8058: ``List-Unsubscribe`` with
``List-Unsubscribe-Post``) that works without signing in.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from icc.accounts.models import Person
from icc.cities.models import Role
from icc.inbox import actions
from icc.inbox.models import Frequency, Kind, Notification, Subscription
from icc.inbox.targets import Reach, Shown, resolve
from icc.inbox.tokens import unsubscribe_token

if TYPE_CHECKING:
    from django.core.mail.backends.base import BaseEmailBackend

PERIOD_LENGTH = {Frequency.DAILY: dt.timedelta(days=1), Frequency.WEEKLY: dt.timedelta(days=7)}
# How many notices a digest lists; the rest wait in the inbox, which the digest links to.
MAX_LISTED = 50
CHUNK = 200

# The digest's sections, in this order.
GROUPS = (
    (_("Messages"), (Kind.MENTION, Kind.REPLY, Kind.DIRECT)),
    (_("Deliverables"), (Kind.REVIEWED,)),
    (_("Budgets to sign off"), (Kind.SIGN_OFF,)),
    (_("KPI updates"), (Kind.KPI_LATE, Kind.KPI_DUE)),
    (_("TAG sessions"), (Kind.SESSION_TOMORROW,)),
    (_("Follow-ups"), (Kind.FOLLOW_UP_OVERDUE,)),
    (_("Your actions"), (Kind.ACTION_OVERDUE,)),
    (_("City toolbox"), (Kind.LIBRARY_ITEM,)),
    (_("Funding calls"), (Kind.FUNDING_CALLS,)),
    (_("Early warning"), (Kind.RISK_FLAGGED,)),
)


def _chunks(values: Sequence[int], size: int) -> list[Sequence[int]]:
    return [values[start : start + size] for start in range(0, len(values), size)]


def period_of(frequency: str, now: dt.datetime) -> str:
    """The period a digest belongs to, in the programme's time zone: a day or an ISO week."""
    day = timezone.localdate(now)
    if frequency == Frequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestRun:
    frequency: str
    period: str
    due: int = 0  # subscriptions of this frequency with unread notices, not yet sent this period
    sent: int = 0
    empty: int = 0  # nothing they may still open: no e-mail


def send_digests(
    *, frequency: str | None = None, now: dt.datetime | None = None, connection: BaseEmailBackend | None = None
) -> list[DigestRun]:
    """Build and send the digests due now: of ``frequency``, or of both daily and weekly."""
    now = now or timezone.now()
    frequencies = [Frequency(frequency)] if frequency else [Frequency.DAILY, Frequency.WEEKLY]
    connection = connection or get_connection()
    return [_send(Frequency(f), now, connection) for f in frequencies if f != Frequency.NEVER]


def _unread_people(now: dt.datetime) -> QuerySet[Notification, Any]:
    return Notification.objects.filter(read_at=None, created_at__lte=now).values("person")


def _subscribe_by_default(now: dt.datetime) -> None:
    """Give a subscription row (weekly, the default) to people with unread notices and none yet."""
    missing = (
        Person.objects.filter(is_active=True, pk__in=_unread_people(now))
        .exclude(pk__in=Subscription.objects.values("person"))
        .values_list("pk", flat=True)
    )
    Subscription.objects.bulk_create(
        [Subscription(person_id=pk) for pk in missing], batch_size=1_000, ignore_conflicts=True
    )


def _send(frequency: Frequency, now: dt.datetime, connection: BaseEmailBackend) -> DigestRun:
    period = period_of(frequency, now)
    run = DigestRun(frequency, period)
    if frequency == Frequency.WEEKLY:
        _subscribe_by_default(now)
    due = list(
        Subscription.objects.filter(frequency=frequency, person__is_active=True, person__in=_unread_people(now))
        .exclude(last_period=period)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    run.due = len(due)
    reach = Reach()
    for chunk in _chunks(due, CHUNK):
        claim = uuid.uuid4()
        Subscription.objects.filter(pk__in=chunk, frequency=frequency).exclude(last_period=period).update(
            last_period=period, claim=claim
        )
        claimed = list(Subscription.objects.filter(claim=claim).select_related("person"))
        notices = _notices_for(claimed, frequency, now)
        roles = roles_of_people([s.person_id for s in claimed])
        reach.expect(n for found in notices.values() for n in found)
        messages, sent = [], []
        for subscription in claimed:
            person = subscription.person
            message = build(
                person,
                notices.get(person.pk, []),
                frequency=frequency,
                roles=roles.get(person.pk, frozenset()),
                reach=reach,
            )
            if message is None:
                run.empty += 1
                continue
            messages.append(message)
            sent.append(subscription.pk)
        if messages:
            connection.send_messages(messages)
            Subscription.objects.filter(pk__in=sent).update(last_sent_at=now)
        run.sent += len(messages)
    return run


def roles_of_people(people: Sequence[int]) -> dict[int, frozenset[tuple[Any, ...]]]:
    """Each person's roles, in one query: what the role-bound access rules look at."""
    found: dict[int, set[tuple[Any, ...]]] = defaultdict(set)
    fields = ("programme_id", "kind", "city_id", "theme_id", "service_id", "organisation_id")
    for person_id, *role in Role.objects.filter(person_id__in=people).values_list("person_id", *fields):
        found[person_id].add(tuple(role))
    return {person_id: frozenset(roles) for person_id, roles in found.items()}


def _since(subscription: Subscription, frequency: Frequency, now: dt.datetime) -> dt.datetime:
    return subscription.last_sent_at or now - PERIOD_LENGTH[frequency]


def _notices_for(
    subscriptions: Sequence[Subscription], frequency: Frequency, now: dt.datetime
) -> dict[int, list[Notification]]:
    """Each person's unread notices since their last digest, newest first, in one query."""
    if not subscriptions:
        return {}
    since = {s.person_id: _since(s, frequency, now) for s in subscriptions}
    rows = (
        Notification.objects.filter(
            person_id__in=since, read_at=None, created_at__lte=now, created_at__gt=min(since.values())
        )
        .select_related("actor")
        .order_by("person_id", "-created_at", "-pk")
    )
    found: dict[int, list[Notification]] = defaultdict(list)
    for notification in rows:
        if notification.created_at > since[notification.person_id]:
            found[notification.person_id].append(notification)
    return found


def group(shown: Sequence[Shown]) -> list[tuple[str, list[Shown]]]:
    by_kind: dict[str, list[Shown]] = defaultdict(list)
    for item in shown:
        by_kind[item.notification.kind].append(item)
    groups = []
    for label, kinds in GROUPS:
        members = [item for kind in kinds for item in by_kind.get(kind, [])]
        if members:
            groups.append((str(label), members))
    return groups


def unsubscribe_url(person: Person) -> str:
    return settings.SITE_URL + reverse("inbox:unsubscribe", kwargs={"token": unsubscribe_token(person)})


def build(
    person: Person,
    notices: Sequence[Notification],
    *,
    frequency: str,
    roles: frozenset[tuple[Any, ...]] | None = None,
    reach: Reach | None = None,
) -> EmailMultiAlternatives | None:
    """The digest e-mail of ``person`` from their ``notices``; None when they may open none of them.

    ``roles`` and ``reach`` come from a run over many people (see :func:`roles_of_people`).
    """
    if not notices:
        return None
    # Internal pages are in English; times are shown in the person's own zone.
    with translation.override(settings.LANGUAGE_CODE), timezone.override(person.time_zone or None):
        shown, gone = resolve(person, notices, roles=roles, reach=reach)
        actions.put_away(gone)
        if not shown:
            return None
        listed = shown[:MAX_LISTED]
        context = {
            "person": person,
            "groups": group(listed),
            "more": len(shown) - len(listed),
            "frequency": Frequency(frequency).label,
            "site": settings.SITE_URL,
            "inbox_url": settings.SITE_URL + reverse("inbox:inbox"),
            "preferences_url": settings.SITE_URL + reverse("journey:preferences"),
            "unsubscribe_url": unsubscribe_url(person),
        }
        subject = ngettext(
            "Your %(frequency)s ICC digest: %(count)s new notice",
            "Your %(frequency)s ICC digest: %(count)s new notices",
            len(shown),
        ) % {"frequency": str(Frequency(frequency).label).lower(), "count": len(shown)}
        text = render_to_string("inbox/email/digest.txt", context)
        html = render_to_string("inbox/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        None,
        [person.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
