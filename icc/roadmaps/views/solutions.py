"""The long list of solutions and the priority solutions, with their maturity."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.roadmaps import actions
from icc.roadmaps.access import get_solution_for_user
from icc.roadmaps.forms import SolutionForm
from icc.roadmaps.models import Solution

PAGE = "roadmaps/solutions.html"


def solution_rows(city: City) -> list[dict[str, Any]]:
    """Each solution of ``city`` with its latest maturity rating, if it was rated."""
    maturity = actions.maturity_of(city)
    return [{"solution": s, "rating": maturity.get(s.name.lower())} for s in Solution.objects.filter(city=city)]


def _page(
    request: AuthedHttpRequest,
    city: City,
    solution: Solution,
    *,
    form: SolutionForm | None = None,
    current: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    context = {
        "city": city,
        "form": form or SolutionForm(instance=solution, city=city),
        "solution": solution,
        "editable": can_edit_city(request.user, city),
        "rows": solution_rows(city),
        "current": current,
    }
    return render_page(request, PAGE, context, fragment="solution-form")


def _save(request: AuthedHttpRequest, city: City, solution: Solution) -> HttpResponse:
    form = SolutionForm(request.POST, instance=solution, city=city)
    if not form.is_valid():
        return _page(request, city, solution, form=form)
    try:
        actions.save_solution(solution=form.save(commit=False), expected_version=form.expected_version, by=request.user)
    except StaleEdit as stale:
        current = refuse_stale(request, stale, form)
        return _page(request, city, solution, form=form, current=current)
    messages.success(request, _("Solution saved."))
    return redirect("roadmaps:solutions", pk=city.pk)


@login_required
@require_safe
def solutions_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return _page(request, city, Solution(city=city))


@login_required
@require_POST
def solution_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    return _save(request, city, Solution(city=city))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def solution_edit(request: AuthedHttpRequest, pk: int, solution_pk: int) -> HttpResponse:
    """The edit page of one solution: its form, and its POST."""
    if request.method == "POST":
        solution = get_solution_for_user(request.user, pk, solution_pk, write=True)
        return _save(request, solution.city, solution)
    solution = get_solution_for_user(request.user, pk, solution_pk)
    return _page(request, solution.city, solution)


@login_required
@require_POST
def solutions_from_assessment(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    added = actions.add_assessed_solutions(city=city, by=request.user)
    messages.success(request, _("%(count)s solutions added from the assessment.") % {"count": added})
    return redirect("roadmaps:solutions", pk=city.pk)
