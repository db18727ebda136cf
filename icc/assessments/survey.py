"""The anonymous local-enablers survey: campaigns, invitations, answers and results.

Anonymity is kept by what is *not* stored: no person, e-mail address, IP address or time
goes with an answer, answer sheets have random keys, and results appear only once
``MIN_RESPONSES`` people have answered, in every channel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.assessments import scoring
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
from icc.core.models import record

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import City

INVITATION_DAYS = 30
MAX_INVITATIONS = 200
SHARE_LIMIT_PER_HOUR = 10


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def enablers_instrument(city: City) -> Instrument | None:
    return (
        Instrument.objects.filter(programme_id=city.programme_id, kind=InstrumentKind.ENABLERS)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def open_campaign(*, city: City, instrument: Instrument, round: str, closes_on: dt.date, by: Person) -> SatCampaign:
    if closes_on < timezone.localdate():
        raise ValidationError(_("The closing date is in the past."))
    campaign, created = SatCampaign.objects.get_or_create(
        instrument=instrument, city=city, round=round, defaults={"closes_on": closes_on, "created_by": by}
    )
    if not created:
        campaign.closes_on = closes_on
        campaign.save(update_fields=["closes_on"])
    record(
        obj=campaign,
        action="opened" if created else "closing date changed",
        actor=by,
        changes={"closes_on": str(closes_on)},
    )
    return campaign


def _check_open(campaign: SatCampaign) -> None:
    if campaign.closes_on < timezone.localdate():
        raise ValidationError(
            _("The survey closed on %(date)s; set a later closing date first.") % {"date": campaign.closes_on}
        )


def _link(kind: str, token: str) -> str:
    return settings.SITE_URL + reverse("assessments:survey", kwargs={"kind": kind, "token": token})


@transaction.atomic
def invite(*, campaign: SatCampaign, emails: list[str], by: Person) -> int:
    """E-mail each address its own single-use link; the addresses themselves are not stored."""
    _check_open(campaign)
    if len(emails) > MAX_INVITATIONS:
        raise ValidationError(_("At most %(n)s addresses at a time.") % {"n": MAX_INVITATIONS})
    expires_on = min(campaign.closes_on, timezone.localdate() + dt.timedelta(days=INVITATION_DAYS))
    messages = []
    for email in emails:
        token = secrets.token_urlsafe(24)
        SatInvitation.objects.create(campaign=campaign, token_digest=digest(token), expires_on=expires_on)
        body = _(
            "%(city)s invites you to answer the %(survey)s. It takes about 15 minutes and is anonymous: "
            "your name and address are not kept with your answers.\n\n%(link)s\n\nThe link works once, until %(until)s."
        ) % {"city": campaign.city, "survey": campaign.instrument.name, "link": _link("i", token), "until": expires_on}
        messages.append((_("Your view on %(city)s") % {"city": campaign.city}, body, None, [email]))
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    record(obj=campaign, action="invitations sent", actor=by, changes={"count": len(emails)})
    return len(emails)


@transaction.atomic
def new_share_link(*, campaign: SatCampaign, by: Person) -> str:
    """A fresh shareable link; the previous one stops working."""
    _check_open(campaign)
    token = secrets.token_urlsafe(24)
    campaign.share_token_digest = digest(token)
    campaign.save(update_fields=["share_token_digest"])
    record(obj=campaign, action="share link renewed", actor=by)
    return _link("s", token)


class SurveyClosed(Exception):
    """The link is unknown, used, expired or its survey has closed; the message says which."""


def campaign_for(kind: str, token: str) -> tuple[SatCampaign, SatInvitation | None]:
    today = timezone.localdate()
    if kind == "i":
        invitation = (
            SatInvitation.objects.select_related("campaign__city", "campaign__instrument")
            .filter(token_digest=digest(token))
            .first()
        )
        if invitation is None:
            raise SurveyClosed(_("This link is not valid. Check that you copied all of it."))
        if invitation.used:
            raise SurveyClosed(_("This link has already been used to answer. Each invitation works once."))
        if invitation.expires_on < today:
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
    if campaign.closes_on < today:
        raise SurveyClosed(_("This survey closed on %(date)s.") % {"date": campaign.closes_on})
    return campaign, invitation


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
    campaign, invitation = campaign_for(kind, token)
    if invitation is not None:
        # Lock the invitation so two tabs cannot both use it.
        invitation = SatInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used:
            raise SurveyClosed(_("This link has already been used to answer. Each invitation works once."))
        invitation.used = True
        invitation.save(update_fields=["used"])
    questions = set(Question.objects.filter(section__instrument=campaign.instrument).values_list("pk", flat=True))
    response = SatResponse.objects.create(campaign=campaign)
    SatAnswer.objects.bulk_create(
        SatAnswer(response=response, question_id=pk, value=value, unknown=unknown)
        for pk, (value, unknown) in values.items()
        if pk in questions
    )
    return response


def results(campaign: SatCampaign) -> dict[str, Any] | None:
    """The survey's results, or None while fewer than MIN_RESPONSES people have answered."""
    if campaign.responses.count() < MIN_RESPONSES:
        return None
    sections = list(campaign.instrument.sections.all())
    rows = SatAnswer.objects.filter(response__campaign=campaign).values_list(
        "value", "unknown", "question__type", "question__dimension", "question__text", "question__section__key"
    )
    scale: list[tuple[str, int | None]] = []
    texts: dict[str, list[str]] = {}
    for value, unknown, kind, dimension, text, section in rows:
        if kind == QuestionType.SCALE:
            scale.append((dimension or section, None if unknown or value is None else int(value)))
        elif kind == QuestionType.TEXT and isinstance(value, str) and value.strip():
            texts.setdefault(text, []).append(value)
    titles = {s.key: s.title for s in sections}
    dimensions = [s.key for s in sections if s.key in {d for d, _v in scale}]
    return {
        "responses": campaign.responses.count(),
        "dimensions": [(titles[r.dimension], r) for r in scoring.enabler_results(scale, dimensions)],
        "themes": [(question, scoring.text_themes(values)) for question, values in texts.items()],
    }
