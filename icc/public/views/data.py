"""Open data: the page describing the datasets, the CSV and JSON files, the DCAT-AP catalogue.

Only published cities and their published KPIs ever go into them; each file is cached
whole under the data version, like the pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from icc.public import figures, opendata, pages
from icc.public.access import get_public_city, get_public_programme
from icc.public.caching import cached_response, render_public

CSV = "text/csv; charset=utf-8"
JSON = "application/json"
JSON_LD = "application/ld+json"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@require_safe
def open_data(request: HttpRequest, programme: str) -> HttpResponse:
    def compute() -> str:
        found = get_public_programme(programme)
        publications = pages.published_publications(found)
        context = {
            "programme": found,
            "publications": publications,
            "licence_url": opendata.LICENCE_URL,
            "licence_name": opendata.LICENCE_NAME,
            "columns": opendata.CSV_HEADER,
        }
        return render_public(request, "public/open_data.html", context)

    return cached_response(request, compute)


@require_safe
def open_data_csv(request: HttpRequest, programme: str) -> HttpResponse:
    def compute() -> bytes:
        found = get_public_programme(programme)
        return opendata.figures_csv(figures.figures_of(pages.published_publications(found)))

    return cached_response(request, compute, content_type=CSV, headers=_attachment(f"{programme}-figures.csv"))


@require_safe
def open_data_json(request: HttpRequest, programme: str) -> HttpResponse:
    def compute() -> bytes:
        found = get_public_programme(programme)
        publications = pages.published_publications(found)
        return opendata.figures_json(found, publications, figures.figures_of(publications))

    return cached_response(request, compute, content_type=JSON)


@require_safe
def open_data_dcat(request: HttpRequest, programme: str) -> HttpResponse:
    def compute() -> bytes:
        found = get_public_programme(programme)
        publications = pages.published_publications(found)
        return opendata.catalogue(found, publications, figures.figures_of(publications))

    return cached_response(request, compute, content_type=JSON_LD)


@require_safe
def city_data_csv(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    def compute() -> bytes:
        return opendata.figures_csv(figures.figures_of([get_public_city(programme, city)]))

    return cached_response(request, compute, content_type=CSV, headers=_attachment(f"{programme}-{city}-figures.csv"))


@require_safe
def city_data_json(request: HttpRequest, programme: str, city: str) -> HttpResponse:
    def compute() -> bytes:
        publication = get_public_city(programme, city)
        return opendata.figures_json(publication.programme, [publication], figures.figures_of([publication]))

    return cached_response(request, compute, content_type=JSON)
