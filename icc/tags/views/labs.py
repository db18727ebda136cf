"""Cross-city labs, their projects and picks, and brain dates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icc.cities.access import get_programme_for_user, is_programme_team
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.tags import actions, formation
from icc.tags.access import (
    cities_spoken_for,
    get_brain_date_for_user,
    get_lab_for_user,
    records_takeaways,
    takes_part,
)
from icc.tags.forms import (
    LabForm,
    PicksForm,
    ProjectForm,
    TakeawaysForm,
    UseCaseForm,
)
from icc.tags.models import (
    Lab,
    Pick,
    Project,
)
from icc.tags.views.life import _Invalid


def _fail(request: AuthedHttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@login_required
@require_http_methods(["GET", "POST"])
def labs_view(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, slug)
    if not takes_part(request.user, programme):
        raise PermissionDenied
    is_team = is_programme_team(request.user, programme)
    form = LabForm(request.POST or None)
    if request.method == "POST":
        if not is_team:
            raise PermissionDenied
        if form.is_valid():
            lab = form.save(commit=False)
            lab.programme = programme
            lab.save()
            messages.success(request, _("Lab added."))
            return redirect(lab)
    labs = Lab.objects.filter(programme=programme).annotate(project_count=Count("projects"))
    return render(request, "tags/labs.html", {"programme": programme, "labs": labs, "form": form, "is_team": is_team})


@login_required
@require_http_methods(["GET", "POST"])
def lab_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    lab = get_lab_for_user(request.user, pk)
    programme = lab.programme
    is_team = is_programme_team(request.user, programme)
    my_cities = [c for c in cities_spoken_for(request.user, programme) if not c.is_mentor]
    city = my_cities[0] if my_cities else None
    projects = list(lab.projects.select_related("city", "theme"))
    peers = [p for p in projects if city is None or p.city_id != city.pk]
    step = request.POST.get("step", "") if request.method == "POST" else ""
    project_form = ProjectForm(request.POST if step == "project" else None, programme=programme)
    use_case_form = UseCaseForm(request.POST if step == "use_case" else None)
    current = {p.rank: p.project_id for p in Pick.objects.filter(lab=lab, city=city)} if city else {}
    picks_form = PicksForm(
        request.POST if step == "picks" else None,
        projects=peers,
        initial={f"pick_{rank}": project for rank, project in current.items()},
    )
    if request.method == "POST":
        try:
            if step == "match" and is_team:
                count = formation.match_brain_dates(lab=lab, by=request.user)
                messages.success(request, _("%(count)s brain dates formed.") % {"count": count})
            elif step in ("project", "use_case", "picks") and city is not None:
                form = {"project": project_form, "use_case": use_case_form, "picks": picks_form}[step]
                if not form.is_valid():
                    raise _Invalid
                if step == "project":
                    project = project_form.save(commit=False)
                    project.lab, project.city = lab, city
                    if Project.objects.filter(lab=lab, city=city, title=project.title).exists():
                        raise ValidationError(_("Your city already brings a project with this title."))
                    actions.save_project(project=project, by=request.user)
                    messages.success(request, _("Project added."))
                elif step == "use_case":
                    use_case = use_case_form.save(commit=False)
                    use_case.lab, use_case.city = lab, city
                    if lab.use_cases.filter(city=city, category__iexact=use_case.category).exists():
                        raise ValidationError(_("Your city already brings a use case in this category."))
                    use_case.save()
                    messages.success(request, _("Use case added."))
                else:
                    actions.save_picks(lab=lab, city=city, projects=picks_form.ranked(), by=request.user)
                    messages.success(request, _("Your picks are saved."))
            else:
                raise PermissionDenied
            return redirect(lab)
        except ValidationError as error:
            _fail(request, error)
        except _Invalid:
            pass
    filters, shown = _filter_projects(request, projects)
    return render(
        request,
        "tags/lab.html",
        {
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
            "project_form": project_form,
            "use_case_form": use_case_form,
            "picks_form": picks_form,
            "pick_count": Pick.objects.filter(lab=lab).values("city").distinct().count(),
            "brain_dates": lab.brain_dates.prefetch_related("cities"),
            "rooms": actions.solution_rooms(lab),
            "procurement": actions.procurement_groups(lab),
        },
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


@login_required
@require_http_methods(["GET", "POST"])
def brain_date_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    brain_date = get_brain_date_for_user(request.user, pk)
    recorder = records_takeaways(request.user, brain_date)
    form = TakeawaysForm(
        request.POST or None,
        initial={
            "version": brain_date.version,
            **{f"takeaway_{n}": getattr(brain_date, f"takeaway_{n}") for n in (1, 2, 3)},
        },
    )
    current = None
    if request.method == "POST":
        if not recorder:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.record_takeaways(
                    brain_date=brain_date,
                    takeaways=[form.cleaned_data[f"takeaway_{n}"] for n in (1, 2, 3)],
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except StaleEdit as stale:
                current = refuse_stale(request, stale, form)
            else:
                messages.success(request, _("Takeaways recorded."))
                return redirect(brain_date)
    cities = list(brain_date.cities.all())
    projects = Project.objects.filter(lab=brain_date.lab, city__in=cities).select_related("city", "theme")
    return render(
        request,
        "tags/brain_date.html",
        {
            "brain_date": brain_date,
            "cities": cities,
            "projects": projects,
            "form": form,
            "recorder": recorder,
            "current": current,
            "takeaways": [t for t in (brain_date.takeaway_1, brain_date.takeaway_2, brain_date.takeaway_3) if t],
        },
    )
