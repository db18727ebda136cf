"""The inbox's pages: the list, opening a notice, marking read; and (in ``digest``) how often
the digest comes and the unsubscribe link that needs no sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.core.params import parse_id
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.inbox import actions
from icc.inbox.access import get_notification_for_user
from icc.inbox.forms import UNREAD, ShowForm
from icc.inbox.models import Notification
from icc.inbox.targets import resolve
from icc.inbox.views.digest import digest_frequency, unsubscribe

INBOX_PAGE = "inbox/inbox.html"
PER_PAGE = 25
# The newest notices the page reads: older ones are in no one's way, and go after 180 days once read.
MAX_LISTED = 500

__all__ = ["digest_frequency", "inbox", "mark_all_read", "mark_read", "open_notification", "unsubscribe"]


@login_required
@require_safe
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    """Newest first; each notice only while its reader may still open what it is about.

    A notice found about something the reader can no longer open is put away as read on
    the way (their own flag, as the toolbox notes a visit), so the header stops counting it.
    """
    show = ShowForm(request.GET)
    notices = Notification.objects.filter(person=request.user).select_related("actor")
    if show.only_unread():
        notices = notices.filter(read_at=None)
    shown, gone = resolve(request.user, list(notices[:MAX_LISTED]))
    actions.put_away(gone)
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "only_unread": show.only_unread(),
        "unread": sum(1 for item in shown if item.notification.is_unread),
        "query": urlencode({"show": UNREAD}) if show.only_unread() else "",
        "back": {"show": UNREAD if show.only_unread() else "", "page": page.number},
    }
    return render_page(request, INBOX_PAGE, context)


@login_required
@require_safe
def open_notification(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Follow a notice to what it is about, and mark it read on the way.

    A plain link (GET), so that it works from the digest e-mail and without JavaScript:
    what it changes is the reader's own "read" flag, which is idempotent and harmless to
    set twice; another person's notice, or one about something the reader can no longer
    open, is a 404 and changes nothing visible.
    """
    notification = get_notification_for_user(request.user, pk)
    shown, gone = resolve(request.user, [notification])
    if not shown:
        actions.put_away(gone)
        raise Http404
    actions.mark_read(notification=notification)
    return HttpResponseRedirect(shown[0].url)


def _back(request: AuthedHttpRequest) -> HttpResponse:
    """The inbox again, with the filter and page the form was sent from."""
    params = {}
    if request.POST.get("show") == UNREAD:
        params["show"] = UNREAD
    page = parse_id(request.POST.get("page"))
    if page is not None and page > 1:
        params["page"] = str(page)
    url = reverse("inbox:inbox")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


@login_required
@require_POST
def mark_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(request.user, pk)
    actions.mark_read(notification=notification)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    count = actions.mark_all_read(person=request.user)
    if count:
        messages.success(request, _("Everything in your inbox is marked read."))
    return _back(request)
