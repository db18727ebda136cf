"""E-mails of the marketplace, sent in the background."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from icc.marketplace.invitations import make_token
from icc.marketplace.models import ProviderMember


@task()
def send_provider_invitation(*, member_id: int) -> None:
    """Tell the person they may act for the provider: with a link to choose a password when
    the account is new, with a link to the provider's page otherwise."""
    member = ProviderMember.objects.select_related("person", "provider__programme", "city").filter(pk=member_id).first()
    if member is None:  # withdrawn before the mail went out
        return
    person = member.person
    if person.has_usable_password():
        link = settings.SITE_URL + member.provider.get_absolute_url()
    else:
        link = settings.SITE_URL + reverse("marketplace:provider_invitation", kwargs={"token": make_token(member)})
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "member": member,
            "link": link,
            "new": not person.has_usable_password(),
            "days": settings.INVITATION_TIMEOUT_DAYS,
        }
        subject = render_to_string("marketplace/email/provider_invitation_subject.txt", context).strip()
        body = render_to_string("marketplace/email/provider_invitation.txt", context)
    send_mail(subject, body, None, [person.email])
