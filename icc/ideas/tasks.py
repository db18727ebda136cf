"""Background work of the ideas: telling an author what happened to their idea, in the
language of the page they sent it from, and erasing e-mail addresses past their date.

The erasure runs on the day after an address's date when the task backend can defer work
(``django_tasks_db``, run by ``manage.py db_worker``); ``manage.py erase_idea_emails`` does
the same from a daily timer where it cannot.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from icc.ideas import wording
from icc.ideas.keys import author_path
from icc.ideas.models import PUBLIC_STATES, Idea, IdeaState
from icc.public.models import Publication

# Which states an e-mail about an event still describes when it is sent; an e-mail about a
# decision the city has since changed is not sent.
STILL_TRUE = {
    "published": PUBLIC_STATES,
    "declined": (IdeaState.DECLINED,),
    "merged": (IdeaState.MERGED,),
    "taken-up": PUBLIC_STATES,
}


def _links(idea: Idea) -> tuple[str, str]:
    """The idea's private and public addresses (empty when the city's page is not published)."""
    publication = Publication.objects.filter(city_id=idea.call.city_id, published=True).select_related("programme")
    found = publication.first()
    if found is None:
        return "", ""
    kwargs = {"programme": found.programme.slug, "city": found.slug, "call": idea.call_id}
    private = settings.SITE_URL + author_path(idea, found.programme.slug, found.slug)
    target = idea.merged_into if idea.state == IdeaState.MERGED and idea.merged_into else None
    public = ""
    if target is not None:
        public = settings.SITE_URL + reverse("public:idea", kwargs={**kwargs, "idea": target.pk})
    return private, public


@task()
def notify_author(*, idea_id: int, event: str) -> None:
    """E-mail the author of an idea that the city published, declined, merged or took it up."""
    idea = Idea.objects.select_related("call", "call__city", "merged_into", "action").filter(pk=idea_id).first()
    if idea is None or not idea.email or idea.state not in STILL_TRUE.get(event, ()):
        return
    if event == "taken-up" and idea.action_id is None:
        return
    with translation.override(idea.reply_language or settings.LANGUAGE_CODE):
        private, merged_into = _links(idea)
        context = {
            "idea": idea,
            "event": event,
            "city": idea.call.city.name,
            "private_link": private,
            "merged_link": merged_into,
            "kept_until": idea.email_kept_until,
            "action_words": wording.action_status(idea.action.status) if idea.action else "",
        }
        # One line, whatever the idea's title holds: a header cannot take a line break.
        subject = " ".join(render_to_string("ideas/email/outcome_subject.txt", context).split())
        body = render_to_string("ideas/email/outcome.txt", context)
    send_mail(subject, body, None, [idea.email])


@task()
def erase_expired_emails() -> int:
    """Erase the e-mail addresses of authors whose date has passed."""
    from icc.ideas.actions import erase_expired_emails as erase

    return erase()


def schedule_erasure(day: dt.date) -> None:
    """Ask the worker to erase the addresses of ``day`` the day after, if it can defer work."""
    if not erase_expired_emails.get_backend().supports_defer:
        return
    when = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(3, 0), tzinfo=dt.UTC)
    erase_expired_emails.using(run_after=max(when, timezone.now())).enqueue()
