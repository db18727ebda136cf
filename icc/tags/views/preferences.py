"""The mentors a core city asks for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city
from icc.cities.models import City
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.tags import actions, formation
from icc.tags.access import get_preferences_city_for_user
from icc.tags.forms import PreferencesForm
from icc.tags.models import Membership, MentorPreference

PREFERENCES_PAGE = "tags/preferences.html"


def _preferences_form(city: City, data: QueryDict | None = None) -> PreferencesForm:
    current = {p.rank: p.mentor_id for p in MentorPreference.objects.filter(city=city)}
    return PreferencesForm(
        data,
        mentors=actions.mentors_of(city.programme),
        initial={f"rank_{rank}": mentor for rank, mentor in current.items()},
    )


def _preferences_page(request: AuthedHttpRequest, city: City, *, form: PreferencesForm | None = None) -> HttpResponse:
    membership = Membership.objects.filter(city=city).select_related("tag", "tag__mentor", "tag__run").first()
    run = membership.tag.run if membership else None
    context = {
        "city": city,
        "form": form or _preferences_form(city),
        "editable": can_edit_city(request.user, city),
        "membership": membership,
        "grouping_words": formation.grouping_in_words(run.status) if run else "",
    }
    return render_page(request, PREFERENCES_PAGE, context, fragment="preferences-form")


@login_required
@require_safe
def preferences_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _preferences_page(request, get_preferences_city_for_user(request.user, pk))


@login_required
@require_POST
def preferences_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_preferences_city_for_user(request.user, pk, write=True)
    form = _preferences_form(city, request.POST)
    if form.is_valid():
        try:
            actions.set_preferences(city=city, mentors=form.ranked(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _preferences_page(request, city, form=form)
    messages.success(request, _("Mentor preferences saved."))
    return redirect("tags:preferences", pk=city.pk)
