"""Calendar subscriptions (private addresses, revoked at will), the feed itself, and preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from icc.cities.access import get_city_for_user
from icc.cities.models import City
from icc.cities.roles import roles_of
from icc.core.params import parse_id
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.inbox.forms import digest_form_for
from icc.journey import actions, feeds
from icc.journey.access import get_feed_for_user
from icc.journey.forms import PreferencesForm
from icc.journey.models import CalendarFeed

CALENDARS_PAGE = "journey/calendars.html"
PREFERENCES_PAGE = "journey/preferences.html"


def _calendars_page(request: AuthedHttpRequest, *, new_link: str | None = None) -> dict[str, Any]:
    feeds_list = list(CalendarFeed.objects.filter(person=request.user).select_related("city").order_by("-created_at"))
    cities = City.objects.visible_to(request.user).filter(pk__in=roles_of(request.user).values("city"))
    # A city's calendar serves only while its owner may open the city.
    open_cities = set(
        City.objects.visible_to(request.user)
        .filter(pk__in=[f.city_id for f in feeds_list if f.city_id])
        .values_list("pk", flat=True)
    )
    rows = [(f, f.city_id is not None and f.city_id not in open_cities) for f in feeds_list]
    return {"feeds": rows, "cities": cities, "new_link": new_link}


@login_required
@require_safe
def calendars(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, CALENDARS_PAGE, _calendars_page(request))


@login_required
@require_POST
def calendar_new(request: AuthedHttpRequest) -> HttpResponse:
    """A new calendar address, of one city or of all the person's events.

    The address is shown once, on the page this answers with: it is a secret, kept nowhere
    (only its digest is stored), so it is not carried over a redirect.
    """
    city = None
    if request.POST.get("city"):
        city_id = parse_id(request.POST.get("city"))
        if city_id is None:
            raise Http404
        city = get_city_for_user(request.user, city_id)
    _feed, token = actions.issue_calendar_feed(person=request.user, city=city)
    new_link = request.build_absolute_uri(reverse("journey:feed", kwargs={"token": token}))
    return render_page(request, CALENDARS_PAGE, _calendars_page(request, new_link=new_link), fragment="new-link")


@login_required
@require_POST
def calendar_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    feed = get_feed_for_user(request.user, pk, write=True)
    actions.revoke_calendar_feed(feed=feed, by=request.user)
    messages.success(request, _("The calendar address was revoked; it no longer works."))
    return redirect("journey:calendars")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar = feeds.feed_for_token(token)
    if calendar is None:
        raise Http404
    body = feeds.render_calendar(calendar)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: AuthedHttpRequest) -> HttpResponse:
    """The page is the form: it shows the person's name and time zone, and saves them when sent."""
    writing = request.method == "POST"
    form = PreferencesForm(request.POST if writing else None, instance=request.user)
    if writing and form.is_valid():
        actions.save_preferences(person=form.save(commit=False), changed=form.changed_data, by=request.user)
        messages.success(request, _("Your preferences were saved."))
        return redirect("journey:preferences")
    context = {"form": form, "digest_form": digest_form_for(request.user)}
    return render_page(request, PREFERENCES_PAGE, context, fragment="preferences-form")
