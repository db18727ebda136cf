"""How often the digest comes (a form on the preferences page), and the unsubscribe link.

The unsubscribe link works without signing in: its signed token names the person. A GET
shows one button; a POST, the button's or a mail client's one-click request (RFC 8058,
``List-Unsubscribe=One-Click``, sent without a cookie or a CSRF token), stops the digest.
A forged or damaged token is a 400 page that changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from icc.core.types import AuthedHttpRequest
from icc.inbox import actions
from icc.inbox.forms import DigestForm
from icc.inbox.models import Frequency
from icc.inbox.tokens import person_for_token

UNSUBSCRIBE_PAGE = "inbox/unsubscribe.html"
BAD_LINK_PAGE = "inbox/bad_link.html"
PREFERENCES_PAGE = "journey/preferences.html"


@login_required
@require_POST
def digest_frequency(request: AuthedHttpRequest) -> HttpResponse:
    form = DigestForm(request.POST)
    if not form.is_valid():
        from icc.journey.forms import PreferencesForm

        context = {"form": PreferencesForm(instance=request.user), "digest_form": form}
        return render(request, PREFERENCES_PAGE, context, status=400)
    frequency = form.cleaned_data["frequency"]
    actions.set_frequency(person=request.user, frequency=frequency, by=request.user)
    if frequency == Frequency.NEVER:
        messages.success(request, _("You will get no e-mail digest; your inbox keeps everything."))
    else:
        messages.success(
            request, _("You will get a %(frequency)s digest.") % {"frequency": Frequency(frequency).label.lower()}
        )
    return redirect("journey:preferences")


@csrf_exempt  # the token is the credential; mail clients post the one-click request without a cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    person = person_for_token(token)
    if person is None:
        return render(request, BAD_LINK_PAGE, status=400)
    if request.method == "POST":
        actions.unsubscribe(person=person)
        return render(request, UNSUBSCRIBE_PAGE, {"token": token, "done": True})
    context = {"token": token, "done": False, "already": actions.frequency_of(person) == Frequency.NEVER}
    return render(request, UNSUBSCRIBE_PAGE, context)
