"""The pages of innovation procurement: the programme's plans, a city's plans, a plan with
its phases and documents, and its export as an Open Contracting release package."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import get_city_for_user
from icc.cities.models import City
from icc.cities.roles import can_edit_city, is_programme_team
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.marketplace.models import ProcurementGroup
from icc.procurement import access, actions, exporting
from icc.procurement.forms import DocumentForm, NewPlanForm, PhaseForm, PlanForm
from icc.procurement.models import PHASES, Phase, Plan, kinds_of
from icc.roadmaps.models import Action


def _listed(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return (
        plans.select_related("buyer", "action", "group__challenge")
        .annotate(total=Sum("phases__budget"), phase_count=Count("phases", distinct=True))
        .order_by("-updated_at", "pk")
    )


@login_required
@require_safe
def plans(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_procurement_for_user(request.user, slug)
    # Through the ids: the access filter's joins would count a group plan's phases once per city.
    visible = access.visible_plans(request.user, programme).values("pk")
    found = _listed(Plan.objects.filter(pk__in=visible)).prefetch_related("cities", "group__members")
    return render(request, "procurement/plans.html", {"programme": programme, "plans": found})


@login_required
@require_safe
def city_plans(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    found = _listed(Plan.objects.filter(pk__in=Plan.objects.of_city(city).values("pk"))).prefetch_related(
        "cities", "group__members"
    )
    context = {
        "programme": city.programme,
        "city": city,
        "plans": found,
        "may_write": can_edit_city(request.user, city),
    }
    return render(request, "procurement/city.html", context)


def _subjects(city: City) -> tuple[QuerySet[Action], QuerySet[ProcurementGroup]]:
    actions_ = Action.objects.filter(city=city).order_by("title")
    groups = ProcurementGroup.objects.filter(members=city).select_related("challenge").order_by("challenge__title")
    return actions_, groups


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    actions_, groups = _subjects(city)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("action", "")
    if chosen.isdigit() and len(chosen) < 19 and actions_.filter(pk=int(chosen)).exists():
        initial["action"] = int(chosen)
    form = NewPlanForm(
        request.POST if request.method == "POST" else None,
        instance=Plan(),
        cities=City.objects.filter(programme=city.programme).order_by("name"),
        actions=actions_,
        groups=groups,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        plan.action, plan.group = form.cleaned_data["action"], form.cleaned_data["group"]
        try:
            actions.create_plan(plan=plan, cities=form.cleaned_data.get("cities", []), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan is saved. Add its phases next."))
            return redirect(plan)
    context = {"programme": city.programme, "city": city, "form": form}
    return render(request, "procurement/plan_new.html", context, status=400 if form.errors else 200)


def _refusal(request: AuthedHttpRequest, plan: Plan, outcome: exporting.Outcome) -> dict[str, Any]:
    """Why the export is refused, worded for the reader (the technical side for the programme team)."""
    reasons, problems = exporting.worded(outcome, team=is_programme_team(request.user, plan.programme))
    return {"reasons": reasons, "problems": problems}


def _plan_page(request: AuthedHttpRequest, plan: Plan) -> HttpResponse:
    phases = sorted(plan.phases.prefetch_related("documents"), key=lambda p: p.order)
    taken = {p.kind for p in phases}
    outcome = exporting.export(plan)
    context = {
        "programme": plan.programme,
        "plan": plan,
        "phases": phases,
        "cities": plan.taking_part(),
        "total": sum((p.budget or 0 for p in phases), 0),
        "may_write": access.may_write_plan(request.user, plan),
        "more_phases": [k for k in kinds_of(plan.route) if k not in taken],
        "stages": {k: v[2] for k, v in PHASES.items()},
        **_refusal(request, plan, outcome),
    }
    return render(request, "procurement/plan.html", context)


@login_required
@require_safe
def plan_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, access.get_plan_for_user(request.user, pk))


def _cities_for(plan: Plan) -> QuerySet[City]:
    return City.objects.filter(pk__in=[c.pk for c in actions.allowed_cities(plan)]).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    form = PlanForm(request.POST if request.method == "POST" else None, instance=plan, cities=_cities_for(plan))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_plan(
                plan=form.save(commit=False),
                cities=form.cleaned_data.get("cities", []),
                expected=form.expected_version,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(plan)
    context = {"programme": plan.programme, "plan": plan, "form": form, "current": current}
    failed = bool(form.errors) or current is not None
    return render(request, "procurement/plan_form.html", context, status=400 if failed else 200)


def _phase_page(
    request: AuthedHttpRequest, plan: Plan, form: PhaseForm, phase: Phase | None, document_form: DocumentForm | None
) -> HttpResponse:
    context = {
        "programme": plan.programme,
        "plan": plan,
        "phase": phase,
        "form": form,
        "document_form": document_form or DocumentForm(),
        "documents": list(phase.documents.select_related("added_by")) if phase else [],
    }
    failed = (form.is_bound and bool(form.errors)) or (document_form is not None and bool(document_form.errors))
    return render(request, "procurement/phase_form.html", context, status=400 if failed else 200)


def _save_phase(request: AuthedHttpRequest, plan: Plan, phase: Phase) -> HttpResponse:
    form = PhaseForm(request.POST if request.method == "POST" else None, instance=phase, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_phase(phase=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The phase is saved."))
            return redirect(plan)
    return _phase_page(request, plan, form, phase if phase.pk else None, None)


@login_required
@require_http_methods(["GET", "POST"])
def phase_new(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk, write=True)
    if not [k for k in kinds_of(plan.route) if not plan.phases.filter(kind=k).exists()]:
        messages.info(request, _("The plan has all the phases of its route already."))
        return redirect(plan)
    return _save_phase(request, plan, Phase(plan=plan))


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    phase = access.get_phase_for_user(request.user, pk, write=True)
    return _save_phase(request, phase.plan, phase)


@login_required
@require_POST
def phase_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    phase = access.get_phase_for_user(request.user, pk, write=True)
    plan = phase.plan
    actions.remove_phase(phase=phase, by=request.user)
    messages.success(request, _("The phase and its documents are removed."))
    return redirect(plan)


@login_required
@require_POST
def document_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    phase = access.get_phase_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_document(
                phase=phase,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            messages.success(request, _("The document is added to the phase."))
            return redirect("procurement:phase_edit", pk=phase.pk)
    return _phase_page(request, phase.plan, PhaseForm(instance=phase, plan=phase.plan), phase, form)


@login_required
@require_safe
def document_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    document = access.get_document_for_user(request.user, pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_safe
def export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan_for_user(request.user, pk)
    outcome = exporting.export(plan)
    if outcome.package is None:
        context = {
            "programme": plan.programme,
            "plan": plan,
            **_refusal(request, plan, outcome),
        }
        return render(request, "procurement/export_refused.html", context, status=409)
    filename = f"{slugify(plan.title)[:60] or 'plan'}-ocds-release-package.json"
    return HttpResponse(
        exporting.dumps(outcome.package),
        content_type=exporting.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
