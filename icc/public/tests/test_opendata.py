"""Open data: the CSV and JSON files and the DCAT-AP catalogue hold every published figure,
and nothing else."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from icc.public import actions
from icc.public.tests.conftest import PublicCast
from icc.roadmaps.models import KPI, Measurement

pytestmark = pytest.mark.django_db


def _csv(url: str) -> list[dict[str, str]]:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _json(url: str) -> Any:
    response = Client().get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def _programme(public: PublicCast, name: str) -> str:
    return reverse(name, kwargs={"programme": public.programme_slug})


def test_the_programme_csv_holds_every_published_figure_with_its_context(public: PublicCast) -> None:
    rows = _csv(_programme(public, "public:open_data_csv"))
    kpi = public.roadmap.kpi
    assert [r["figure"] for r in rows] == ["baseline", "measurement", "target"]
    first = rows[0]
    assert first == {
        "programme": public.programme_slug,
        "city": "Alphaville",
        "city_slug": "alphaville",
        "country": "PT",
        "kpi_id": str(kpi.pk),
        "kpi": "Energy use of public buildings",
        "unit": "MWh",
        "direction": "down",
        "sdg_target": "7.3",
        "status": "moderate",
        "figure": "baseline",
        "date": kpi.baseline_date.isoformat(),
        "value": "1000",
        "source": "Energy agency",
    }
    assert rows[1]["value"] == "990" and rows[1]["source"] == "Meters"
    assert rows[2]["value"] == "800" and rows[2]["date"] == kpi.target_date.isoformat()


def test_nothing_unpublished_goes_into_any_file(public: PublicCast) -> None:
    texts = [
        Client().get(_programme(public, name)).content.decode("utf-8-sig")
        for name in ("public:open_data_csv", "public:open_data_json", "public:open_data_dcat", "public:open_data")
    ]
    for text in texts:
        assert "Unpublished secret indicator" not in text  # a KPI the city did not publish
        assert "Betatown" not in text and "betatown" not in text  # a draft publication
        assert "Mentorburg" not in text  # no publication at all
    draft = {"programme": public.programme_slug, "city": public.draft.slug}
    assert Client().get(reverse("public:city_data_csv", kwargs=draft)).status_code == 404
    assert Client().get(reverse("public:city_data_json", kwargs=draft)).status_code == 404


def test_a_kpi_named_by_another_citys_publication_never_shows(public: PublicCast) -> None:
    """Even if a KPI of city A were linked to city B's publication, B's files would not show it."""
    public.draft.kpis.add(public.hidden_kpi)
    actions.publish(publication=public.draft, by=None)
    kwargs = {"programme": public.programme_slug, "city": public.draft.slug}
    assert _csv(reverse("public:city_data_csv", kwargs=kwargs)) == []
    assert (
        "Unpublished secret indicator" not in Client().get(_programme(public, "public:open_data_csv")).content.decode()
    )


def test_a_city_typed_formula_stays_text_in_the_csv(public: PublicCast) -> None:
    KPI.objects.filter(pk=public.roadmap.kpi.pk).update(name='=HYPERLINK("http://evil.example","x")', unit="+1")
    Measurement.objects.filter(kpi=public.roadmap.kpi).update(source="@SUM(A1:A9)")
    rows = _csv(_programme(public, "public:open_data_csv"))
    assert rows[0]["kpi"].startswith("'=HYPERLINK")
    assert rows[0]["unit"] == "'+1"
    assert rows[1]["source"] == "'@SUM(A1:A9)"


def test_the_city_json_holds_its_kpis_with_numbers_as_numbers(public: PublicCast) -> None:
    Measurement.objects.filter(kpi=public.roadmap.kpi).update(value=Decimal("990.25"))
    document = _json(reverse("public:city_data_json", kwargs=public.kwargs()))
    assert document["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    (city,) = document["cities"]
    assert city["name"] == "Alphaville" and city["slug"] == "alphaville" and city["country"] == "PT"
    assert city["page"].endswith(reverse("public:city", kwargs=public.kwargs()))
    (kpi,) = city["kpis"]
    assert kpi["name"] == "Energy use of public buildings"
    assert kpi["sdg_target"] == "7.3" and kpi["status"] == "moderate" and kpi["unit"] == "MWh"
    assert kpi["baseline"]["value"] == 1000 and kpi["target"]["value"] == 800
    measured = Measurement.objects.get(kpi=public.roadmap.kpi)
    assert kpi["measurements"] == [{"date": measured.date.isoformat(), "value": 990.25, "source": "Meters"}]


def test_the_dcat_catalogue_describes_every_dataset_and_distribution(public: PublicCast, settings: Any) -> None:
    settings.SITE_URL = "https://icc.example"
    response = Client().get(_programme(public, "public:open_data_dcat"))
    assert response["Content-Type"] == "application/ld+json"
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["@context"]["dct"] == "http://purl.org/dc/terms/"
    for key in ("dct:title", "dct:description", "dct:publisher", "dct:license", "dct:modified", "dcat:dataset"):
        assert key in catalogue, key
    assert catalogue["dct:publisher"]["foaf:name"] == public.cast.programme.name
    datasets = catalogue["dcat:dataset"]
    assert [d["dct:title"][0]["@value"] for d in datasets] == [
        f"Progress figures of {public.cast.programme.name}",
        "Progress figures of Alphaville",
    ]
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:license"]["@id"].endswith("/licence/CC_BY_4_0")
        assert dataset["dct:description"]
        kinds = []
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            url = distribution["dcat:accessURL"]["@id"]
            assert url.startswith("https://icc.example/en/")
            assert Client().get(url.removeprefix("https://icc.example")).status_code == 200
            assert distribution["dct:license"]["@id"].endswith("/licence/CC_BY_4_0")
            kinds.append(distribution["dcat:mediaType"]["@id"])
        assert kinds == [
            "https://www.iana.org/assignments/media-types/text/csv",
            "https://www.iana.org/assignments/media-types/application/json",
        ]
    alphaville = datasets[1]
    assert alphaville["dct:spatial"]["@id"].endswith("/country/PRT")
    assert alphaville["dct:language"]["@id"].endswith("/language/POR")
    assert alphaville["dcat:landingPage"]["@id"].endswith(reverse("public:city_dashboard", kwargs=public.kwargs()))


def test_the_catalogue_tags_a_title_with_a_language_only_where_it_is_translated(public: PublicCast) -> None:
    catalogue = _json(_programme(public, "public:open_data_dcat"))
    values = catalogue["dct:title"]
    english = values[0]
    assert english["@language"] == "en"
    assert all(value["@value"] != english["@value"] for value in values[1:])


def test_the_open_data_page_describes_the_files_and_their_licence(public: PublicCast) -> None:
    response = Client().get(_programme(public, "public:open_data"))
    html = response.content.decode()
    assert 'rel="license"' in html and "CC BY 4.0" in html
    for name in ("public:open_data_csv", "public:open_data_json", "public:open_data_dcat"):
        assert _programme(public, name) in html
    assert reverse("public:city_data_csv", kwargs=public.kwargs()) in html
    assert "<code>sdg_target</code>" in html
