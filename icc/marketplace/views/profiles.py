"""A city's marketplace profile: the general profile from its record, its smart-city
profile and how it buys innovation; written by its team, published after review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import visible_city_ids
from icc.cities.models import City
from icc.core.params import MAX_ID
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions
from icc.marketplace.forms import DecisionForm, ProfileForm
from icc.marketplace.models import CityProfile, Deployment
from icc.marketplace.views import MIM_LABELS, decide
from icc.opendata.summary import summary as open_data_summary

PROFILE_PAGE = "marketplace/profile.html"
PROFILE_FORM = "marketplace/profile_form.html"


def _city(pk: int) -> City:
    city = City.objects.select_related("programme", "track").filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if city is None:
        raise Http404
    return city


@login_required
@require_safe
def profile_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = _city(pk)
    profile = access.get_profile_for_user(request.user, city)
    programme = city.programme
    solutions = access.visible_solutions(request.user, programme)
    context = {
        "programme": programme,
        "city": city,
        "profile": profile,
        "mims": [MIM_LABELS.get(m, m) for m in (profile.mims if profile else [])],
        "deployments": Deployment.objects.filter(city=city, confirmed_at__isnull=False, solution__in=solutions)
        .select_related("solution")
        .order_by("-started_on"),
        "may_edit": access.may_write_for(request.user, city, programme),
        "is_reviewer": access.is_reviewer(request.user, programme),
        "decision_form": DecisionForm(),
        # The open data charter checklist feeds the smart-city profile: its summary for
        # everyone who sees the profile, the checklist itself for those who see the city.
        "open_data": open_data_summary(city),
        "open_data_link": city.pk in visible_city_ids(request.user),
    }
    return render(request, PROFILE_PAGE, context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = _city(pk)
    profile = access.get_profile_for_user(request.user, city, write=True) or CityProfile(city=city)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_profile(profile=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile is saved. Submit it for review to publish it."))
            return redirect("marketplace:profile", pk=city.pk)
    context = {"programme": city.programme, "city": city, "form": form}
    return render(request, PROFILE_FORM, context, status=400 if form.errors else 200)


@login_required
@require_POST
def profile_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = _city(pk)
    profile = access.get_profile_for_user(request.user, city, write=True)
    if profile is None:
        raise Http404
    try:
        actions.submit(item=profile, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted: the reviewers will publish it or tell you what to change."))
    return redirect("marketplace:profile", pk=city.pk)


@login_required
@require_POST
def profile_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = _city(pk)
    profile = access.get_profile_for_user(request.user, city)
    if profile is None:
        raise Http404
    decide(request, profile, city.programme)
    return redirect("marketplace:profile", pk=city.pk)
