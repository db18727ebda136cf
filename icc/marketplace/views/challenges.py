"""Challenges: a city's need, the cities that share it, and the solutions matched to it
with the reason for each match; and the reviewers' queue."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.models import City
from icc.core.params import MAX_ID
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions, matching
from icc.marketplace.forms import ChallengeForm, DecisionForm
from icc.marketplace.models import Challenge, CityProfile, Deployment, Report, ReportStatus, Review, Solution
from icc.marketplace.views import FUNCTION_LABELS, decide
from icc.marketplace.wording import reason_words

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
    programme = challenge.city.programme
    solutions = list(
        access.visible_solutions(person, programme)  # type: ignore[arg-type]
        .filter(review=Review.PUBLISHED)
        .select_related("provider")
        .prefetch_related("themes")
    )
    deployed: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for solution_id, population, country in Deployment.objects.filter(
        solution__in=solutions, confirmed_at__isnull=False
    ).values_list("solution_id", "city__population", "city__country"):
        deployed[solution_id].append((population, country))
    need = matching.Need(
        functions=frozenset(challenge.functions),
        data_models=frozenset(challenge.data_models),
        theme_id=challenge.theme_id,
        population=challenge.city.population,
        country=challenge.city.country,
    )
    offers = [
        matching.Offer(
            solution_id=s.pk,
            functions=frozenset(s.functions),
            data_models=frozenset(s.data_models),
            theme_ids=frozenset(t.pk for t in s.themes.all()),
            deployments=deployed.get(s.pk, []),
        )
        for s in solutions
    ]
    by_id = {s.pk: s for s in solutions}
    return [
        {"solution": by_id[m.solution_id], "reasons": [reason_words(r, FUNCTION_LABELS) for r in m.reasons]}
        for m in matching.match(need, offers)
    ]


@login_required
@require_safe
def challenge_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_user(request.user, pk)
    programme = challenge.city.programme
    mine = [c for c in access.writable_cities(request.user, programme) if c.pk != challenge.city_id]
    context = {
        "programme": programme,
        "challenge": challenge,
        "functions": [FUNCTION_LABELS.get(f, f) for f in challenge.functions],
        "shared_by": challenge.shared_by.order_by("name"),
        "my_cities": mine,
        "shared_ids": set(challenge.shared_by.values_list("pk", flat=True)),
        "matches": _matches(challenge, request.user) if challenge.is_published else [],
        "may_edit": access.may_write_for(request.user, challenge.city, programme),
        "is_reviewer": access.is_reviewer(request.user, programme),
        "decision_form": DecisionForm(),
    }
    return render(request, CHALLENGE_PAGE, context)


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
    }
    return render(request, REVIEW_PAGE, context)
