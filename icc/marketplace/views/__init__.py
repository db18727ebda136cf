"""The marketplace's pages: browsing solutions with facets, a solution with its
deployments, a provider qualified by its confirmed deployments, and one view per write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import visible_city_ids
from icc.core.pagination import paginate, query_without_page
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions, finding
from icc.marketplace.filters import BrowseForm
from icc.marketplace.forms import DecisionForm, DeploymentForm, ProviderForm, ReportForm, SolutionForm
from icc.marketplace.models import Deployment, Provider, Review, Solution
from icc.marketplace.vocabulary import Function, Mim
from icc.programmes.models import Programme
from icc.roadmaps.models import KPI, Action

BROWSE_PAGE = "marketplace/browse.html"
SOLUTION_PAGE = "marketplace/solution.html"
SOLUTION_FORM = "marketplace/solution_form.html"
PROVIDER_PAGE = "marketplace/provider.html"
PROVIDER_FORM = "marketplace/provider_form.html"
PER_PAGE = 25
FUNCTION_LABELS = dict(Function.choices)
MIM_LABELS = dict(Mim.choices)


# Counted apart from the filters, so that a country filter does not narrow the count.
_confirmed_count = (
    Deployment.objects.filter(solution=OuterRef("pk"), confirmed_at__isnull=False)
    .order_by()
    .values("solution")
    .annotate(n=Count("pk"))
    .values("n")
)


@login_required
@require_safe
def browse(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    form = BrowseForm(request.GET or None, programme=programme)
    found = access.visible_solutions(request.user, programme)
    if form.is_valid():
        found = finding.find(found, finding.Filters.of(form.cleaned_data))
    form.count(finding.counts(found))
    found = (
        found.select_related("provider")
        .annotate(confirmed=Coalesce(Subquery(_confirmed_count), 0))
        .order_by("name", "pk")
    )
    page = paginate(request, found, per_page=PER_PAGE)
    context = {
        "programme": programme,
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "functions": FUNCTION_LABELS,
        "may_write": bool(access.team_city_ids(request.user, programme)),
        "is_reviewer": access.is_reviewer(request.user, programme),
    }
    return render(request, BROWSE_PAGE, context)


def _providers(person: Any, programme: Programme) -> QuerySet[Provider]:
    return access.visible_providers(person, programme).order_by("name")


def _require_writer(request: AuthedHttpRequest, programme: Programme) -> None:
    if not access.team_city_ids(request.user, programme):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def solution_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    _require_writer(request, programme)
    form = SolutionForm(
        request.POST if request.method == "POST" else None,
        programme=programme,
        providers=_providers(request.user, programme),
    )
    if request.method == "POST" and form.is_valid():
        solution = form.save(commit=False)
        cities = access.team_city_ids(request.user, programme)
        solution.city_id = None if access.is_reviewer(request.user, programme) else cities[0]
        try:
            actions.save_solution(solution=solution, themes=form.cleaned_data["themes"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved as a draft. Submit it for review when it is complete."))
            return redirect(solution)
    return render(request, SOLUTION_FORM, {"programme": programme, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def solution_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_solution_for_user(request.user, pk, write=True)
    programme = solution.programme
    form = SolutionForm(
        request.POST if request.method == "POST" else None,
        instance=solution,
        programme=programme,
        providers=_providers(request.user, programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_solution(solution=form.save(commit=False), themes=form.cleaned_data["themes"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The solution is saved."))
            return redirect(solution)
    context = {"programme": programme, "form": form, "solution": solution}
    return render(request, SOLUTION_FORM, context, status=400 if form.errors else 200)


def _deployment_form(request: AuthedHttpRequest, solution: Solution, data: Any = None) -> DeploymentForm | None:
    cities = access.writable_cities(request.user, solution.programme)
    if not cities.exists():
        return None
    return DeploymentForm(
        data,
        cities=cities,
        kpis=KPI.objects.filter(city__in=cities).order_by("name"),
        actions=Action.objects.filter(city__in=cities).order_by("title"),
    )


def _solution_page(request: AuthedHttpRequest, solution: Solution, **forms: Any) -> HttpResponse:
    programme = solution.programme
    mine = access.team_city_ids(request.user, programme)
    speaking = [
        d.city_id for d in solution.deployments.select_related("city") if access.speaks_for_city(request.user, d.city)
    ]
    deployments = solution.deployments.select_related("city", "kpi", "action").filter(
        Q(confirmed_at__isnull=False) | Q(city__in=mine)
    )
    context = {
        "programme": programme,
        "solution": solution,
        "functions": [FUNCTION_LABELS.get(f, f) for f in solution.functions],
        "mims": [MIM_LABELS.get(m, m) for m in solution.mims],
        "themes": solution.themes.all(),
        "deployments": deployments,
        "mine": set(speaking),
        # A KPI or action of a deployment is named only to those who may open its city.
        "open_cities": visible_city_ids(request.user),
        "may_edit": access.may_write_for(request.user, solution.city, programme),
        "is_reviewer": access.is_reviewer(request.user, programme),
        "deployment_form": forms.get("deployment_form") or _deployment_form(request, solution),
        "report_form": forms.get("report_form") or ReportForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "twin": actions.duplicate_of(solution, among=access.visible_solutions(request.user, programme)),
    }
    return render(request, SOLUTION_PAGE, context, status=400 if forms else 200)


@login_required
@require_safe
def solution_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _solution_page(request, access.get_solution_for_user(request.user, pk))


@login_required
@require_POST
def solution_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_solution_for_user(request.user, pk, write=True)
    try:
        actions.submit(item=solution, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted: the reviewers will publish it or tell you what to change."))
    return redirect(solution)


def decide(request: AuthedHttpRequest, item: Any, programme: Programme) -> bool:
    """Apply a reviewer's decision from the POST; False (with messages) when it is refused as given."""
    access.require_reviewer(request.user, programme)
    if not access.may_decide(request.user, item, programme):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to publish or to refuse."))
        return False
    try:
        actions.decide(
            item=item,
            publish=form.cleaned_data["decision"] == "publish",
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, _("Published.") if item.review == Review.PUBLISHED else _("Refused, with your reason."))
    return True


@login_required
@require_POST
def solution_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_solution_for_user(request.user, pk)
    decide(request, solution, solution.programme)
    return redirect(solution)


@login_required
@require_POST
def deployment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_solution_for_user(request.user, pk)
    form = _deployment_form(request, solution, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.claim_deployment(
                solution=solution,
                city=data["city"],
                started_on=data["started_on"],
                scale=data["scale"],
                outcome=data["outcome"],
                kpi=data["kpi"],
                action=data["action"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deployment is recorded."))
            return redirect(solution)
    return _solution_page(request, solution, deployment_form=form)


@login_required
@require_POST
def deployment_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    deployment: Deployment = access.get_deployment_for_user(request.user, pk, confirm=True)
    actions.confirm_deployment(deployment=deployment, by=request.user)
    messages.success(request, _("Confirmed: the deployment now counts for this solution and its provider."))
    return redirect(deployment.solution)


@login_required
@require_POST
def solution_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    solution = access.get_solution_for_user(request.user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _solution_page(request, solution, report_form=form)
    actions.report(solution=solution, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, _("Thank you: the reviewers will look at it."))
    return redirect(solution)


@login_required
@require_safe
def provider_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_user(request.user, pk)
    solutions = access.visible_solutions(request.user, provider.programme).filter(provider=provider)
    deployments = (
        Deployment.objects.filter(solution__in=solutions, confirmed_at__isnull=False)
        .select_related("solution", "city")
        .order_by("-started_on", "pk")
    )
    context = {
        "programme": provider.programme,
        "provider": provider,
        "solutions": solutions,
        "deployments": deployments,
    }
    return render(request, PROVIDER_PAGE, context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_marketplace_for_user(request.user, slug)
    _require_writer(request, programme)
    form = ProviderForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        provider = form.save(commit=False)
        provider.created_by = request.user
        # A provider is a record of facts (name, kind, country, website); what is reviewed
        # is what is said about its solutions.
        provider.review = Review.PUBLISHED
        provider.save()
        messages.success(request, _("The provider is added; you can now describe its solution."))
        return redirect("marketplace:solution_add", slug=programme.slug)
    return render(request, PROVIDER_FORM, {"programme": programme, "form": form}, status=400 if form.errors else 200)
