"""The strategy: its text, its versions and the lead expert's comments on them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from icc.cities.access import can_edit_city, get_city_for_user
from icc.cities.models import City
from icc.core.responses import render_page
from icc.core.types import AuthedHttpRequest
from icc.core.versioning import StaleEdit, refuse_stale
from icc.roadmaps import actions
from icc.roadmaps.access import can_comment, get_strategy_version_for_user
from icc.roadmaps.forms import CommentForm, StrategyForm
from icc.roadmaps.models import Opportunity, Strategy, StrategyVersion
from icc.roadmaps.views.solutions import solution_rows

STRATEGY_PAGE = "roadmaps/strategy.html"
VERSION_PAGE = "roadmaps/strategy_version.html"


def _strategy(city: City) -> Strategy:
    return Strategy.objects.filter(city=city).first() or Strategy(city=city)


def _strategy_page(
    request: AuthedHttpRequest,
    city: City,
    strategy: Strategy,
    *,
    form: StrategyForm | None = None,
    current: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    versions = list(strategy.versions.annotate(comment_count=Count("comments"))) if strategy.pk else []
    context: dict[str, Any] = {
        "city": city,
        "strategy": strategy,
        "form": form or StrategyForm(instance=strategy),
        "editable": can_edit_city(request.user, city),
        "current": current,
        "versions": versions,
        "solutions": solution_rows(city),
        "opportunities": Opportunity.objects.filter(city=city).annotate(action_count=Count("actions")),
    }
    return render_page(request, STRATEGY_PAGE, context, fragment="strategy-form")


@login_required
@require_safe
def strategy_view(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk)
    return _strategy_page(request, city, _strategy(city))


@login_required
@require_POST
def strategy_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = get_city_for_user(request.user, pk, write=True)
    strategy = _strategy(city)
    form = StrategyForm(request.POST, instance=strategy)
    if not form.is_valid():
        return _strategy_page(request, city, strategy, form=form)
    try:
        version = actions.save_strategy(strategy=strategy, expected_version=form.expected_version, by=request.user)
    except StaleEdit as stale:
        current = refuse_stale(request, stale, form)
        return _strategy_page(request, city, strategy, form=form, current=current)
    messages.success(request, _("Strategy saved as version %(number)s.") % {"number": version.number})
    return redirect("roadmaps:strategy", pk=city.pk)


FIELDS = [
    (gettext_lazy("Vision statement"), "vision"),
    (gettext_lazy("Short-term goals"), "short_term_goals"),
    (gettext_lazy("Long-term goals"), "long_term_goals"),
    (gettext_lazy("Role of the local ecosystem"), "ecosystem_role"),
]


def _version_page(
    request: AuthedHttpRequest, version: StrategyVersion, *, form: CommentForm | None = None
) -> HttpResponse:
    city = version.strategy.city
    previous = (
        StrategyVersion.objects.filter(strategy=version.strategy, number__lt=version.number).order_by("-number").first()
    )
    rows = [
        {
            "label": label,
            "text": getattr(version, name),
            "changed": previous is not None and getattr(previous, name) != getattr(version, name),
        }
        for label, name in FIELDS
    ]
    context = {
        "city": city,
        "version": version,
        "previous": previous,
        "rows": rows,
        "comments": version.comments.select_related("author"),
        "form": form or CommentForm(),
        "commenter": can_comment(request.user, city),
    }
    return render_page(request, VERSION_PAGE, context, fragment="comment-form")


@login_required
@require_safe
def strategy_version(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    return _version_page(request, get_strategy_version_for_user(request.user, pk, number))


@login_required
@require_POST
def strategy_comment(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_strategy_version_for_user(request.user, pk, number, comment=True)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, form=form)
    actions.comment_on_strategy(version=version, body=form.cleaned_data["body"], by=request.user)
    messages.success(request, _("Comment added."))
    return redirect("roadmaps:strategy_version", pk=pk, number=number)
