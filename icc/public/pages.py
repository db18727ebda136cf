"""What the public pages show, computed out of the views: a city's page, its dashboard and
the programme's dashboard. Each function takes publications the caller looked up (and,
for the public, found published) and returns the template's context."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from icc.cities.models import City, country_name
from icc.programmes.models import Programme
from icc.public import figures, words
from icc.public.models import Publication
from icc.roadmaps import charts
from icc.roadmaps.models import Strategy


@lru_cache(maxsize=64)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_in_reader_language(code: str) -> str:
    """The country's name in the language of the page (Allemagne, Niemcy), else in English."""
    return _territories(translation.get_language() or "en").get(code.upper()) or country_name(code)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def _counts(rows: list[tuple[Any, int]]) -> list[StatusCount]:
    return [StatusCount(str(status), words.kpi_status(status), count) for status, count in rows]


# A city's page --------------------------------------------------------------------------


def city_context(publication: Publication, *, preview: bool = False) -> dict[str, Any]:
    city = publication.city
    strategy = Strategy.objects.filter(city=city).only("vision").first()
    actions = list(
        publication.actions.filter(city=city).select_related("opportunity").order_by("starts_on", "title", "pk")
    )
    city_figures = figures.figures_of([publication])
    return {
        "programme": publication.programme,
        "publication": publication,
        "city": city,
        "country": country_in_reader_language(city.country),
        "vision": strategy.vision if strategy else "",
        "actions": [{"action": a, "status": words.action_status(a.status)} for a in actions],
        "kpi_count": len(city_figures),
        "counts": [c for c in _counts(figures.status_counts(city_figures)) if c.count],
        "participation": participation(city, publication, timezone.now()),
        "preview": preview,
        "programme_language": settings.LANGUAGE_CODE,
    }


def participation(city: City, publication: Publication, now: dt.datetime) -> dict[str, Any]:
    """The city's open consultations and calls for ideas, from the apps that hold them, and
    the first moment one of them opens or closes (when this list stops being true)."""
    kwargs = {"programme": publication.programme.slug, "city": publication.slug}
    consultations: list[dict[str, Any]] = []
    idea_calls: list[dict[str, Any]] = []
    changes: list[dt.datetime] = []
    zone = timezone.get_current_timezone()
    try:
        from icc.consultations.clock import city_zone
        from icc.consultations.models import Consultation, Status
    except ImportError:  # pragma: no cover - the consultations ship with the public side
        pass
    else:
        zone = city_zone(city)
        for consultation in Consultation.objects.filter(city=city, status=Status.OPEN, closes_at__gt=now).order_by(
            "closes_at", "pk"
        ):
            if consultation.opens_at is not None and consultation.opens_at > now:
                changes.append(consultation.opens_at)
                continue
            if consultation.closes_at is not None:
                changes.append(consultation.closes_at)
            consultations.append(
                {
                    "title": consultation.title,
                    "url": reverse("public:consultation", kwargs={**kwargs, "pk": consultation.pk}),
                    "until": consultation.closes_at,
                }
            )
    try:
        from icc.ideas.models import CallStatus, IdeaCall
    except ImportError:  # pragma: no cover - the calls for ideas ship with the public side
        pass
    else:
        today = timezone.localdate(now)
        calls = IdeaCall.objects.filter(city=city, status__in=[CallStatus.OPEN, CallStatus.VOTING])
        for call in calls.order_by("closes_on", "pk"):
            if call.takes_ideas(today):
                idea_calls.append(
                    {"call": call, "voting": False, "until": call.closes_on, "url": _call_url(kwargs, call)}
                )
            elif call.takes_votes(today):
                idea_calls.append(
                    {"call": call, "voting": True, "until": call.voting_closes_on, "url": _call_url(kwargs, call)}
                )
    return {
        "consultations": consultations,
        "idea_calls": idea_calls,
        "zone": zone,
        "valid_until": min(changes, default=None),
    }


def _call_url(kwargs: dict[str, str], call: Any) -> str:
    return reverse("public:idea_call", kwargs={**kwargs, "call": call.pk})


# A city's dashboard ---------------------------------------------------------------------


def _chart(figure: figures.Figure, index: int) -> SafeString:
    kpi = figure.kpi
    labels = {
        "target": _("Target"),
        "baseline": _("Starting point"),
        "path": _("Straight path to the target"),
        "measured": _("figures measured"),
    }
    svg = charts.kpi_chart(
        title=_("%(kpi)s over time") % {"kpi": kpi.name},
        points=[(m.date, float(m.value)) for m in figure.measurements],
        baseline=(kpi.baseline_date, float(kpi.baseline_value)),
        target=(kpi.target_date, float(kpi.target_value)),
        labels=labels,
        ident=f"kc-{index}",  # the page holds several charts
    )
    return mark_safe(svg)  # noqa: S308 - built by charts.kpi_chart, which escapes every text


def _table(figure: figures.Figure) -> list[dict[str, Any]]:
    kpi = figure.kpi
    rows = [{"date": kpi.baseline_date, "value": kpi.baseline_value, "kind": _("Starting point")}]
    rows += [{"date": m.date, "value": m.value, "kind": _("Measured")} for m in figure.measurements]
    rows.append({"date": kpi.target_date, "value": kpi.target_value, "kind": _("Target")})
    return sorted(rows, key=lambda r: r["date"])


def dashboard_context(publication: Publication, *, preview: bool = False) -> dict[str, Any]:
    city_figures = figures.figures_of([publication])
    items = [
        {
            "figure": figure,
            "kpi": figure.kpi,
            "latest": figure.latest,
            "status": str(figure.status),
            "status_label": words.kpi_status(figure.status),
            "status_explained": str(words.KPI_STATUS_EXPLAINED[figure.status]),
            "chart": _chart(figure, index),
            "table": _table(figure),
            "sdg_target": figure.sdg_target,
        }
        for index, figure in enumerate(city_figures, start=1)
    ]
    return {
        "programme": publication.programme,
        "publication": publication,
        "city": publication.city,
        "items": items,
        "counts": [c for c in _counts(figures.status_counts(city_figures)) if c.count],
        "preview": preview,
    }


# The programme's dashboard ----------------------------------------------------------------


def published_publications(programme: Programme) -> list[Publication]:
    return list(
        Publication.objects.filter(programme=programme, published=True)
        .select_related("city", "city__track", "programme")
        .order_by("city__name", "pk")
    )


def _map(programme: Programme, publications: list[Publication]) -> SafeString | None:
    """The server-drawn map of the published cities, when the map module is installed."""
    try:
        from icc.public import maps
    except ImportError:  # pragma: no cover - the map ships with the public side
        return None
    points = []
    for publication in publications:
        city = publication.city
        if city.latitude is None or city.longitude is None:
            continue
        points.append(
            maps.MapPoint(
                name=city.name,
                latitude=float(city.latitude),
                longitude=float(city.longitude),
                href=reverse("public:city", kwargs={"programme": programme.slug, "city": publication.slug}),
                kind="published",
            )
        )
    if not points:
        return None
    return maps.cities_map(
        points,
        title=_("Map of the cities that publish their progress"),
        description=_("Each dot is a city; the list below names them all."),
        highlight=sorted({p.city.country for p in publications}),
        id_prefix="cities-map",
    )


def programme_context(programme: Programme) -> dict[str, Any]:
    publications = published_publications(programme)
    all_figures = figures.figures_of(publications)
    per_city: dict[int, int] = {}
    for figure in all_figures:
        per_city[figure.publication.pk] = per_city.get(figure.publication.pk, 0) + 1
    cities = [
        {
            "publication": p,
            "city": p.city,
            "country": country_in_reader_language(p.city.country),
            "kpi_count": per_city.get(p.pk, 0),
        }
        for p in publications
    ]
    themes = [
        {"theme": row.theme, "counts": row.counts, "total": row.total, "cities": len(row.cities)}
        for row in figures.by_theme(all_figures)
    ]
    return {
        "programme": programme,
        "cities": cities,
        "map": _map(programme, publications),
        "statuses": [(str(s), str(words.KPI_STATUS[s])) for s in words.STATUS_ORDER],
        "themes": themes,
        "totals": _counts(figures.status_counts(all_figures)),
        "kpi_count": len(all_figures),
        "programme_language": settings.LANGUAGE_CODE,
    }


def next_update_passed(publication: Publication, today: dt.date) -> bool:
    return publication.next_update_on is not None and publication.next_update_on < today
