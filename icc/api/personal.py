"""What a personal access token reads: the programmes, cities, KPIs, measurements, roadmap
actions, events and TAGs its
owner may open, through the same access functions as the pages.

Each request asks those functions anew, so a person whose role ended sees less at once;
something they may not open answers 404, exactly like an id that never existed. Each
list takes a fixed number of queries whatever its length.
"""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router

from icc.api import personal_schemas as out
from icc.api import schemas
from icc.api.auth import TokenAuth, owner_for
from icc.api.models import Scope
from icc.api.pagination import paginate
from icc.cities.access import get_city_for_user
from icc.cities.models import City
from icc.core.params import MAX_ID
from icc.journey.access import get_event_for_user
from icc.journey.models import Event
from icc.programmes.access import get_programme_for_user, programmes_for
from icc.programmes.models import Programme
from icc.roadmaps.access import get_action_for_user, get_kpi_for_user
from icc.roadmaps.models import KPI, Action, Measurement
from icc.tags.access import visible_tags
from icc.tags.models import Tag

router = Router(tags=["personal"], auth=TokenAuth())
ERRORS: dict[int, type[schemas.Problem]] = {
    400: schemas.Problem,
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    429: schemas.Problem,
}
Slug = Path(..., pattern=schemas.SLUG_PATTERN, description="The programme's short name, e.g. icc-2025.")
Id = Path(..., ge=1, le=MAX_ID)


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


def _programme(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    return {
        "slug": programme.slug,
        "name": programme.name,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
        "url": _url(request, "my_programme", slug=programme.slug),
    }


def _city(request: HttpRequest, city: City) -> dict[str, Any]:
    return {
        "id": city.pk,
        "name": city.name,
        "country": city.country,
        "type": city.type,
        "population": city.population,
        "programme": city.programme.slug,
        "url": _url(request, "my_city", id=city.pk),
    }


def _kpi(request: HttpRequest, kpi: KPI) -> dict[str, Any]:
    return {
        "id": kpi.pk,
        "city": kpi.city_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline_value": kpi.baseline_value,
        "baseline_date": kpi.baseline_date,
        "target_value": kpi.target_value,
        "target_date": kpi.target_date,
        "frequency": kpi.frequency,
        "url": _url(request, "my_kpi", id=kpi.pk),
        "measurements_url": _url(request, "my_measurements", id=kpi.pk),
    }


@router.get(
    "/programmes",
    response={200: out.ProgrammePage, **ERRORS},
    url_name="my_programmes",
    operation_id="list_my_programmes",
    summary="The programmes the token's owner may open",
)
def programmes(request: HttpRequest, page: Query[schemas.PageParams]) -> dict[str, Any]:
    person = owner_for(request, Scope.PROGRAMMES)
    rows = Programme.objects.filter(pk__in=[p.pk for p in programmes_for(person)]).order_by("starts_on", "pk")
    return paginate(request, rows, page, lambda found: [_programme(request, p) for p in found])


@router.get(
    "/programmes/{slug}",
    response={200: out.Programme, **ERRORS},
    url_name="my_programme",
    operation_id="get_my_programme",
    summary="A programme the token's owner may open",
)
def programme(request: HttpRequest, slug: str = Slug) -> dict[str, Any]:
    person = owner_for(request, Scope.PROGRAMMES)
    return _programme(request, get_programme_for_user(person, slug))


@router.get(
    "/programmes/{slug}/cities",
    response={200: out.CityPage, **ERRORS},
    url_name="my_cities",
    operation_id="list_my_cities",
    summary="The cities of a programme that the token's owner may open",
)
def cities(request: HttpRequest, page: Query[schemas.PageParams], slug: str = Slug) -> dict[str, Any]:
    person = owner_for(request, Scope.CITIES)
    found = get_programme_for_user(person, slug)
    rows = City.objects.visible_to(person).filter(programme=found).select_related("programme").order_by("name", "pk")
    return paginate(request, rows, page, lambda page_rows: [_city(request, c) for c in page_rows])


@router.get(
    "/cities/{id}",
    response={200: out.City, **ERRORS},
    url_name="my_city",
    operation_id="get_my_city",
    summary="A city the token's owner may open",
)
def city(request: HttpRequest, id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.CITIES)
    return _city(request, get_city_for_user(person, id))


@router.get(
    "/cities/{id}/kpis",
    response={200: out.KpiPage, **ERRORS},
    url_name="my_kpis",
    operation_id="list_my_kpis",
    summary="The KPIs of a city the token's owner may open",
)
def kpis(request: HttpRequest, page: Query[schemas.PageParams], id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.KPIS)
    found = get_city_for_user(person, id)
    rows = KPI.objects.filter(city=found).order_by("name", "pk")
    return paginate(request, rows, page, lambda page_rows: _kpis(request, page_rows))


def _kpis(request: HttpRequest, rows: Sequence[KPI]) -> list[dict[str, Any]]:
    return [_kpi(request, kpi) for kpi in rows]


@router.get(
    "/kpis/{id}",
    response={200: out.Kpi, **ERRORS},
    url_name="my_kpi",
    operation_id="get_my_kpi",
    summary="A KPI of a city the token's owner may open",
)
def kpi(request: HttpRequest, id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.KPIS)
    return _kpi(request, get_kpi_for_user(person, id))


@router.get(
    "/kpis/{id}/measurements",
    response={200: out.MeasurementPage, **ERRORS},
    url_name="my_measurements",
    operation_id="list_my_measurements",
    summary="A KPI's measurements, oldest first",
)
def measurements(request: HttpRequest, page: Query[schemas.PageParams], id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.KPIS)
    found = get_kpi_for_user(person, id)
    rows = Measurement.objects.filter(kpi=found).only("date", "value", "source").order_by("date")
    return paginate(
        request,
        rows,
        page,
        lambda page_rows: [{"date": m.date, "value": m.value, "source": m.source} for m in page_rows],
    )


def _action(request: HttpRequest, action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "city": action.city_id,
        "title": action.title,
        "kind": action.kind,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "url": _url(request, "my_action", id=action.pk),
    }


@router.get(
    "/cities/{id}/actions",
    response={200: out.ActionPage, **ERRORS},
    url_name="my_actions",
    operation_id="list_my_actions",
    summary="The roadmap actions of a city the token's owner may open",
)
def actions(request: HttpRequest, page: Query[schemas.PageParams], id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.ACTIONS)
    found = get_city_for_user(person, id)
    rows = Action.objects.filter(city=found).order_by("starts_on", "pk")
    return paginate(request, rows, page, lambda page_rows: [_action(request, a) for a in page_rows])


@router.get(
    "/actions/{id}",
    response={200: out.Action, **ERRORS},
    url_name="my_action",
    operation_id="get_my_action",
    summary="A roadmap action the token's owner may open",
)
def action(request: HttpRequest, id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.ACTIONS)
    return _action(request, get_action_for_user(person, id))


@router.get(
    "/programmes/{slug}/tags",
    response={200: out.TagPage, **ERRORS},
    url_name="my_tags",
    operation_id="list_my_tags",
    summary="The TAGs of a programme that the token's owner may open",
)
def tags(request: HttpRequest, page: Query[schemas.PageParams], slug: str = Slug) -> dict[str, Any]:
    person = owner_for(request, Scope.TAGS)
    found = get_programme_for_user(person, slug)
    rows: Any = visible_tags(person, found).select_related("theme").order_by("number", "pk")
    return paginate(request, rows, page, lambda page_rows: [_tag(t) for t in page_rows])


def _tag(tag: Tag) -> dict[str, Any]:
    return {"id": tag.pk, "number": tag.number, "mentor": tag.mentor_id, "theme": tag.theme.name if tag.theme else None}


def _event(request: HttpRequest, event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "city": event.city_id,
        "programme": event.programme.slug,
        "type": event.event_type.name,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "status": event.status,
        "url": _url(request, "my_event", id=event.pk),
    }


@router.get(
    "/cities/{id}/events",
    response={200: out.EventPage, **ERRORS},
    url_name="my_events",
    operation_id="list_my_events",
    summary="The events of a city the token's owner may open, soonest first",
)
def events(request: HttpRequest, page: Query[schemas.PageParams], id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.EVENTS)
    found = get_city_for_user(person, id)
    rows = Event.objects.filter(city=found).select_related("programme", "event_type").order_by("starts_at", "pk")
    return paginate(request, rows, page, lambda page_rows: [_event(request, e) for e in page_rows])


@router.get(
    "/events/{id}",
    response={200: out.Event, **ERRORS},
    url_name="my_event",
    operation_id="get_my_event",
    summary="An event the token's owner may open",
)
def event(request: HttpRequest, id: int = Id) -> dict[str, Any]:
    person = owner_for(request, Scope.EVENTS)
    return _event(request, get_event_for_user(person, id))
