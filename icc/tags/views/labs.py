"""Cross-city labs: the list and a new lab, a lab's projects, use cases and picks, its
brain dates, and a brain date's takeaways."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import get_programme_for_user
from icc.cities.models import City
from icc.cities.roles import is_programme_team
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.marketplace.access import market_groups
from icc.programmes.models import Programme
from icc.tags import actions, formation
from icc.tags.access import (
    get_brain_date_for_user,
    get_lab_city_for_user,
    get_lab_for_user,
    lab_city,
    records_takeaways,
)
from icc.tags.forms import LabForm, PicksForm, ProjectForm, TakeawaysForm, UseCaseForm
from icc.tags.models import BrainDate, Lab, Pick, Project
from icc.tags.views.common import fail

LABS_PAGE = "tags/labs.html"
LAB_PAGE = "tags/lab.html"
BRAIN_DATE_PAGE = "tags/brain_date.html"


# The list of labs ----------------------------------------------------------------------


def _labs_page(request: AuthedHttpRequest, programme: Programme, *, form: LabForm | None = None) -> HttpResponse:
    context = {
        "programme": programme,
        "labs": Lab.objects.filter(programme=programme).annotate(project_count=Count("projects")),
        "form": form or LabForm(),
        "is_team": is_programme_team(request.user, programme),
    }
    return render_page(request, LABS_PAGE, context, fragment="lab-form")


@login_required
@require_safe
def labs_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    return _labs_page(request, get_programme_for_user(request.user, slug))


@login_required
@require_POST
def lab_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug, write=True)
    form = LabForm(request.POST)
    if not form.is_valid():
        return _labs_page(request, programme, form=form)
    lab = actions.add_lab(programme=programme, lab=form.save(commit=False), by=request.user)
    messages.success(request, _("Lab added."))
    return redirect(lab)


# A lab ---------------------------------------------------------------------------------


def _peers(lab: Lab, city: City | None) -> list[Project]:
    """The lab's projects a city may pick: its peers' (every project for someone who picks for no city)."""
    return [p for p in lab.projects.select_related("city", "theme") if city is None or p.city_id != city.pk]


def _picks_form(lab: Lab, city: City | None, data: QueryDict | None = None) -> PicksForm:
    current = {p.rank: p.project_id for p in Pick.objects.filter(lab=lab, city=city)} if city else {}
    return PicksForm(
        data, projects=_peers(lab, city), initial={f"pick_{rank}": project for rank, project in current.items()}
    )


def _filter_projects(request: AuthedHttpRequest, projects: list[Project]) -> tuple[dict[str, str], list[Project]]:
    filters = {name: request.GET.get(name, "") for name in ("theme", "topic", "country")}
    shown = projects
    if filters["theme"]:
        shown = [p for p in shown if str(p.theme_id) == filters["theme"]]
    if filters["topic"]:
        shown = [p for p in shown if p.topic == filters["topic"]]
    if filters["country"]:
        shown = [p for p in shown if p.city.country == filters["country"]]
    return filters, shown


def _lab_page(
    request: AuthedHttpRequest,
    lab: Lab,
    *,
    project_form: ProjectForm | None = None,
    use_case_form: UseCaseForm | None = None,
    picks_form: PicksForm | None = None,
    fragment: str | None = None,
) -> HttpResponse:
    programme = lab.programme
    is_team = is_programme_team(request.user, programme)
    city = lab_city(request.user, programme)
    projects = list(lab.projects.select_related("city", "theme"))
    filters, shown = _filter_projects(request, projects)
    context = {
        "lab": lab,
        "programme": programme,
        "is_team": is_team,
        "matching_words": formation.brain_dates_in_words(lab.matching.get("status", "")),
        "matching_figures": formation.brain_date_figures(lab.matching) if is_team else "",
        "city": city,
        "projects": shown,
        "filters": filters,
        "themes": programme.themes.all(),
        "topics": sorted({p.topic for p in projects}),
        "countries": sorted({p.city.country for p in projects}),
        "project_form": project_form or ProjectForm(programme=programme),
        "use_case_form": use_case_form or UseCaseForm(),
        "picks_form": picks_form or _picks_form(lab, city),
        "pick_count": Pick.objects.filter(lab=lab).values("city").distinct().count(),
        "brain_dates": lab.brain_dates.prefetch_related("cities"),
        "rooms": actions.solution_rooms(lab),
        "procurement": actions.procurement_groups(lab),
        "market_groups": market_groups(request.user, lab),
    }
    return render_page(request, LAB_PAGE, context, fragment=fragment)


@login_required
@require_safe
def lab_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _lab_page(request, get_lab_for_user(request.user, pk))


@login_required
@require_POST
def brain_dates_form(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk, manage=True)
    try:
        count = formation.match_brain_dates(lab=lab, by=request.user)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("%(count)s brain dates formed.") % {"count": count})
    return redirect(lab)


@login_required
@require_POST
def project_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk)
    city = get_lab_city_for_user(request.user, lab)
    form = ProjectForm(request.POST, programme=lab.programme)
    if form.is_valid():
        try:
            actions.add_project(lab=lab, city=city, project=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _lab_page(request, lab, project_form=form, fragment="project-form")
    messages.success(request, _("Project added."))
    return redirect(lab)


@login_required
@require_POST
def use_case_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk)
    city = get_lab_city_for_user(request.user, lab)
    form = UseCaseForm(request.POST)
    if form.is_valid():
        try:
            actions.add_use_case(lab=lab, city=city, use_case=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _lab_page(request, lab, use_case_form=form, fragment="use-case-form")
    messages.success(request, _("Use case added."))
    return redirect(lab)


@login_required
@require_POST
def picks_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk)
    city = get_lab_city_for_user(request.user, lab)
    form = _picks_form(lab, city, request.POST)
    if form.is_valid():
        try:
            actions.save_picks(lab=lab, city=city, projects=form.ranked(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        return _lab_page(request, lab, picks_form=form, fragment="picks-form")
    messages.success(request, _("Your picks are saved."))
    return redirect(lab)


# A brain date --------------------------------------------------------------------------


def _takeaways_form(brain_date: BrainDate, data: QueryDict | None = None) -> TakeawaysForm:
    initial = {
        "version": brain_date.version,
        **{f"takeaway_{n}": getattr(brain_date, f"takeaway_{n}") for n in (1, 2, 3)},
    }
    return TakeawaysForm(data, initial=initial)


def _brain_date_page(
    request: AuthedHttpRequest,
    brain_date: BrainDate,
    *,
    form: TakeawaysForm | None = None,
    current: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    cities = list(brain_date.cities.all())
    context = {
        "brain_date": brain_date,
        "cities": cities,
        "projects": Project.objects.filter(lab=brain_date.lab, city__in=cities).select_related("city", "theme"),
        "form": form or _takeaways_form(brain_date),
        "recorder": records_takeaways(request.user, brain_date),
        "current": current,
        "takeaways": [t for t in (brain_date.takeaway_1, brain_date.takeaway_2, brain_date.takeaway_3) if t],
    }
    return render_page(request, BRAIN_DATE_PAGE, context, fragment="takeaways-form")


@login_required
@require_safe
def brain_date_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _brain_date_page(request, get_brain_date_for_user(request.user, pk))


@login_required
@require_POST
def takeaways_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    brain_date = get_brain_date_for_user(request.user, pk, write=True)
    form = _takeaways_form(brain_date, request.POST)
    if not form.is_valid():
        return _brain_date_page(request, brain_date, form=form)
    try:
        actions.record_takeaways(
            brain_date=brain_date,
            takeaways=[form.cleaned_data[f"takeaway_{n}"] for n in (1, 2, 3)],
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except StaleEdit as stale:
        current = refuse_stale(request, stale, form)
        return _brain_date_page(request, brain_date, form=form, current=current)
    messages.success(request, _("Takeaways recorded."))
    return redirect(brain_date)
