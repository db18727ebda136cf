"""The anonymous local-enablers survey: campaigns, invitations, answers and results.

Anonymity is kept by what is *not* stored and by what is *not* shown. No person, e-mail
address, IP address or time goes with an answer; answer sheets and invitations have random
keys, and an invitation is deleted once used. Nothing about the answers shows while the
survey is open, so no one can watch results change as answers come in. Open or closed is
decided by the date in the city's own time zone, whoever asks, and closing is final. The
first time the results are asked for after closing they are released once: counts with
Laplace noise (differential privacy, see :mod:`icc.assessments.disclosure`), stored, and
served from then on, so that neither answers added by the city team itself nor looking
again can single out one person. The people who can see the results cannot answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.assessments import disclosure
from icc.assessments.models import (
    MIN_RESPONSES,
    Instrument,
    InstrumentKind,
    Question,
    QuestionType,
    SatAnswer,
    SatCampaign,
    SatInvitation,
    SatResponse,
)
from icc.cities.models import City, RoleKind
from icc.cities.roles import roles_of
from icc.core.formatting import format_number
from icc.core.models import AuditKind, record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from icc.accounts.models import Person

INVITATION_DAYS = 30
# The longest a survey round stays open, so that its links do not work for ever.
MAX_OPEN_DAYS = 366
MAX_INVITATIONS = 200
SHARE_LIMIT_PER_HOUR = 10


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def city_today(city: City) -> dt.date:
    """Today's date where the city is: the one calendar that opens and closes its survey.

    Not the viewer's own time zone, which each person chooses, so that no one sees results
    a day early or finds a closed survey open again.
    """
    try:
        zone = zoneinfo.ZoneInfo(city.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return timezone.localdate(timezone.now(), zone)


def is_closed(campaign: SatCampaign) -> bool:
    return campaign.is_closed(city_today(campaign.city))


CLOSED_FOR_GOOD = gettext_lazy(
    "This survey is closed for good: it takes no more answers and cannot be reopened, so that no one can compare "
    "what it shows before and after a new answer. For new answers, open the survey's next round."
)


def enablers_instrument(city: City) -> Instrument | None:
    return (
        Instrument.objects.filter(programme_id=city.programme_id, kind=InstrumentKind.ENABLERS)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def open_campaign(*, city: City, instrument: Instrument, round: str, closes_on: dt.date, by: Person) -> SatCampaign:
    """Open the survey or move its closing date; a closed survey is never reopened."""
    today = city_today(city)
    existing = SatCampaign.objects.select_for_update().filter(instrument=instrument, city=city, round=round).first()
    if existing is not None and existing.is_closed(today):
        raise ValidationError(str(CLOSED_FOR_GOOD))
    if closes_on < today:
        raise ValidationError(_("The closing date is in the past."))
    if closes_on > today + dt.timedelta(days=MAX_OPEN_DAYS):
        raise ValidationError(
            _("A survey stays open at most %(days)s days: choose a closing date until %(date)s.")
            % {
                "days": format_number(MAX_OPEN_DAYS, 0),
                "date": date_format(today + dt.timedelta(days=MAX_OPEN_DAYS), "DATE_FORMAT"),
            }
        )
    campaign, created = SatCampaign.objects.get_or_create(
        instrument=instrument, city=city, round=round, defaults={"closes_on": closes_on, "created_by": by}
    )
    if not created:
        campaign.closes_on = closes_on
        campaign.save(update_fields=["closes_on"])
    record(
        obj=campaign,
        action=AuditKind.SURVEY_OPENED if created else AuditKind.SURVEY_CLOSING_CHANGED,
        actor=by,
        changes={"closes_on": str(closes_on)},
    )
    return campaign


@transaction.atomic
def close_campaign(*, campaign: SatCampaign, by: Person) -> SatCampaign:
    """Close the survey now and for good: no more answers, and its results show if enough people answered."""
    campaign = SatCampaign.objects.select_for_update().select_related("city").get(pk=campaign.pk)
    today = city_today(campaign.city)
    if campaign.is_closed(today):
        raise ValidationError(_("The survey is already closed."))
    campaign.closed_on = today
    campaign.save(update_fields=["closed_on"])
    record(obj=campaign, action=AuditKind.SURVEY_CLOSED, actor=by, changes={"closed_on": str(today)})
    return campaign


def _check_open(campaign: SatCampaign) -> SatCampaign:
    """The campaign, locked, as long as it is open; a ValidationError once it has closed."""
    locked = SatCampaign.objects.select_for_update().select_related("city").get(pk=campaign.pk)
    if is_closed(locked):
        raise ValidationError(str(CLOSED_FOR_GOOD))
    return locked


def _link(kind: str, token: str) -> str:
    return settings.SITE_URL + reverse("assessments:survey", kwargs={"kind": kind, "token": token})


@transaction.atomic
def invite(*, campaign: SatCampaign, emails: list[str], by: Person) -> int:
    """E-mail each address its own single-use link; the addresses themselves are not stored."""
    campaign = _check_open(campaign)
    if len(emails) > MAX_INVITATIONS:
        raise ValidationError(_("At most %(n)s addresses at a time.") % {"n": format_number(MAX_INVITATIONS, 0)})
    expires_on = min(campaign.closes_on, city_today(campaign.city) + dt.timedelta(days=INVITATION_DAYS))
    messages = []
    # Stored in a random order, so that not even the order of rows follows the list given.
    shuffled = list(emails)
    secrets.SystemRandom().shuffle(shuffled)
    for email in shuffled:
        token = secrets.token_urlsafe(24)
        SatInvitation.objects.create(campaign=campaign, token_digest=digest(token), expires_on=expires_on)
        body = _(
            "%(city)s invites you to answer the %(survey)s. It takes about 15 minutes and is anonymous: "
            "your name and address are not kept with your answers.\n\n%(link)s\n\nThe link works once, until %(until)s."
        ) % {
            "city": campaign.city,
            "survey": campaign.instrument.name,
            "link": _link("i", token),
            "until": date_format(expires_on, "DATE_FORMAT"),
        }
        messages.append((_("Your view on %(city)s") % {"city": campaign.city}, body, None, [email]))
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    SatCampaign.objects.filter(pk=campaign.pk).update(invitations_sent=F("invitations_sent") + len(emails))
    record(obj=campaign, action=AuditKind.INVITATIONS_SENT, actor=by, changes={"count": len(emails)})
    return len(emails)


@transaction.atomic
def new_share_link(*, campaign: SatCampaign, by: Person) -> str:
    """A fresh shareable link; the previous one stops working."""
    campaign = _check_open(campaign)
    token = secrets.token_urlsafe(24)
    campaign.share_token_digest = digest(token)
    campaign.save(update_fields=["share_token_digest"])
    record(obj=campaign, action=AuditKind.SHARE_LINK_RENEWED, actor=by)
    return _link("s", token)


class SurveyClosed(Exception):
    """The link is unknown, used, expired or its survey has closed; the message says which."""


UNUSABLE_INVITATION = gettext_lazy(
    "This link is not valid or has already been used. Check that you copied all of it; each invitation works once."
)


def campaign_for(kind: str, token: str) -> tuple[SatCampaign, SatInvitation | None]:
    if kind == "i":
        invitation = (
            SatInvitation.objects.select_related("campaign__city", "campaign__instrument")
            .filter(token_digest=digest(token))
            .first()
        )
        if invitation is None:
            # A used invitation is deleted, so it cannot be told apart from a mistyped one.
            raise SurveyClosed(str(UNUSABLE_INVITATION))
        if invitation.expires_on < city_today(invitation.campaign.city):
            raise SurveyClosed(_("This link has expired."))
        campaign = invitation.campaign
    elif kind == "s" and token:
        shared = (
            SatCampaign.objects.select_related("city", "instrument").filter(share_token_digest=digest(token)).first()
        )
        invitation = None
        if shared is None:
            raise SurveyClosed(_("This link is not valid. Check that you copied all of it."))
        campaign = shared
    else:
        raise SurveyClosed(_("This link is not valid. Check that you copied all of it."))
    _refuse_if_closed(campaign)
    return campaign, invitation


def _refuse_if_closed(campaign: SatCampaign) -> None:
    if is_closed(campaign):
        raise SurveyClosed(
            _("This survey closed on %(date)s.")
            % {"date": date_format(campaign.closed_on or campaign.closes_on, "DATE_FORMAT")}
        )


def may_answer(person: Person | AnonymousUser, city: City) -> bool:
    """Whether ``person`` may answer ``city``'s survey while signed in.

    Whoever can open the city's pages can see the survey's results (its team, its lead
    expert, the programme team and the experts following it); if they could answer too,
    they could add answers of their own and read one stakeholder's answers from the
    difference. The city's ecosystem stakeholders, who do not see the results, may answer.
    """
    if not person.is_authenticated:
        return True
    if City.objects.visible_to(person).filter(pk=city.pk).exists():
        return False
    return not roles_of(person).filter(city=city).exclude(kind=RoleKind.STAKEHOLDER).exists()


def share_rate_limited(campaign: SatCampaign, client_address: str) -> bool:
    """At most a few answers an hour through the shared link from one address.

    The address is only hashed into a short-lived cache key, never stored with answers.
    """
    key = "sat-share:" + hashlib.sha256(f"{campaign.pk}:{client_address}:{settings.SECRET_KEY}".encode()).hexdigest()
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > SHARE_LIMIT_PER_HOUR


@transaction.atomic
def submit_answers(*, kind: str, token: str, values: dict[int, tuple[Any, bool]]) -> SatResponse:
    found, invitation = campaign_for(kind, token)
    # Locked, as closing and releasing lock it: no answer slips in once either has begun.
    campaign = SatCampaign.objects.select_for_update().select_related("city", "instrument").get(pk=found.pk)
    _refuse_if_closed(campaign)
    if invitation is not None:
        # Deleting is the check: of two tabs sending at once, only one deletes the row.
        deleted, _rows = SatInvitation.objects.filter(pk=invitation.pk).delete()
        if not deleted:
            raise SurveyClosed(str(UNUSABLE_INVITATION))
    questions = set(Question.objects.filter(section__instrument=campaign.instrument).values_list("pk", flat=True))
    response = SatResponse.objects.create(campaign=campaign)
    SatAnswer.objects.bulk_create(
        SatAnswer(response=response, question_id=pk, value=value, unknown=unknown)
        for pk, (value, unknown) in values.items()
        if pk in questions
    )
    return response


def _answering_sheets(campaign: SatCampaign) -> int:
    """Sheets with at least one real (not "don't know") answer."""
    return (
        SatResponse.objects.filter(campaign=campaign)
        .annotate(real=Count("answers", filter=Q(answers__unknown=False)))
        .filter(real__gt=0)
        .count()
    )


def _scale_value(value: Any) -> int | None:
    """A stored 1–5 answer, or None for anything else (say, of a question whose type was changed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        return None
    return number if 1 <= number <= disclosure.SCALE_LEVELS else None


def _release(campaign: SatCampaign) -> dict[str, Any]:
    """What the survey shows for good, worked out once: noisy counts and shared words.

    Called only on a closed campaign, locked. Fewer than MIN_RESPONSES sheets with a real
    answer release nothing but that fact.
    """
    people = _answering_sheets(campaign)
    if people < MIN_RESPONSES:
        return {"too_few": True}
    sections = list(campaign.instrument.sections.all())
    questions = list(Question.objects.filter(section__instrument=campaign.instrument).select_related("section"))
    by_pk = {q.pk: q for q in questions}
    scale: dict[str, list[int | None]] = {}
    asked: dict[str, int] = {}
    for question in questions:
        if question.type == QuestionType.SCALE:
            key = question.dimension or question.section.key
            scale.setdefault(key, [])
            asked[key] = asked.get(key, 0) + 1
    texts: dict[int, list[str]] = {q.pk: [] for q in questions if q.type == QuestionType.TEXT}
    rows = SatAnswer.objects.filter(response__campaign=campaign).values_list("question_id", "value", "unknown")
    for question_id, value, unknown in rows:
        answered = by_pk.get(question_id)
        if answered is None:
            continue
        if answered.type == QuestionType.SCALE:
            # A value that is not 1–5 (the question's type was changed, say) counts as no answer.
            real = None if unknown else _scale_value(value)
            if real is not None or unknown:
                scale[answered.dimension or answered.section.key].append(real)
        elif answered.type == QuestionType.TEXT and not unknown and isinstance(value, str):
            texts[question_id].append(value)
    released = []
    for section in sections:
        if section.key not in scale:
            continue
        figures = disclosure.release_dimension(scale[section.key], questions=asked[section.key], minimum=MIN_RESPONSES)
        released.append(
            {
                "title": section.title,
                "figures": None
                if figures is None
                else {
                    "answers": figures.answers,
                    "unknown": figures.unknown,
                    "mean": figures.mean,
                    "distribution": list(figures.distribution),
                },
            }
        )
    return {
        "responses": disclosure.coarse_count(people, minimum=MIN_RESPONSES),
        "epsilon": disclosure.EPSILON,
        "rows": released,
        "themes": [
            {"question": q.text, "words": disclosure.shared_words(texts[q.pk], minimum=MIN_RESPONSES)}
            for q in questions
            if q.type == QuestionType.TEXT
        ],
    }


def released_results(campaign: SatCampaign) -> dict[str, Any] | None:
    """The stored release of a closed survey, taking it now if no one has asked before; None while open."""
    if campaign.released_at is not None:
        return campaign.released_results
    with transaction.atomic():
        locked = SatCampaign.objects.select_for_update().select_related("city", "instrument").get(pk=campaign.pk)
        if locked.released_at is None:
            if not is_closed(locked):
                return None
            locked.released_results = _release(locked)
            locked.released_at = timezone.now()
            locked.save(update_fields=["released_results", "released_at"])
            record(obj=locked, action=AuditKind.RESULTS_RELEASED, actor=None)
    campaign.released_at, campaign.released_results = locked.released_at, locked.released_results
    return locked.released_results


def results_released(campaign: SatCampaign) -> bool:
    """Whether the survey's results show: it has closed and enough people answered."""
    snapshot = released_results(campaign)
    return snapshot is not None and not snapshot.get("too_few")


def results(campaign: SatCampaign) -> dict[str, Any] | None:
    """The survey's released results, or None while it is open or when too few people answered.

    ``rows`` holds every dimension in the instrument's order, with None where the released
    counts are too small to show; ``dimensions`` only those shown; ``themes`` each open
    question with its shared words, or None where fewer than MIN_RESPONSES answered it;
    ``responses`` the coarse, noisy count of people who answered.
    """
    snapshot = released_results(campaign)
    if snapshot is None or snapshot.get("too_few"):
        return None
    ordered = [
        (
            row["title"],
            None
            if row["figures"] is None
            else disclosure.ReleasedDimension(
                answers=row["figures"]["answers"],
                unknown=row["figures"]["unknown"],
                mean=row["figures"]["mean"],
                distribution=tuple(row["figures"]["distribution"]),
            ),
        )
        for row in snapshot["rows"]
    ]
    return {
        "responses": snapshot["responses"],
        "epsilon": snapshot["epsilon"],
        "rows": ordered,
        "dimensions": [(title, result) for title, result in ordered if result is not None],
        "themes": [(theme["question"], theme["words"]) for theme in snapshot["themes"]],
    }
