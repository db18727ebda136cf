from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icc.assessments import survey
from icc.assessments.models import SatCampaign
from icc.cities.access import can_edit_city, get_city_for_user, get_programme_for_user
from icc.cities.models import City
from icc.cities.roles import is_mayor_of, is_programme_team
from icc.core.pagination import paginate, query_without_page
from icc.core.params import parse_id
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.programmes.models import Cycle
from icc.roadmaps import actions, charts, exports, fiware, signoffs
from icc.roadmaps import kpis as kpi_figures
from icc.roadmaps.access import can_comment, can_report_on, get_action_for_user, get_kpi_for_user, sees_city
from icc.roadmaps.forms import (
    ActionForm,
    CommentForm,
    CyclePlanForm,
    KPIForm,
    MeasurementForm,
    OpportunityForm,
    ProgressReportForm,
    RankForm,
    ReallocationForm,
    SolutionForm,
    StrategyForm,
    owner_choices,
)
from icc.roadmaps.models import (
    KPI,
    Action,
    ActionKind,
    ActionStatus,
    BudgetSignOff,
    CyclePlan,
    Detail,
    Measurement,
    Opportunity,
    Solution,
    Strategy,
    StrategyVersion,
)


def _enablers(city: City) -> list[tuple[str, str]]:
    instrument = survey.enablers_instrument(city)
    if instrument is None:
        return []
    return [(s.key, s.title) for s in instrument.sections.all() if s.key != "open"]


# Strategy ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def strategy_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    strategy = Strategy.objects.filter(city=city).first() or Strategy(city=city)
    editable = can_edit_city(request.user, city)
    form = StrategyForm(request.POST or None, instance=strategy)
    current = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                version = actions.save_strategy(
                    strategy=strategy, expected_version=form.cleaned_data["version"], by=request.user
                )
            except StaleEdit as stale:
                current = refuse_stale(request, stale, form)
            else:
                messages.success(request, _("Strategy saved as version %(number)s.") % {"number": version.number})
                return redirect("roadmaps:strategy", pk=city.pk)
    versions = list(strategy.versions.annotate(comment_count=Count("comments"))) if strategy.pk else []
    return render(
        request,
        "roadmaps/strategy.html",
        {
            "city": city,
            "strategy": strategy,
            "form": form,
            "editable": editable,
            "current": current,
            "versions": versions,
            "solutions": _solutions(city),
            "opportunities": Opportunity.objects.filter(city=city).annotate(action_count=Count("actions")),
        },
    )


def _solutions(city: City) -> list[dict[str, Any]]:
    maturity = actions.maturity_of(city)
    return [{"solution": s, "rating": maturity.get(s.name.lower())} for s in Solution.objects.filter(city=city)]


@login_required
@require_http_methods(["GET", "POST"])
def strategy_version(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    version = StrategyVersion.objects.filter(strategy__city=city, number=number).select_related("created_by").first()
    if version is None:
        raise Http404
    commenter = can_comment(request.user, city)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not commenter:
            raise PermissionDenied
        if form.is_valid():
            actions.comment_on_strategy(version=version, body=form.cleaned_data["body"], by=request.user)
            messages.success(request, _("Comment added."))
            return redirect("roadmaps:strategy_version", pk=city.pk, number=number)
    previous = StrategyVersion.objects.filter(strategy=version.strategy, number__lt=number).order_by("-number").first()
    fields = [
        (_("Vision statement"), "vision"),
        (_("Short-term goals"), "short_term_goals"),
        (_("Long-term goals"), "long_term_goals"),
        (_("Role of the local ecosystem"), "ecosystem_role"),
    ]
    rows = [
        {
            "label": label,
            "text": getattr(version, name),
            "changed": previous is not None and getattr(previous, name) != getattr(version, name),
        }
        for label, name in fields
    ]
    return render(
        request,
        "roadmaps/strategy_version.html",
        {
            "city": city,
            "version": version,
            "previous": previous,
            "rows": rows,
            "comments": version.comments.select_related("author"),
            "form": form,
            "commenter": commenter,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def solutions_view(request: AuthedHttpRequest, pk: int, solution_pk: int | None = None) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    solution = Solution(city=city)
    if solution_pk is not None:
        found = Solution.objects.filter(city=city, pk=solution_pk).first()
        if found is None:
            raise Http404
        solution = found
    editable = can_edit_city(request.user, city)
    form = SolutionForm(request.POST or None, instance=solution, city=city)
    current = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "from_assessment" in request.POST:
            added = actions.add_assessed_solutions(city=city, by=request.user)
            messages.success(request, _("%(count)s solutions added from the assessment.") % {"count": added})
            return redirect("roadmaps:solutions", pk=city.pk)
        if form.is_valid():
            try:
                actions.save_solution(
                    solution=form.save(commit=False), expected_version=form.expected_version, by=request.user
                )
            except StaleEdit as stale:
                current = refuse_stale(request, stale, form)
            else:
                messages.success(request, _("Solution saved."))
                return redirect("roadmaps:solutions", pk=city.pk)
    return render(
        request,
        "roadmaps/solutions.html",
        {
            "city": city,
            "form": form,
            "solution": solution,
            "editable": editable,
            "rows": _solutions(city),
            "current": current,
        },
    )


# Roadmap -------------------------------------------------------------------------------


def _roadmap_actions(city: City) -> Any:
    return (
        Action.objects.filter(city=city)
        .select_related("opportunity", "cycle", "owner_person", "owner_organisation")
        .prefetch_related("kpis", "depends_on")
        .order_by("opportunity__rank", "opportunity__title", "starts_on", "title")
    )


@login_required
@require_GET
def roadmap_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    cycles = list(Cycle.objects.filter(programme_id=city.programme_id))
    items = _roadmap_actions(city)
    filters = {"cycle": "", "status": "", "kind": ""}
    for name, allowed in (
        ("cycle", {str(c.number) for c in cycles}),
        ("status", set(ActionStatus.values)),
        ("kind", set(ActionKind.values)),
    ):
        value = request.GET.get(name, "")
        if value and value not in allowed:
            messages.warning(request, _("The filter “%(name)s” had an unknown value and was ignored.") % {"name": name})
        elif value:
            filters[name] = value
    if filters["cycle"]:
        items = items.filter(cycle__number=int(filters["cycle"]))
    if filters["status"]:
        items = items.filter(status=filters["status"])
    if filters["kind"]:
        items = items.filter(kind=filters["kind"])
    action_list = list(items)
    timeline = request.GET.get("view") == "timeline"
    chart = ""
    if timeline and action_list:
        chart = charts.gantt(
            title=_("Roadmap of %(city)s") % {"city": city.name},
            bars=[
                charts.Bar(
                    label=a.title,
                    starts_on=a.starts_on,
                    ends_on=a.ends_on,
                    css=f"status-{a.status} kind-{a.kind}",
                    group=a.opportunity.title,
                )
                for a in action_list
            ],
            bands=[charts.Band(str(c), c.starts_on, c.ends_on) for c in cycles],
            today=timezone.localdate(),
        )
    groups: dict[Opportunity, list[Action]] = defaultdict(list)
    for action in action_list:
        groups[action.opportunity].append(action)
    totals = (
        Action.objects.filter(city=city)
        .exclude(status=ActionStatus.DROPPED)
        .aggregate(budget=Sum("budget"), spent=Sum("spent"))
    )
    return render(
        request,
        "roadmaps/roadmap.html",
        {
            "city": city,
            "groups": dict(groups),
            "count": len(action_list),
            "timeline": timeline,
            "chart": mark_safe(chart),  # noqa: S308 - built by charts.gantt, which escapes every text
            "cycles": cycles,
            "filters": filters,
            "statuses": ActionStatus.choices,
            "kinds": ActionKind.choices,
            "editable": can_edit_city(request.user, city),
            "totals": totals,
            "opportunities": Opportunity.objects.filter(city=city),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: AuthedHttpRequest, pk: int, opportunity_pk: int | None = None) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    opportunity = Opportunity(city=city)
    if opportunity_pk is not None:
        found = Opportunity.objects.filter(city=city, pk=opportunity_pk).first()
        if found is None:
            raise Http404
        opportunity = found
    form = OpportunityForm(request.POST or None, instance=opportunity, city=city)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_opportunity(
                opportunity=form.save(commit=False), expected_version=form.expected_version, by=request.user
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        else:
            messages.success(request, _("Opportunity saved."))
            return redirect("roadmaps:roadmap", pk=city.pk)
    return render(
        request,
        "roadmaps/opportunity_form.html",
        {"city": city, "form": form, "opportunity": opportunity, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthedHttpRequest, pk: int | None = None, city_pk: int | None = None) -> HttpResponse:
    if pk is not None:
        action = get_action_for_user(request.user, pk)
        city = action.city
        if not can_edit_city(request.user, city):
            raise PermissionDenied
    else:
        city = get_city_for_user(request.user, city_pk or 0, write=True)
        action = Action(city=city)
        if not Opportunity.objects.filter(city=city).exists():
            messages.info(request, _("Add a city opportunity first: every action serves one."))
            return redirect("roadmaps:opportunity_new", pk=city.pk)
        opportunity = parse_id(request.GET.get("opportunity"))
        if opportunity is not None:
            action.opportunity = Opportunity.objects.filter(city=city, pk=opportunity).first()  # type: ignore[assignment]
    form = ActionForm(request.POST or None, instance=action, city=city, enablers=_enablers(city))
    current = None
    if request.method == "POST" and form.is_valid():
        relations = {name: list(form.cleaned_data[name]) for name in ("depends_on", "kpis", "solutions")}
        try:
            saved = actions.save_action(
                action=form.save(commit=False),
                relations=relations,
                expected_version=form.cleaned_data["version"],
                changed=form.changed_data,
                by=request.user,
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect(saved)
    return render(
        request,
        "roadmaps/action_form.html",
        {"city": city, "form": form, "action": action, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request.user, pk)
    city = action.city
    reporter = can_report_on(request.user, action)
    form = ProgressReportForm(request.POST or None, instance=action)
    if request.method == "POST":
        if not reporter:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.report_progress(
                    action=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
                )
            except StaleEdit as stale:
                refuse_stale(request, stale, form)
            else:
                messages.success(request, _("Progress saved."))
                return redirect(action)
    full_view = sees_city(request.user, city)
    kpi_rows = kpi_figures.rows(action.kpis.all(), None) if full_view else []
    return render(
        request,
        "roadmaps/action.html",
        {
            "city": city,
            "action": action,
            "form": form,
            "reporter": reporter,
            "full_view": full_view,
            "editable": can_edit_city(request.user, city),
            "kpi_rows": kpi_rows,
            "depends_on": action.depends_on.all() if full_view else [],
            "needed_by": action.needed_by.all() if full_view else [],
            "solutions": action.solutions.all() if full_view else [],
            "enablers": [title for key, title in _enablers(city) if key in action.enablers],
        },
    )


@login_required
@require_GET
def my_actions(request: AuthedHttpRequest) -> HttpResponse:
    owned = (
        Action.objects.owned_by(request.user)
        .select_related("city", "opportunity", "cycle", "owner_person", "owner_organisation")
        .order_by("ends_on")
    )
    return render(
        request, "roadmaps/my_actions.html", {"page": paginate(request, owned), "query": query_without_page(request)}
    )


@login_required
@require_GET
def roadmap_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    if fmt == "csv":
        return exports.roadmap_csv(city, _roadmap_actions(city))
    if fmt == "xlsx":
        return exports.roadmap_xlsx(city, _roadmap_actions(city))
    raise Http404


# KPIs ----------------------------------------------------------------------------------


@login_required
@require_GET
def kpis_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    today = timezone.localdate()
    due = kpi_figures.due_cycle(city.programme, today)
    rows = kpi_figures.rows(KPI.objects.filter(city=city).annotate(action_count=Count("actions")), due)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["progress"].status] += 1
    return render(
        request,
        "roadmaps/kpis.html",
        {
            "city": city,
            "rows": rows,
            "due": due,
            "counting": kpi_figures.counting_cycles(city.programme, today),
            "missing": sum(1 for r in rows if r["missing"]),
            "summary": [(label, counts.get(status, 0), status) for status, label in kpi_figures.STATUS_LABELS.items()],
            "editable": can_edit_city(request.user, city),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: AuthedHttpRequest, pk: int | None = None, city_pk: int | None = None) -> HttpResponse:
    if pk is not None:
        kpi = get_kpi_for_user(request.user, pk, write=True)
        city = kpi.city
    else:
        city = get_city_for_user(request.user, city_pk or 0, write=True)
        kpi = KPI(city=city)
    form = KPIForm(request.POST or None, instance=kpi, city=city)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_kpi(
                kpi=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
            )
        except StaleEdit as stale:
            current = refuse_stale(request, stale, form)
        except ValidationError as error:  # a KPI of the same name saved meanwhile
            form.add_error("name", error)
        else:
            messages.success(request, _("KPI saved."))
            return redirect(saved)
    return render(
        request,
        "roadmaps/kpi_form.html",
        {"city": city, "form": form, "kpi": kpi, "current": current},
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    kpi = get_kpi_for_user(request.user, pk)
    city = kpi.city
    editable = can_edit_city(request.user, city)
    form = MeasurementForm(request.POST or None, kpi=kpi)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            measurement = form.save(commit=False)
            measurement.kpi = kpi
            actions.add_measurement(measurement=measurement, by=request.user)
            messages.success(request, _("Value recorded."))
            return redirect(kpi)
    measurements = list(kpi.measurements.select_related("entered_by"))
    annotated = kpi_figures.with_latest(KPI.objects.filter(pk=kpi.pk)).get()
    assessment = kpi_figures.assess(annotated)
    labels = {
        "target": _("Target"),
        "baseline": _("Baseline"),
        "path": _("Path to the target"),
        "measured": _("values"),
    }
    chart = charts.kpi_chart(
        title=_("%(kpi)s over time") % {"kpi": kpi.name},
        points=[(m.date, float(m.value)) for m in measurements],
        baseline=(kpi.baseline_date, float(kpi.baseline_value)),
        target=(kpi.target_date, float(kpi.target_value)),
        labels=labels,
    )
    moved_by = Action.objects.filter(kpis=kpi).select_related(
        "opportunity", "owner_person", "owner_organisation", "cycle"
    )
    return render(
        request,
        "roadmaps/kpi.html",
        {
            "city": city,
            "kpi": kpi,
            "form": form,
            "editable": editable,
            "measurements": measurements,
            "latest": measurements[-1] if measurements else None,
            "progress": assessment,
            "status_label": kpi_figures.STATUS_LABELS[assessment.status],
            "progress_words": kpi_figures.progress_in_words(assessment),
            "is_team": is_programme_team(request.user, city.programme),
            "counting": kpi_figures.counting_cycles(city.programme, timezone.localdate()),
            "chart": mark_safe(chart),  # noqa: S308 - built by charts.kpi_chart, which escapes every text
            "actions": moved_by,
        },
    )


@login_required
@require_GET
def kpi_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    queryset = kpi_figures.with_latest(KPI.objects.filter(city=city).select_related("city", "city__programme"))
    if fmt == "csv":
        return exports.kpis_csv(city, queryset)
    if fmt == "xlsx":
        return exports.kpis_xlsx(city, queryset)
    if fmt in ("json", "jsonld"):
        due = Cycle.objects.filter(programme_id=city.programme_id, ends_on__gte=timezone.localdate()).first()
        next_due = due.ends_on if due else None
        if fmt == "json":
            payload = [fiware.key_values(k, next_due=next_due) for k in queryset]
            return exports.json_download(payload, f"{exports.slug(city)}-kpis.json", "application/json")
        payload = [fiware.normalized(k, next_due=next_due) for k in queryset]
        return exports.json_download(payload, f"{exports.slug(city)}-kpis.jsonld", "application/ld+json")
    raise Http404


@login_required
@require_GET
def programme_kpis(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Every visible city's KPI standing, and whose cycle updates are missing."""
    programme = get_programme_for_user(request.user, slug)
    today = timezone.localdate()
    due = kpi_figures.due_cycle(programme, today)
    cities = City.objects.visible_to(request.user).filter(programme=programme).order_by("name")
    only_missing = request.GET.get("missing") == "1"
    kpi_rows = kpi_figures.rows(KPI.objects.filter(city__in=cities).only(*_KPI_FIGURES), due)
    per_city: dict[int, dict[str, Any]] = {}
    for row in kpi_rows:
        entry = per_city.setdefault(row["kpi"].city_id, {"total": 0, "missing": 0, "statuses": defaultdict(int)})
        entry["total"] += 1
        entry["missing"] += row["missing"]
        entry["statuses"][row["progress"].status] += 1
    statuses = list(kpi_figures.STATUS_LABELS.items())
    table = []
    for city in cities.only("id", "name", "country"):
        entry = per_city.get(city.pk, {"total": 0, "missing": 0, "statuses": {}})
        if only_missing and not entry["missing"]:
            continue
        table.append(
            {
                "city": city,
                "total": entry["total"],
                "missing": entry["missing"],
                "counts": [entry["statuses"].get(status, 0) for status, _label in statuses],
            }
        )
    totals = [sum(row["counts"][i] for row in table) for i in range(len(statuses))]
    return render(
        request,
        "roadmaps/programme_kpis.html",
        {
            "programme": programme,
            "page": paginate(request, table),
            "query": query_without_page(request),
            "statuses": statuses,
            "totals": totals,
            "due": due,
            "only_missing": only_missing,
            "missing_total": sum(row["missing"] for row in table),
        },
    )


_KPI_FIGURES = (
    "id",
    "city_id",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)


# Cycle planning ------------------------------------------------------------------------


def _cycle(city: City, number: int) -> Cycle:
    cycle = Cycle.objects.filter(programme_id=city.programme_id, number=number).first()
    if cycle is None:
        raise Http404
    return cycle


def _review(city: City, cycle: Cycle) -> dict[str, Any]:
    """What happened in ``cycle``: actions done, budget used, KPIs moved, plan against reality."""
    in_cycle = list(Action.objects.filter(city=city, cycle=cycle).select_related("cycle").order_by("title"))
    statuses = dict.fromkeys(ActionStatus.values, 0)
    for action in in_cycle:
        statuses[action.status] += 1
    kpi_list = list(
        KPI.objects.filter(city=city).prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("date"))
        )
    )
    moved = []
    for kpi in kpi_list:
        series = list(kpi.measurements.all())
        before = kpi_figures.value_on(kpi, series, cycle.starts_on)
        after = kpi_figures.value_on(kpi, series, cycle.ends_on)
        if before is None or after is None:
            continue
        change = after - before
        better = (change > 0) if kpi.direction == "up" else (change < 0)
        moved.append({"kpi": kpi, "before": before, "after": after, "change": change, "better": change and better})
    plan = CyclePlan.objects.filter(city=city, cycle=cycle).first()
    now = {a.pk: a for a in Action.objects.filter(city=city).select_related("cycle")}
    planned = []
    if plan is not None:
        for line in plan.snapshot.get("actions", []):
            if line.get("cycle") != cycle.number:
                continue
            actual = now.get(line["id"])
            planned.append({"line": line, "actual": actual})
    return {
        "cycle": cycle,
        "actions": in_cycle,
        "statuses": [(ActionStatus(value).label, count) for value, count in statuses.items()],
        "budget": sum((a.budget or Decimal(0) for a in in_cycle), Decimal(0)),
        "spent": sum((a.spent or Decimal(0) for a in in_cycle), Decimal(0)),
        "moved": moved,
        "plan": plan,
        "planned": planned,
    }


@login_required
@require_http_methods(["GET", "POST"])
def cycle_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    cycle = _cycle(city, number)
    editable = can_edit_city(request.user, city)
    cycles = list(Cycle.objects.filter(programme_id=city.programme_id))
    by_number = {c.number: c for c in cycles}
    window = [c for c in cycles if cycle.number <= c.number <= cycle.number + 2]
    opportunities = list(Opportunity.objects.filter(city=city))
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if request.method == "POST" and not editable:
        raise PermissionDenied
    rank_form = RankForm(request.POST if step == "ranks" else None, opportunities=opportunities)
    plan_form = CyclePlanForm(
        request.POST if step == "confirm" else None,
        initial={"review": getattr(CyclePlan.objects.filter(city=city, cycle=cycle).first(), "review", "")},
    )
    planned_actions = list(
        Action.objects.filter(city=city)
        .filter(Q(cycle__in=window) | Q(cycle__isnull=True))
        .exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
        .select_related("cycle", "opportunity", "owner_person", "owner_organisation")
        .order_by("cycle__number", "opportunity__rank", "starts_on")
    )
    owners = owner_choices(city)
    cycle_choices: list[tuple[Any, str]] = [("", "—"), *((c.number, str(c)) for c in cycles)]
    lines = [
        ReallocationForm(
            request.POST if step == "reallocate" else None,
            prefix=f"a{a.pk}",
            action=a,
            owners=owners,
            cycles=cycle_choices,
        )
        for a in planned_actions
    ]
    if step == "ranks" and rank_form.is_valid():
        actions.rank_opportunities(city=city, ranks=rank_form.ranks(), by=request.user)
        messages.success(request, _("Top opportunities saved."))
        return redirect("roadmaps:cycle", pk=city.pk, number=number)
    if step == "reallocate" and all(line.is_valid() for line in lines):
        stale = _reallocate(request, lines, by_number)
        if stale:
            messages.error(
                request,
                _("Someone else changed %(titles)s in the meantime; those lines were not saved. Nothing else was lost.")
                % {"titles": ", ".join(stale)},
            )
        else:
            messages.success(request, _("Owners, cycles and budgets saved."))
        return redirect("roadmaps:cycle", pk=city.pk, number=number)
    if step == "confirm" and plan_form.is_valid():
        actions.confirm_cycle_plan(city=city, cycle=cycle, review=plan_form.cleaned_data["review"], by=request.user)
        messages.success(request, _("Plan for %(cycle)s kept, with a snapshot of the roadmap.") % {"cycle": cycle})
        return redirect("roadmaps:cycle", pk=city.pk, number=number)
    previous = by_number.get(cycle.number - 1)
    sign_off = BudgetSignOff.objects.filter(city=city, cycle=cycle).select_related("signed_by").first()
    budget = actions.cycle_budget(city, cycle)
    return render(
        request,
        "roadmaps/cycle.html",
        {
            "city": city,
            "cycle": cycle,
            "cycles": cycles,
            "editable": editable,
            "review": _review(city, previous) if previous else None,
            "this_cycle": _review(city, cycle),
            "rank_form": rank_form,
            "plan_form": plan_form,
            "lines": lines,
            "budget": budget,
            "sign_off": sign_off,
            "sign_off_outdated": sign_off is not None
            and signoffs.is_outdated(sign_off, signoffs.budget_lines(city, cycle)),
            "mayor": is_mayor_of(request.user, city),
            "plan": CyclePlan.objects.filter(city=city, cycle=cycle).select_related("confirmed_by").first(),
            "detailed": Detail.DETAILED,
        },
    )


@transaction.atomic
def _reallocate(request: AuthedHttpRequest, lines: list[ReallocationForm], cycles: dict[int, Cycle]) -> list[str]:
    stale = []
    for line in lines:
        if not line.has_changed():
            continue
        action, data = line.action, line.cleaned_data
        moved_from = action.cycle
        kind, _sep, owner_id = data["owner"].partition("-")
        action.owner_person_id = int(owner_id) if kind == "person" else None
        action.owner_organisation_id = int(owner_id) if kind == "organisation" else None
        action.cycle = cycles.get(data["cycle"]) if data["cycle"] else None
        action.detail = data["detail"]
        action.budget = data["budget"]
        try:
            with transaction.atomic():
                actions.reallocate(
                    action=action, expected_version=data["version"], moved_from=moved_from, by=request.user
                )
        except StaleEdit:
            stale.append(action.title)
    return stale


@login_required
@require_POST
def sign_off_view(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    cycle = _cycle(city, number)
    if not is_mayor_of(request.user, city):
        raise PermissionDenied
    sign_off = actions.sign_off_budget(city=city, cycle=cycle, by=request.user)
    messages.success(
        request, _("You signed off €%(amount)s for %(cycle)s.") % {"amount": sign_off.amount, "cycle": cycle}
    )
    return redirect("roadmaps:cycle", pk=city.pk, number=number)


# Traceability --------------------------------------------------------------------------


@login_required
@require_GET
def chain_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Local enablers → activities → technology maturity → city performance, for one city."""
    city = get_city_for_user(request.user, pk)
    enabler_titles = dict(_enablers(city))
    campaign = SatCampaign.objects.filter(city=city).order_by("-round").first()
    results = survey.results(campaign) if campaign else None
    enabler_scores = dict(results["dimensions"]) if results else {}
    action_list = list(
        Action.objects.filter(city=city)
        .select_related("opportunity")
        .prefetch_related("solutions", "kpis")
        .order_by("opportunity__rank", "starts_on")
    )
    kpi_rows = {row["kpi"].pk: row for row in kpi_figures.rows(KPI.objects.filter(city=city), None)}
    maturity = actions.maturity_of(city)
    chains = []
    for solution in Solution.objects.filter(city=city, priority=True):
        serving = [a for a in action_list if solution in a.solutions.all()]
        enablers = sorted({enabler_titles.get(key, key) for a in serving for key in a.enablers})
        kpis_moved = {k.pk: kpi_rows[k.pk] for a in serving for k in a.kpis.all() if k.pk in kpi_rows}
        chains.append(
            {
                "solution": solution,
                "rating": maturity.get(solution.name.lower()),
                "actions": serving,
                "enablers": [(title, enabler_scores.get(title)) for title in enablers],
                "kpis": list(kpis_moved.values()),
            }
        )
    unlinked = [a for a in action_list if not a.solutions.all()]
    return render(
        request,
        "roadmaps/chain.html",
        {
            "city": city,
            "chains": chains,
            "unlinked": unlinked,
            "enabler_scores": [(title, enabler_scores.get(title)) for title in enabler_titles.values()],
            "survey_responses": results["responses"] if results else 0,
            "kpi_rows": list(kpi_rows.values()),
        },
    )
