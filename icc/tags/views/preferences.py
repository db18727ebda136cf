"""The mentors a core city asks for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icc.cities.access import can_edit_city, get_city_for_user
from icc.core.types import AuthedHttpRequest
from icc.tags import actions, formation
from icc.tags.forms import (
    PreferencesForm,
)
from icc.tags.models import (
    Membership,
    MentorPreference,
)


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if city.is_mentor:
        raise Http404
    mentors = actions.mentors_of(city.programme)
    current = {p.rank: p.mentor_id for p in MentorPreference.objects.filter(city=city)}
    form = PreferencesForm(
        request.POST or None, mentors=mentors, initial={f"rank_{rank}": mentor for rank, mentor in current.items()}
    )
    editable = can_edit_city(request.user, city)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            actions.set_preferences(city=city, mentors=form.ranked(), by=request.user)
            messages.success(request, _("Mentor preferences saved."))
            return redirect("tags:preferences", pk=city.pk)
    membership = Membership.objects.filter(city=city).select_related("tag", "tag__mentor", "tag__run").first()
    run = membership.tag.run if membership else None
    return render(
        request,
        "tags/preferences.html",
        {
            "city": city,
            "form": form,
            "editable": editable,
            "membership": membership,
            "grouping_words": formation.grouping_in_words(run.status) if run else "",
        },
    )
