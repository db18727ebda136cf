"""Awards: nominations, votes and reveals."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icc.cities.access import get_programme_for_user, is_programme_team
from icc.cities.roles import may_vote
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.tags import actions, progress
from icc.tags.forms import (
    NominationForm,
)
from icc.tags.models import (
    Award,
    Nomination,
    Reveal,
    Vote,
)
from icc.tags.views.life import _Invalid


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def awards_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    is_team = is_programme_team(request.user, programme)
    voter = may_vote(request.user, programme)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    form = NominationForm(request.POST if step == "nominate" else None, programme=programme)
    if request.method == "POST":
        try:
            if step == "nominate" and (voter or is_team):
                if not form.is_valid():
                    raise _Invalid
                actions.nominate(nomination=form.nomination(programme), by=request.user)
                messages.success(request, _("Nomination saved."))
            elif step == "vote" and voter:
                nomination = Nomination.objects.filter(
                    programme=programme, pk=parse_id(request.POST.get("nomination")) or 0
                ).first()
                if nomination is None:
                    raise Http404
                actions.vote(nomination=nomination, by=request.user)
                messages.success(request, _("Your vote is saved."))
            elif step == "reveal" and is_team:
                actions.reveal(programme=programme, award=request.POST.get("award", ""), by=request.user)
                messages.success(request, _("Result revealed."))
            else:
                raise PermissionDenied
            return redirect("tags:awards", slug=slug)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
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
    return render(
        request,
        "tags/awards.html",
        {
            "programme": programme,
            "awards": awards,
            "form": form,
            "voter": voter,
            "is_team": is_team,
            "progress": progress.biggest_progress(programme)[:10],
        },
    )
