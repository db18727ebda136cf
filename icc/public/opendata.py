"""The published figures as open data: CSV and JSON files, and their DCAT-AP description.

Every figure of a published KPI of a published city (its baseline, its measurements and
its target) with the KPI's unit, SDG target and status code, under the Creative Commons
Attribution 4.0 licence. CSV goes through :mod:`icc.core.exports`, which keeps text a
city typed from being read as a spreadsheet formula. The DCAT-AP catalogue (JSON-LD) lists
one dataset for the programme and one per city, each with a CSV and a JSON distribution.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pycountry
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from icc.core.exports import csv_bytes
from icc.programmes.models import Programme
from icc.public.figures import Figure, last_change, plain_number
from icc.public.languages import page_languages
from icc.public.models import Publication

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
# The EU Publications Office's authority tables, which DCAT-AP asks for.
LICENCE_AUTHORITY = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
DATA_THEME_REGIONS = "http://publications.europa.eu/resource/authority/data-theme/REGI"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# What the catalogue says, in each language the public pages are translated into.
CATALOGUE_TITLE = gettext_noop("Open data of %(programme)s")
CATALOGUE_DESCRIPTION = gettext_noop(
    "Progress figures the cities of %(programme)s publish, as CSV and JSON files under the "
    "Creative Commons Attribution 4.0 licence."
)
DATASET_TITLE = gettext_noop("Progress figures of %(name)s")
PROGRAMME_DATASET_DESCRIPTION = gettext_noop(
    "Every figure the cities of %(programme)s publish about their targets: starting points, "
    "measurements and targets of their KPIs, with units, SDG targets and progress status."
)
CITY_DATASET_DESCRIPTION = gettext_noop(
    "The KPIs %(city)s publishes on its progress dashboard: starting points, "
    "measurements and targets, with units, SDG targets and progress status."
)
CSV_TITLE = gettext_noop("Progress figures of %(name)s, CSV file")
JSON_TITLE = gettext_noop("Progress figures of %(name)s, JSON file")

CSV_HEADER = [
    "programme",
    "city",
    "city_slug",
    "country",
    "kpi_id",
    "kpi",
    "unit",
    "direction",
    "sdg_target",
    "status",
    "figure",
    "date",
    "value",
    "source",
]


def _rows(figure: Figure) -> Iterator[list[Any]]:
    kpi, publication = figure.kpi, figure.publication
    common = [
        publication.programme.slug,
        publication.city.name,
        publication.slug,
        publication.city.country,
        kpi.pk,
        kpi.name,
        kpi.unit,
        kpi.direction,
        figure.sdg_target,
        str(figure.status),
    ]
    yield [*common, "baseline", kpi.baseline_date.isoformat(), kpi.baseline_value, kpi.baseline_source]
    for m in figure.measurements:
        yield [*common, "measurement", m.date.isoformat(), m.value, m.source]
    yield [*common, "target", kpi.target_date.isoformat(), kpi.target_value, ""]


def _plain(value: Any) -> Any:
    return plain_number(value) if hasattr(value, "to_integral_value") else value


def figures_csv(figures: Sequence[Figure]) -> bytes:
    """One row per figure, UTF-8 with a byte-order mark so that spreadsheets read the accents."""
    rows = ([_plain(v) for v in row] for figure in figures for row in _rows(figure))
    return "\ufeff".encode() + csv_bytes(CSV_HEADER, rows)


def _kpi_json(figure: Figure) -> dict[str, Any]:
    kpi = figure.kpi
    return {
        "id": kpi.pk,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "sdg_target": figure.sdg_target or None,
        "status": str(figure.status),
        "baseline": {
            "date": kpi.baseline_date.isoformat(),
            "value": plain_number(kpi.baseline_value),
            "source": kpi.baseline_source,
        },
        "target": {"date": kpi.target_date.isoformat(), "value": plain_number(kpi.target_value)},
        "measurements": [
            {"date": m.date.isoformat(), "value": plain_number(m.value), "source": m.source}
            for m in figure.measurements
        ],
    }


def figures_json(programme: Programme, publications: Sequence[Publication], figures: Sequence[Figure]) -> bytes:
    by_city: dict[int, list[Figure]] = {}
    for figure in figures:
        by_city.setdefault(figure.publication.pk, []).append(figure)
    document = {
        "licence": LICENCE_URL,
        "programme": {"name": programme.name, "slug": programme.slug},
        "cities": [
            {
                "name": p.city.name,
                "slug": p.slug,
                "country": p.city.country,
                "page": absolute(reverse("public:city", kwargs={"programme": programme.slug, "city": p.slug})),
                "kpis": [_kpi_json(f) for f in by_city.get(p.pk, [])],
            }
            for p in publications
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


# DCAT-AP ------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    """An address of the site as the outside world knows it (SITE_URL, never the request's host)."""
    return f"{settings.SITE_URL}{path}"


def _in_every_language(message: str, **params: str) -> list[dict[str, str]]:
    """``message`` (marked with ``gettext_noop``) in each language the public pages are
    translated into, where a translation exists; English always."""
    with translation.override("en"):
        english = gettext(message) % params
    values = [{"@value": english, "@language": "en"}]
    for code in page_languages():
        if code == "en":
            continue
        with translation.override(code):
            words = gettext(message) % params
        if words != english:
            values.append({"@value": words, "@language": code})
    return values


def _moment(value: dt.datetime | None) -> dict[str, str] | None:
    return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"} if value else None


def _country(code: str) -> dict[str, str] | None:
    country = pycountry.countries.get(alpha_2=code.upper())
    return {"@id": COUNTRY + country.alpha_3} if country else None


def _language(code: str) -> dict[str, str] | None:
    language = pycountry.languages.get(alpha_2=code)
    return {"@id": LANGUAGE + language.alpha_3.upper()} if language else None


def _distributions(csv_path: str, json_path: str, name: str) -> list[dict[str, Any]]:
    result = []
    for path, kind, media, title in (
        (csv_path, "CSV", "text/csv", CSV_TITLE),
        (json_path, "JSON", "application/json", JSON_TITLE),
    ):
        url = absolute(path)
        result.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _in_every_language(title, name=name),
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {"@id": MEDIA_TYPE + media},
                "dct:format": {"@id": FILE_TYPE + kind},
                "dct:license": {"@id": LICENCE_AUTHORITY},
            }
        )
    return result


def _drop_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if value not in (None, [], "")}


def catalogue(programme: Programme, publications: Sequence[Publication], figures: Sequence[Figure]) -> bytes:
    """The DCAT-AP description of the programme's open data, as JSON-LD."""
    slug = programme.slug
    by_city: dict[int, list[Figure]] = {}
    for figure in figures:
        by_city.setdefault(figure.publication.pk, []).append(figure)
    publisher = {"@type": "foaf:Agent", "foaf:name": programme.name}
    countries = {p.city.country: _country(p.city.country) for p in publications}
    datasets = [
        _drop_empty(
            {
                "@id": absolute(reverse("public:open_data", kwargs={"programme": slug})) + "#all",
                "@type": "dcat:Dataset",
                "dct:title": _in_every_language(DATASET_TITLE, name=programme.name),
                "dct:description": _in_every_language(PROGRAMME_DATASET_DESCRIPTION, programme=programme.name),
                "dct:publisher": publisher,
                "dcat:theme": {"@id": DATA_THEME_REGIONS},
                "dcat:keyword": ["KPI", "SDG", "smart city", "intelligent city"],
                "dct:spatial": [countries[code] for code in sorted(countries) if countries[code]],
                "dct:modified": _moment(last_change(publications, figures)),
                "dct:license": {"@id": LICENCE_AUTHORITY},
                "dcat:landingPage": {"@id": absolute(reverse("public:programme", kwargs={"programme": slug}))},
                "dcat:distribution": _distributions(
                    reverse("public:open_data_csv", kwargs={"programme": slug}),
                    reverse("public:open_data_json", kwargs={"programme": slug}),
                    programme.name,
                ),
            }
        )
    ]
    for publication in publications:
        city = publication.city
        kwargs = {"programme": slug, "city": publication.slug}
        dashboard = absolute(reverse("public:city_dashboard", kwargs=kwargs))
        datasets.append(
            _drop_empty(
                {
                    "@id": dashboard + "#figures",
                    "@type": "dcat:Dataset",
                    "dct:title": _in_every_language(DATASET_TITLE, name=city.name),
                    "dct:description": _in_every_language(CITY_DATASET_DESCRIPTION, city=city.name),
                    "dct:publisher": {"@type": "foaf:Agent", "foaf:name": city.name},
                    "dcat:theme": {"@id": DATA_THEME_REGIONS},
                    "dcat:keyword": ["KPI", "SDG", city.name],
                    "dct:spatial": countries[city.country],
                    "dct:language": _language(publication.default_language),
                    "dct:modified": _moment(last_change([publication], by_city.get(publication.pk, []))),
                    "dct:license": {"@id": LICENCE_AUTHORITY},
                    "dcat:landingPage": {"@id": dashboard},
                    "dcat:distribution": _distributions(
                        reverse("public:city_data_csv", kwargs=kwargs),
                        reverse("public:city_data_json", kwargs=kwargs),
                        city.name,
                    ),
                }
            )
        )
    document = _drop_empty(
        {
            "@context": CONTEXT,
            "@id": absolute(reverse("public:open_data_dcat", kwargs={"programme": slug})),
            "@type": "dcat:Catalog",
            "dct:title": _in_every_language(CATALOGUE_TITLE, programme=programme.name),
            "dct:description": _in_every_language(CATALOGUE_DESCRIPTION, programme=programme.name),
            "dct:publisher": publisher,
            "foaf:homepage": {"@id": absolute(reverse("public:open_data", kwargs={"programme": slug}))},
            "dct:license": {"@id": LICENCE_AUTHORITY},
            "dct:language": [lang for lang in (_language(code) for code in page_languages()) if lang],
            "dct:modified": _moment(last_change(publications, figures)),
            "dcat:themeTaxonomy": {"@id": "http://publications.europa.eu/resource/authority/data-theme"},
            "dcat:dataset": datasets,
        }
    )
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
