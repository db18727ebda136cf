"""E-mails sent in the background."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from icc.accounts.models import Person
from icc.accounts.tokens import make_invitation_token
from icc.programmes.models import Programme


@task()
def send_invitation(*, person_id: int, programme_id: int) -> None:
    person = Person.objects.get(pk=person_id)
    programme = Programme.objects.get(pk=programme_id)
    link = settings.SITE_URL + reverse(
        "accounts:accept_invitation", kwargs={"token": make_invitation_token(person, programme=programme)}
    )
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {"person": person, "programme": programme, "link": link, "days": settings.INVITATION_TIMEOUT_DAYS}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [person.email])
