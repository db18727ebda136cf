"""Challenges: a city's need, the cities that share it, and the solutions matched to it
with the reason for each match; and the reviewers' queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import Lower, Trim
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.params import MAX_ID
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions, matched
from icc.marketplace.forms import ChallengeForm, DecisionForm
from icc.marketplace.models import Challenge, CityProfile, Editor, Report, ReportStatus, Review, Solution
from icc.marketplace.views import FUNCTION_LABELS, decide, procurement
from icc.programmes.models import Programme

LIST_PAGE = "marketplace/challenges.html"
CHALLENGE_PAGE = "marketplace/challenge.html"
FORM_PAGE = "marketplace/challenge_form.html"
REVIEW_PAGE = "marketplace/review.html"


@login_required
@require_safe
def challenge_list(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    challenges = (
        access.visible_challenges(request.user, programme).select_related("city", "theme").order_by("-created_at")[:200]
    )
    context = {
        "programme": programme,
        "challenges": challenges,
        "may_write": bool(access.team_city_ids(request.user, programme)),
    }
    return render(request, LIST_PAGE, context)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    cities = access.writable_cities(request.user, programme)
    if not cities.exists():
        raise PermissionDenied
    form = ChallengeForm(request.POST if request.method == "POST" else None, programme=programme, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = actions.save_challenge(challenge=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved as a draft. Submit it for review when it is complete."))
            return redirect(challenge)
    return render(request, FORM_PAGE, {"programme": programme, "form": form}, status=400 if form.errors else 200)


def _matches(challenge: Challenge, person: object) -> list[dict[str, object]]:
    """Published solutions matched to ``challenge``, each with its reasons in words."""
    solutions = access.visible_solutions(person, challenge.city.programme)  # type: ignore[arg-type]
    return matched.matches(challenge, solutions.filter(review=Review.PUBLISHED))


def challenge_page(
    request: AuthedHttpRequest, challenge: Challenge, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The challenge with what it has become (a joint-procurement group, a market
    consultation) and the forms of the writes it offers; ``forms`` replace those with errors."""
    programme = challenge.city.programme
    mine = [c for c in access.writable_cities(request.user, programme) if c.pk != challenge.city_id]
    shared_ids = set(challenge.shared_by.values_list("pk", flat=True))
    context: dict[str, Any] = {
        "programme": programme,
        "challenge": challenge,
        "functions": [FUNCTION_LABELS.get(f, f) for f in challenge.functions],
        "shared_by": challenge.shared_by.order_by("name"),
        "my_cities": mine,
        "shared_ids": shared_ids,
        "matches": _matches(challenge, request.user) if challenge.is_published else [],
        "may_edit": access.may_write_for(request.user, challenge.city, programme),
        "is_reviewer": access.is_reviewer(request.user, programme),
        "decision_form": DecisionForm(),
        **procurement.challenge_context(request, challenge, mine=mine, shared_ids=shared_ids, forms=forms),
    }
    return render(request, CHALLENGE_PAGE, context, status=status)


@login_required
@require_safe
def challenge_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return challenge_page(request, access.get_challenge_for_user(request.user, pk))


@login_required
@require_POST
def challenge_share(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """ "We have this too", for one of the cities the person writes for."""
    challenge = access.get_challenge_for_user(request.user, pk)
    try:
        city_id = int(request.POST.get("city", ""))
    except ValueError:
        city_id = 0
    programme = challenge.city.programme
    if not 0 < city_id <= MAX_ID or city_id not in access.team_city_ids(request.user, programme):
        raise PermissionDenied
    city = City.objects.get(pk=city_id)
    try:
        joined = actions.share_challenge(challenge=challenge, city=city, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(city)s has this need too.") % {"city": city.name} if joined else _("Taken back.")
        )
    return redirect(challenge)


@login_required
@require_POST
def challenge_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_user(request.user, pk, write=True)
    try:
        actions.submit(item=challenge, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted: the reviewers will publish it or tell you what to change."))
    return redirect(challenge)


@login_required
@require_POST
def challenge_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_user(request.user, pk)
    decide(request, challenge, challenge.city.programme)
    return redirect(challenge)


def _duplicates(programme: Programme) -> list[list[Solution]]:
    """Solutions a provider offers twice under one name (whatever the letter case), oldest first."""
    key = Lower(Trim("name"))
    solutions = Solution.objects.filter(programme=programme).annotate(key=key)
    twins = solutions.order_by().values("provider_id", "key").annotate(n=Count("pk")).filter(n__gt=1)[:50]
    return [
        list(solutions.filter(provider_id=row["provider_id"], key=row["key"]).select_related("provider").order_by("pk"))
        for row in twins
    ]


@login_required
@require_safe
def review_queue(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    access.require_reviewer(request.user, programme)
    context = {
        "programme": programme,
        "solutions": Solution.objects.filter(programme=programme, review=Review.SUBMITTED).select_related("provider"),
        "challenges": Challenge.objects.filter(city__programme=programme, review=Review.SUBMITTED).select_related(
            "city"
        ),
        "profiles": CityProfile.objects.filter(city__programme=programme, review=Review.SUBMITTED).select_related(
            "city"
        ),
        "reports": Report.objects.filter(solution__programme=programme, status=ReportStatus.OPEN).select_related(
            "solution", "reported_by"
        ),
        "duplicates": _duplicates(programme),
        "editors": Editor.objects.filter(programme=programme).select_related("person").order_by("person__full_name"),
        "is_team": is_programme_team(request.user, programme),
    }
    return render(request, REVIEW_PAGE, context)
