"""The early warning's pages: the edition's cities by risk, one city's score with each
signal's weight, and refreshing the scores (the programme team)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from icc.cities.models import City
from icc.core.types import AuthedHttpRequest
from icc.reports import access, actions, risk, wording
from icc.reports.models import RiskScore

# The trend compares with the latest score at least this much older.
TREND_AFTER = dt.timedelta(days=28)
SORTS = ("risk", "name", "trend")


@dataclass
class Row:
    city: City
    score: RiskScore | None
    assessed: risk.Risk | None = None
    before: float | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.score is None or self.before is None:
            return None
        return self.score.score - self.before

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score.score * 100)

    @property
    def change_points(self) -> int | None:
        change = self.change
        return None if change is None else round(change * 100)

    @property
    def change_size(self) -> int:
        return abs(self.change_points or 0)


def _signals(score: RiskScore) -> risk.Signals:
    known = {name: int(score.signals.get(name) or 0) for name in risk.Signals.__dataclass_fields__}
    return risk.Signals(**known)


def _rows(cities: list[City]) -> tuple[list[Row], dt.date | None, dt.date | None]:
    """Each city with its latest score, the score a month earlier and the reasons in words."""
    scores = RiskScore.objects.filter(city__in=cities)
    latest_day = scores.aggregate(day=Max("on"))["day"]
    if latest_day is None:
        return [Row(city, None) for city in cities], None, None
    earlier_day = scores.filter(on__lte=latest_day - TREND_AFTER).aggregate(day=Max("on"))["day"]
    latest = {s.city_id: s for s in scores.filter(on=latest_day)}
    before = dict(scores.filter(on=earlier_day).values_list("city_id", "score")) if earlier_day else {}
    rows = []
    for city in cities:
        score = latest.get(city.pk)
        row = Row(city, score, before=before.get(city.pk))
        if score is not None:
            counted = _signals(score)
            row.assessed = risk.assess(counted)
            row.reasons = [wording.reason(part, counted) for part in row.assessed.reasons[:3]]
        rows.append(row)
    return rows, latest_day, earlier_day


def _ordered(rows: list[Row], sort: str) -> list[Row]:
    if sort == "name":
        return sorted(rows, key=lambda r: r.city.name)
    if sort == "trend":
        return sorted(rows, key=lambda r: (r.change is None, -(r.change or 0), r.city.name))
    return sorted(rows, key=lambda r: (r.score is None, -(r.score.score if r.score else 0), r.city.name))


@login_required
@require_safe
def warnings(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_warnings_programme_for_user(request.user, slug)
    cities = list(access.watched_cities(request.user, programme).select_related("current_phase").order_by("name"))
    sort = request.GET.get("sort", "risk")
    if sort not in SORTS:
        messages.warning(request, _("Unknown sort order ignored."))
        sort = "risk"
    rows, latest_day, earlier_day = _rows(cities)
    rows = _ordered(rows, sort)
    context = {
        "programme": programme,
        "rows": rows,
        "sort": sort,
        "latest_day": latest_day,
        "earlier_day": earlier_day,
        "flagged": sum(1 for r in rows if r.assessed and r.assessed.flagged),
        "flag_at": round(risk.FLAG_AT * 100),
        "may_refresh": access.may_refresh(request.user, programme),
    }
    return render(request, "reports/warnings.html", context)


@login_required
@require_safe
def city_risk(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    city = access.get_city_risk_for_user(request.user, pk)
    history = list(RiskScore.objects.filter(city=city).order_by("-on")[:13])
    latest = history[0] if history else None
    parts = []
    assessed = None
    if latest is not None:
        counted = _signals(latest)
        assessed = risk.assess(counted)
        parts = [
            {
                "name": wording.SIGNAL_NAMES[part.code],
                "value": wording.value_in_words(part, counted),
                "weight": part.weight,
                "points": part.points,
                "reason": wording.reason(part, counted) if part.points > 0 else "",
            }
            for part in assessed.parts
        ]
    context = {
        "city": city,
        "latest": latest,
        "assessed": assessed,
        "percent": round(assessed.score * 100) if assessed else None,
        "parts": parts,
        "intercept": risk.INTERCEPT,
        "flag_at": round(risk.FLAG_AT * 100),
        "history": [(row.on, round(row.score * 100)) for row in history],
    }
    return render(request, "reports/city_risk.html", context)


@login_required
@require_POST
def refresh(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    programme = access.get_warnings_programme_for_user(request.user, slug)
    if not access.may_refresh(request.user, programme):
        raise PermissionDenied
    newly = actions.refresh_risks(programme=programme)
    messages.success(
        request,
        ngettext(
            "The scores are up to date: %(n)s city is newly flagged.",
            "The scores are up to date: %(n)s cities are newly flagged.",
            len(newly),
        )
        % {"n": len(newly)},
    )
    return redirect("reports:warnings", slug=programme.slug)
