"""The pages of open data: the edition's charter with the cities' progress, its draft
(for the programme team), and a city's checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.cities.access import visible_city_ids
from icc.cities.models import City
from icc.cities.roles import can_edit_city, is_programme_team
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.opendata import access, actions
from icc.opendata.forms import ChecklistForm, PrincipleForm, VisionForm
from icc.opendata.models import Charter, Principle
from icc.opendata.summary import met_counts, summary
from icc.programmes.models import Programme


@login_required
@require_safe
def charter(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_charter_programme_for_user(request.user, slug)
    current = actions.current_charter(programme)
    team = is_programme_team(request.user, programme)
    cities = list(City.objects.filter(programme=programme, pk__in=visible_city_ids(request.user)).order_by("name"))
    counts = met_counts(current, cities) if current is not None else {}
    context: dict[str, Any] = {
        "programme": programme,
        "charter": current,
        "principles": list(current.principles.all()) if current else [],
        "team": team,
        "draft": actions.draft_of(programme) if team else None,
        "versions": list(Charter.objects.filter(programme=programme, published_at__isnull=False).order_by("-number")),
        "rows": [(city, *counts.get(city.pk, (0, 0))) for city in cities],
    }
    if context["draft"] is not None:
        context["draft_principles"] = list(context["draft"].principles.all())
    return render(request, "opendata/charter.html", context)


def _draft(request: AuthedHttpRequest, slug: str) -> tuple[Programme, Charter]:
    programme = access.get_charter_programme_for_user(request.user, slug, write=True)
    draft = actions.draft_of(programme)
    if draft is None:
        raise Http404
    return programme, draft


@login_required
@require_POST
def draft_start(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_charter_programme_for_user(request.user, slug, write=True)
    try:
        draft = actions.start_draft(programme=programme, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Version %(number)s is a draft: change it, then publish it.") % {"number": draft.number}
        )
    return redirect("opendata:charter", slug=programme.slug)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme, draft = _draft(request, slug)
    form = VisionForm(request.POST if request.method == "POST" else None, instance=draft)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_vision(charter=draft, vision=form.cleaned_data["vision"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The vision is saved."))
            return redirect("opendata:charter", slug=programme.slug)
    context = {"programme": programme, "draft": draft, "form": form, "heading": _("The charter's vision")}
    return render(request, "opendata/form.html", context, status=400 if form.errors else 200)


def _principle_page(
    request: AuthedHttpRequest, programme: Programme, draft: Charter, principle: Principle
) -> HttpResponse:
    form = PrincipleForm(request.POST if request.method == "POST" else None, instance=principle)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_principle(principle=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The principle is saved in the draft."))
            return redirect("opendata:charter", slug=programme.slug)
    heading = principle.title if principle.pk else _("New principle")
    context = {"programme": programme, "draft": draft, "form": form, "principle": principle, "heading": heading}
    return render(request, "opendata/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def principle_new(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme, draft = _draft(request, slug)
    order = (max((p.order for p in draft.principles.all()), default=0)) + 10
    return _principle_page(request, programme, draft, Principle(charter=draft, order=order))


@login_required
@require_http_methods(["GET", "POST"])
def principle_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    principle = access.get_principle_for_user(request.user, pk)
    return _principle_page(request, principle.charter.programme, principle.charter, principle)


@login_required
@require_POST
def principle_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    principle = access.get_principle_for_user(request.user, pk)
    programme = principle.charter.programme
    actions.remove_principle(principle=principle, by=request.user)
    messages.success(request, _("The principle is removed from the draft."))
    return redirect("opendata:charter", slug=programme.slug)


@login_required
@require_POST
def publish(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme, draft = _draft(request, slug)
    try:
        carried = actions.publish(charter=draft, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)s is published; %(count)s cities' answers carried over.")
            % {"number": draft.number, "count": carried},
        )
    return redirect("opendata:charter", slug=programme.slug)


@login_required
@require_safe
def checklist(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_checklist_city_for_user(request.user, pk)
    context = {
        "programme": city.programme,
        "city": city,
        "summary": summary(city),
        "may_write": can_edit_city(request.user, city),
    }
    return render(request, "opendata/checklist.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_checklist_city_for_user(request.user, pk, write=True)
    found = summary(city)
    if found is None:
        messages.info(request, _("The programme has not published its open data charter yet."))
        return redirect("opendata:checklist", pk=city.pk)
    form = ChecklistForm(request.POST if request.method == "POST" else None, summary=found)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {
            line.principle.pk: actions.Answer(
                status=data[f"status_{line.principle.pk}"],
                evidence_url=data[f"url_{line.principle.pk}"],
                evidence=data[f"evidence_{line.principle.pk}"],
            )
            for line in found.lines
        }
        try:
            actions.save_checklist(
                city=city, charter=found.charter, answers=answers, expected=form.expected_version, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit as stale:
            refuse_stale(request, stale, form)
            current = [
                (line.principle.title, line.status_label) for line in (summary(city, found.charter) or found).lines
            ]
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("opendata:checklist", pk=city.pk)
    context = {"programme": city.programme, "city": city, "form": form, "summary": found, "current": current}
    failed = bool(form.errors) or current is not None
    return render(request, "opendata/checklist_form.html", context, status=400 if failed else 200)
