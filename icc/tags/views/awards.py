"""Awards: the page with every award's nominees, a nomination, a vote and a reveal."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import get_programme_for_user
from icc.cities.roles import is_programme_team, may_vote
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.programmes.models import Programme
from icc.tags import actions, progress
from icc.tags.access import get_awards_for_user, get_nomination_for_user
from icc.tags.forms import NominationForm
from icc.tags.models import Award, Nomination, Reveal, Vote
from icc.tags.views.common import fail

AWARDS_PAGE = "tags/awards.html"


def _awards(request: AuthedHttpRequest, programme: Programme) -> list[dict[str, Any]]:
    """Each award with its nominees; counts and winners only once its result is revealed."""
    nominations = (
        Nomination.objects.filter(programme=programme).select_related("city", "person").annotate(count=Count("votes"))
    )
    revealed = set(Reveal.objects.filter(programme=programme).values_list("award", flat=True))
    mine = dict(Vote.objects.filter(programme=programme, voter=request.user).values_list("award", "nomination_id"))
    by_award: dict[str, list[Any]] = defaultdict(list)
    for nomination in nominations:
        by_award[nomination.award].append(nomination)
    awards = []
    for value, label in Award.choices:
        entries = by_award.get(value, [])
        is_revealed = value in revealed
        # Until the result is revealed, nominees are listed by name for everyone: an order
        # by votes would be the ranking itself.
        entries.sort(key=(lambda n: (-n.count, str(n))) if is_revealed else str)
        top = entries[0].count if entries else 0
        awards.append(
            {
                "value": value,
                "label": label,
                "nominations": entries,
                "revealed": is_revealed,
                "winners": [n for n in entries if n.count == top] if is_revealed and top else [],
                "votes_cast": sum(n.count for n in entries),
                "my_vote": mine.get(value),
            }
        )
    return awards


def _awards_page(
    request: AuthedHttpRequest, programme: Programme, *, form: NominationForm | None = None
) -> HttpResponse:
    context = {
        "programme": programme,
        "awards": _awards(request, programme),
        "form": form or NominationForm(programme=programme),
        "voter": may_vote(request.user, programme),
        "is_team": is_programme_team(request.user, programme),
        "progress": progress.biggest_progress(programme)[:10],
    }
    return render_page(request, AWARDS_PAGE, context, fragment="nomination-form")


@login_required
@require_safe
def awards_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    return _awards_page(request, get_awards_for_user(request.user, slug))


@login_required
@require_POST
def nomination_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_awards_for_user(request.user, slug, nominate=True)
    form = NominationForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            actions.nominate(nomination=form.nomination(programme), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _awards_page(request, programme, form=form)
    messages.success(request, _("Nomination saved."))
    return redirect("tags:awards", slug=slug)


@login_required
@require_POST
def nomination_vote(request: AuthedHttpRequest, slug: str, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request.user, slug, pk)
    try:
        actions.vote(nomination=nomination, by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Your vote is saved."))
    return redirect("tags:awards", slug=slug)


@login_required
@require_POST
def award_reveal(request: AuthedHttpRequest, slug: str, award: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    try:
        actions.reveal(programme=programme, award=award, by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Result revealed."))
    return redirect("tags:awards", slug=slug)
