"""The pages of access to finance: the catalogue and its calls, the CSV import, saved
searches, a city's matches and applications, an action's funding line, the cohort
statistics. One view per verb; access through :mod:`icc.finance.access`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from icc.assessments.models import Instrument, InstrumentKind, Response
from icc.cities.imports.read import RowError, size_error
from icc.cities.models import City
from icc.core.formatting import format_number
from icc.core.pagination import paginate, query_without_page
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.finance import access, actions, imports, statistics
from icc.finance.forms import AlertsForm, ApplicationForm, CallForm, ImportForm, SaveSearchForm, SearchForm
from icc.finance.matched import secured_of
from icc.finance.models import Application, Call, FundingMatch, SavedSearch
from icc.finance.search import filtered
from icc.programmes.models import Programme
from icc.roadmaps.models import Action

CALLS_PER_PAGE = 25
MATCHES_PER_PAGE = 25


def _posted(request: AuthedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# The catalogue -------------------------------------------------------------------------


@login_required
@require_safe
def catalogue(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_catalogue_for_user(request.user, slug)
    search = SearchForm(request.GET or None, programme=programme)
    today = timezone.localdate()
    calls = Call.objects.filter(programme=programme)
    found = filtered(calls, search.cleaned_data, today) if search.is_valid() else calls.filter(deadline__gte=today)
    page = paginate(request, found.prefetch_related("themes"), per_page=CALLS_PER_PAGE)
    context = {
        "programme": programme,
        "search": search,
        "page": page,
        "query": query_without_page(request),
        "today": today,
        "may_keep": access.may_keep_catalogue(request.user, programme),
        "save_form": SaveSearchForm(),
        "saved_count": SavedSearch.objects.filter(person=request.user, programme=programme).count(),
    }
    return render(request, "finance/catalogue.html", context)


@login_required
@require_safe
def call_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk)
    context = {
        "programme": call.programme,
        "call": call,
        "themes": call.themes.all(),
        "today": timezone.localdate(),
        "may_keep": access.may_keep_catalogue(request.user, call.programme),
    }
    return render(request, "finance/call.html", context)


def _call_form_page(
    request: AuthedHttpRequest, programme: Programme, form: CallForm, call: Call | None, current: Any = None
) -> HttpResponse:
    context = {"programme": programme, "form": form, "call": call, "current": current}
    return render(request, "finance/call_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def call_add(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_catalogue_for_user(request.user, slug, write=True)
    form = CallForm(_posted(request), instance=Call(programme=programme), programme=programme)
    if request.method == "POST" and form.is_valid():
        call = actions.add_call(call=form.save(commit=False), themes=form.cleaned_data["themes"], by=request.user)
        messages.success(request, _("The call was added to the catalogue."))
        return redirect(call.get_absolute_url())
    return _call_form_page(request, programme, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk, write=True)
    form = CallForm(_posted(request), instance=call, programme=call.programme)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_call(
                call=form.save(commit=False),
                themes=form.cleaned_data["themes"],
                expected=form.expected_version,
                by=request.user,
            )
        except StaleEdit as stale:
            return _call_form_page(request, call.programme, form, call, refuse_stale(request, stale, form))
        messages.success(request, _("The call was saved."))
        return redirect(call.get_absolute_url())
    return _call_form_page(request, call.programme, form, call)


@login_required
@require_POST
def call_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_user(request.user, pk, write=True)
    try:
        actions.remove_call(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(call.get_absolute_url())
    messages.success(request, _("The call was removed from the catalogue."))
    return redirect("finance:catalogue", slug=call.programme.slug)


@login_required
@require_http_methods(["GET", "POST"])
def call_import(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_catalogue_for_user(request.user, slug, write=True)
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        too_large: RowError | None = size_error(upload.size)
        if too_large is not None:
            result = imports.CallImportResult(errors=[too_large])
        else:
            source = _("CSV import “%(file)s”") % {"file": upload.name[:120]}
            result = imports.import_calls(programme=programme, data=upload.read(), by=request.user, source=source)
        if result.ok:
            messages.success(
                request,
                _("Import done: %(created)s added, %(updated)s changed, %(unchanged)s unchanged.")
                % {
                    "created": format_number(result.created),
                    "updated": format_number(result.updated),
                    "unchanged": format_number(result.unchanged),
                },
            )
            return redirect("finance:catalogue", slug=slug)
    context = {
        "programme": programme,
        "form": form,
        "result": result,
        "columns": imports.COLUMNS,
        "limit_mb": settings.ICC_MAX_IMPORT_BYTES // 1_048_576,
    }
    return render(request, "finance/import.html", context, status=400 if request.method == "POST" else 200)


# Saved searches ------------------------------------------------------------------------


@login_required
@require_safe
def searches(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_catalogue_for_user(request.user, slug)
    mine = list(SavedSearch.objects.filter(person=request.user, programme=programme))
    themes = {t.pk: t.name for t in programme.themes.all()}
    context = {"programme": programme, "searches": mine, "themes": themes}
    return render(request, "finance/searches.html", context)


@login_required
@require_POST
def search_save(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_catalogue_for_user(request.user, slug)
    search = SearchForm(request.POST, programme=programme)
    form = SaveSearchForm(request.POST)
    if search.is_valid() and form.is_valid():
        try:
            actions.save_search(
                person=request.user,
                programme=programme,
                name=form.cleaned_data["name"],
                filters=search.filters(),
                alerts=form.cleaned_data["alerts"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your search was saved."))
            return redirect("finance:searches", slug=slug)
    else:
        problems = [" ".join(str(e) for e in v) for v in (*search.errors.values(), *form.errors.values())]
        messages.error(request, _("The search was not saved. %(problems)s") % {"problems": " ".join(problems)})
    return redirect(reverse("finance:catalogue", kwargs={"slug": slug}))


@login_required
@require_POST
def search_alerts(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    search = access.get_search_for_user(request.user, pk)
    form = AlertsForm(request.POST)
    form.is_valid()
    alerts = bool(form.cleaned_data.get("alerts"))
    actions.set_alerts(search=search, alerts=alerts, by=request.user)
    if alerts:
        messages.success(request, _("Alerts are on for “%(name)s”.") % {"name": search.name})
    else:
        messages.success(request, _("Alerts are off for “%(name)s”.") % {"name": search.name})
    return redirect("finance:searches", slug=search.programme.slug)


@login_required
@require_POST
def search_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    search = access.get_search_for_user(request.user, pk)
    slug = search.programme.slug
    actions.remove_search(search=search, by=request.user)
    messages.success(request, _("The saved search was removed."))
    return redirect("finance:searches", slug=slug)


# A city's matches and applications -----------------------------------------------------


def _readiness(city: City) -> tuple[Instrument | None, Response | None]:
    instrument = (
        Instrument.objects.filter(programme_id=city.programme_id, kind=InstrumentKind.READINESS)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        return None, None
    response = Response.objects.filter(instrument=instrument, city=city).order_by("-updated_at").first()
    return instrument, response


@login_required
@require_safe
def matches(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_funding_for_user(request.user, pk)
    today = timezone.localdate()
    stored = (
        FundingMatch.objects.filter(city=city, call__deadline__gte=today)
        .select_related("action", "call")
        .order_by("action__ends_on", "action_id", "rank")
    )
    page = paginate(request, stored, per_page=MATCHES_PER_PAGE)
    instrument, response = _readiness(city)
    context = {
        "city": city,
        "programme": city.programme,
        "page": page,
        "themes": dict(city.programme.themes.values_list("pk", "name")),
        "computed_at": page.object_list[0].computed_at if page.object_list else None,
        "applications": Application.objects.filter(city=city).select_related("action", "call")[:50],
        "may_edit": access.can_edit_city(request.user, city),
        "instrument": instrument,
        "response": response,
        "today": today,
    }
    return render(request, "finance/matches.html", context)


def funding_line_context(action: Action) -> dict[str, Any]:
    applications = list(Application.objects.filter(action=action).select_related("call"))
    secured = secured_of(action)
    budget = action.budget
    return {
        "action": action,
        "applications": applications,
        "secured": secured,
        "gap": max((budget or 0) - secured, 0) if budget is not None else None,
        "matches": FundingMatch.objects.filter(action=action, call__deadline__gte=timezone.localdate())
        .select_related("call")
        .order_by("rank"),
    }


@login_required
@require_safe
def action_funding(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.user, pk)
    context = {
        **funding_line_context(action),
        "city": action.city,
        "programme": action.city.programme,
        "may_edit": access.can_edit_city(request.user, action.city),
        "themes": dict(action.city.programme.themes.values_list("pk", "name")),
    }
    template = "finance/action_funding.html"
    if request.GET.get("fragment"):
        template += "#funding-line"
    return render(request, template, context)


def _application_page(
    request: AuthedHttpRequest, city: City, form: ApplicationForm, application: Application | None, current: Any = None
) -> HttpResponse:
    context = {"city": city, "programme": city.programme, "form": form, "application": application, "current": current}
    return render(request, "finance/application_form.html", context, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def application_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_funding_for_user(request.user, pk, write=True)
    initial: dict[str, Any] = {"applied_on": timezone.localdate()}
    action_id, call_id = parse_id(request.GET.get("action")), parse_id(request.GET.get("call"))
    if action_id and Action.objects.filter(pk=action_id, city=city).exists():
        initial["action"] = action_id
    if call_id:
        call = Call.objects.filter(pk=call_id, programme_id=city.programme_id).first()
        if call is not None:
            initial["call_identifier"] = call.identifier
    form = ApplicationForm(_posted(request), instance=Application(city=city), initial=initial, city=city)
    if request.method == "POST" and form.is_valid():
        application = form.save(commit=False)
        application.call = form.cleaned_data["call_identifier"]
        try:
            actions.record_application(application=application, city=city, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return _application_page(request, city, form, None)
        messages.success(request, _("The application was recorded."))
        return redirect("finance:action_funding", pk=application.action_id)
    return _application_page(request, city, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, write=True)
    city = application.city
    form = ApplicationForm(_posted(request), instance=application, city=city)
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        changed.call = form.cleaned_data["call_identifier"]
        try:
            actions.change_application(application=changed, expected=form.expected_version, by=request.user)
        except StaleEdit as stale:
            return _application_page(request, city, form, application, refuse_stale(request, stale, form))
        except ValidationError as error:
            form.add_error(None, error)
            return _application_page(request, city, form, application)
        messages.success(request, _("The application was saved."))
        return redirect("finance:action_funding", pk=changed.action_id)
    return _application_page(request, city, form, application)


@login_required
@require_POST
def application_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    application = access.get_application_for_user(request.user, pk, write=True)
    action_id = application.action_id
    actions.remove_application(application=application, by=request.user)
    messages.success(request, _("The application was removed."))
    return redirect("finance:action_funding", pk=action_id)


# Cohort statistics ---------------------------------------------------------------------


@login_required
@require_safe
def cohort_statistics(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_statistics_for_user(request.user, slug)
    rows = statistics.by_funding_programme(programme)
    context = {"programme": programme, "rows": rows, "totals": statistics.totals(rows)}
    return render(request, "finance/statistics.html", context)
