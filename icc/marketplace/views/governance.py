"""The marketplace's governance: the editors the programme team appoints among the people
of the cities, and duplicates the reviewers fold into one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.accounts.models import Person
from icc.cities.models import Role, RoleKind
from icc.cities.roles import is_programme_team
from icc.core.params import MAX_ID
from icc.core.types import AuthedHttpRequest
from icc.marketplace import access, actions
from icc.marketplace.forms import EditorForm, MergeForm
from icc.marketplace.models import Editor, Solution
from icc.programmes.models import Programme

EDITORS_PAGE = "marketplace/editors.html"
MERGE_PAGE = "marketplace/merge.html"
# The people of the cities: their representatives (a mentor city's too) and mayors.
EDITOR_ROLES = (RoleKind.CITY_REP, RoleKind.MENTOR_REP, RoleKind.MAYOR)


# Editors -------------------------------------------------------------------------------------


def _team_programme(request: AuthedHttpRequest, slug: str) -> Programme:
    programme = access.get_marketplace_for_user(request.user, slug)
    if not is_programme_team(request.user, programme):
        raise PermissionDenied
    return programme


def _candidates(programme: Programme) -> QuerySet[Person]:
    appointed = Editor.objects.filter(programme=programme).values("person")
    return (
        Person.objects.filter(
            is_active=True, roles__programme=programme, roles__kind__in=EDITOR_ROLES, roles__city__isnull=False
        )
        .exclude(pk__in=appointed)
        .distinct()
        .order_by("full_name", "email")
    )


def _editors_page(request: AuthedHttpRequest, programme: Programme, form: EditorForm | None = None) -> HttpResponse:
    editors = list(
        Editor.objects.filter(programme=programme)
        .select_related("person", "appointed_by")
        .order_by("person__full_name")
    )
    cities: dict[int, set[str]] = {e.person_id: set() for e in editors}
    for person_id, name in Role.objects.filter(
        programme=programme, person_id__in=cities, city__isnull=False
    ).values_list("person_id", "city__name"):
        cities[person_id].add(name)
    context = {
        "programme": programme,
        "editors": [{"editor": e, "cities": sorted(cities[e.person_id])} for e in editors],
        "form": form or EditorForm(people=_candidates(programme)),
    }
    return render(request, EDITORS_PAGE, context, status=400 if form is not None and form.errors else 200)


@login_required
@require_safe
def editors(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    return _editors_page(request, _team_programme(request, slug))


@login_required
@require_POST
def editor_appoint(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = _team_programme(request, slug)
    form = EditorForm(request.POST, people=_candidates(programme))
    if not form.is_valid():
        return _editors_page(request, programme, form)
    person = form.cleaned_data["person"]
    actions.appoint_editor(programme=programme, person=person, by=request.user)
    messages.success(
        request,
        _("%(name)s is a marketplace editor: they review, except their own city's content.")
        % {"name": person.full_name},
    )
    return redirect("marketplace:editors", slug=programme.slug)


@login_required
@require_POST
def editor_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    editor = Editor.objects.select_related("programme", "person").filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if editor is None:
        raise Http404
    programme = _team_programme(request, editor.programme.slug)
    actions.remove_editor(editor=editor, by=request.user)
    messages.success(request, _("%(name)s is no longer a marketplace editor.") % {"name": editor.person.full_name})
    return redirect("marketplace:editors", slug=programme.slug)


# Merging duplicates --------------------------------------------------------------------------


def _mergeable(request: AuthedHttpRequest, keep: Solution) -> QuerySet[Solution]:
    """What a reviewer may fold into ``keep``: the same provider's other solutions and
    solutions of the same name, each one they may decide on."""
    programme = keep.programme
    found = (
        access.visible_solutions(request.user, programme)
        .filter(Q(provider=keep.provider_id) | Q(name__iexact=keep.name.strip()))
        .exclude(pk=keep.pk)
        .select_related("provider")
        .annotate(deployment_count=Count("deployments", distinct=True), report_count=Count("reports", distinct=True))
        .order_by("name", "pk")
    )
    allowed = [s.pk for s in found if access.may_decide(request.user, s, programme)]
    return found.filter(pk__in=allowed)


def _reviewed_solution(request: AuthedHttpRequest, pk: int) -> Solution:
    keep = access.get_solution_for_user(request.user, pk)
    access.require_reviewer(request.user, keep.programme)
    if not access.may_decide(request.user, keep, keep.programme):
        raise PermissionDenied
    return keep


def _merge_rows(keep: Solution, candidates: QuerySet[Solution]) -> list[dict[str, Any]]:
    kept_cities = set(keep.deployments.values_list("city_id", flat=True))
    rows = []
    for candidate in candidates:
        cities = list(candidate.deployments.values_list("city_id", "city__name"))
        rows.append(
            {
                "solution": candidate,
                "same_name": candidate.name.strip().lower() == keep.name.strip().lower(),
                "moving": [name for city_id, name in cities if city_id not in kept_cities],
                "overlap": [name for city_id, name in cities if city_id in kept_cities],
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    keep = _reviewed_solution(request, pk)
    candidates = _mergeable(request, keep)
    form = MergeForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            actions.merge(keep=keep, duplicate=duplicate, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("“%(name)s” is folded into this solution and removed.") % {"name": duplicate.name}
            )
            return redirect(keep)
    context = {
        "programme": keep.programme,
        "solution": keep,
        "rows": _merge_rows(keep, candidates),
        "form": form,
        "deployment_count": keep.deployments.count(),
    }
    return render(request, MERGE_PAGE, context, status=400 if form.errors else 200)
