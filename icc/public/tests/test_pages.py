"""The public city page, its dashboard and the programme's dashboard: what they show, what
they never show, their addresses, languages and caching."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from icc.public import actions
from icc.public.tests.conftest import PublicCast
from icc.roadmaps.models import Action, ActionStatus, Measurement, Strategy

pytestmark = pytest.mark.django_db


def _get(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _city_url(public: PublicCast, language: str = "en", name: str = "public:city") -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs=public.kwargs())


# The city page ------------------------------------------------------------------------------


def test_city_page_shows_the_city_its_track_vision_and_published_actions(public: PublicCast) -> None:
    Action.objects.filter(pk=public.roadmap.owned.pk).update(status=ActionStatus.DELAYED)
    html = _get(_city_url(public))
    assert "<h1>Alphaville</h1>" in html
    assert "A city in Portugal taking part in Edition test-edition." in html
    assert public.cast.city_a.track is not None
    assert f"Its track: {public.cast.city_a.track.name}." in html
    assert "A city that works for everyone" in html
    assert "Audit public buildings" in html
    assert "Taking longer than planned" in html  # the citizens' word, not the programme's "Delayed"
    assert "Secret retrofit plan" not in html  # an action the city did not publish
    assert "Alphaville wants to save energy." in html
    assert reverse("public:city_dashboard", kwargs=public.kwargs()) in html
    assert "Next update: 1 Mar 2027." in html


def test_city_page_names_the_country_in_the_readers_language_and_marks_other_texts(public: PublicCast) -> None:
    html = _get(_city_url(public, "fr"))
    assert '<html lang="fr">' in html
    assert "Portugal" in html
    html = _get(_city_url(public, "de"))
    assert '<html lang="de">' in html
    # No German introduction: the city's default (Portuguese) is shown, marked as such.
    assert '<div lang="pt"><p>Alphaville quer poupar energia.</p></div>' in html
    # The strategy and actions are written in English (the publication says so).
    assert '<div lang="en"><p>A city that works for everyone</p></div>' in html
    assert '<span lang="en">Audit public buildings</span>' in html
    html = _get(_city_url(public, "pl"))
    assert "Portugalia" in html  # Babel's name of the country in Polish


def test_a_text_in_the_page_language_carries_no_lang_of_its_own(public: PublicCast) -> None:
    html = _get(_city_url(public, "en"))
    assert "<p>Alphaville wants to save energy.</p>" in html
    assert 'lang="en"><p>A city that works' not in html


def test_html_and_script_in_the_citys_texts_are_shown_as_text(public: PublicCast) -> None:
    Strategy.objects.filter(city=public.cast.city_a).update(vision="<script>alert(1)</script>")
    Action.objects.filter(pk=public.roadmap.owned.pk).update(title='<img src=x onerror="alert(1)">')
    html = _get(_city_url(public))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


# Nothing unless published ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["public:city", "public:city_dashboard", "public:city_data_csv", "public:city_data_json"]
)
def test_a_draft_publication_is_not_found(public: PublicCast, name: str) -> None:
    kwargs = {"programme": public.programme_slug, "city": public.draft.slug}
    assert Client().get(reverse(name, kwargs=kwargs)).status_code == 404
    signed_in = public.cast.client_for("rep_b")
    assert signed_in.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_an_unpublished_page_is_gone_at_once_and_back_when_published_again(public: PublicCast) -> None:
    url = _city_url(public)
    client = Client()
    assert client.get(url).status_code == 200
    actions.unpublish(publication=public.publication, by=public.cast.person("rep_a"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:programme", kwargs={"programme": public.programme_slug})).status_code == 404
    actions.publish(publication=public.publication, by=public.cast.person("rep_a"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/test-edition/nowhere/",
        "/en/test-edition/nowhere/dashboard/",
        "/en/no-such-programme/",
        "/en/no-such-programme/data/",
        "/en/no-such-programme/alphaville/",
        "/en/test-edition/alphaville/dashboard/extra/",
        "/en/test-edition/%3Cscript%3E/",
        "/en/test-edition/alpha%00ville/",
        "/en/test-edition/" + "a" * 5000 + "/",
        "/en/test-edition/../../etc/passwd",
        "/xx/test-edition/alphaville/",
        "/en/test-edition/alphaville/figures.xlsx",
    ],
)
def test_crafted_addresses_are_not_found(public: PublicCast, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 404, path


def test_the_programme_dashboard_of_a_programme_without_published_cities_is_not_found(public: PublicCast) -> None:
    actions.unpublish(publication=public.publication, by=None)
    assert Client().get(f"/en/{public.programme_slug}/").status_code == 404
    assert Client().get(f"/en/{public.programme_slug}/data/").status_code == 404


def test_public_pages_refuse_writes(public: PublicCast) -> None:
    assert Client().post(_city_url(public)).status_code == 405
    assert Client().post(_city_url(public, name="public:city_dashboard")).status_code == 405


# The dashboard --------------------------------------------------------------------------------


def test_dashboard_shows_each_published_kpi_with_its_figures_status_chart_table_and_sdg(public: PublicCast) -> None:
    html = _get(_city_url(public, name="public:city_dashboard"))
    kpi = public.roadmap.kpi
    assert "Energy use of public buildings" in html
    assert f'1,000 MWh <span class="meta">({kpi.baseline_date:%-d %b %Y})</span>' in html
    assert f"800 MWh by {kpi.target_date:%-d %b %Y}" in html
    latest = Measurement.objects.get(kpi=kpi)
    assert f'990 MWh <span class="meta">({latest.date:%-d %b %Y})</span>' in html
    assert "SDG 7.3" in html
    assert "Moving, but slowly" in html  # the status roadmaps computed, in citizens' words
    assert 'class="plot"' in html and 'role="img"' in html
    assert "<caption>Figures of “Energy use of public buildings”</caption>" in html
    assert "Next update: 1 Mar 2027." in html
    assert "Unpublished secret indicator" not in html


def test_each_chart_has_ids_of_its_own(public: PublicCast) -> None:
    second = public.hidden_kpi
    public.publication.kpis.add(second)
    html = _get(_city_url(public, name="public:city_dashboard"))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    assert html.count('role="img"') == 2


@pytest.mark.parametrize(
    ("values", "code", "words"),
    [
        ([], "no-data", "No new figure yet"),
        ([Decimal(790)], "achieved", "Target reached"),
        ([Decimal(1100)], "deterioration", "Going the wrong way"),
        ([Decimal(1000)], "insufficient", "Needs more effort"),
    ],
)
def test_dashboard_words_each_status_for_citizens(
    public: PublicCast, values: list[Decimal], code: str, words: str
) -> None:
    kpi = public.roadmap.kpi
    Measurement.objects.filter(kpi=kpi).delete()
    for value in values:
        Measurement.objects.create(kpi=kpi, date=kpi.baseline_date + dt.timedelta(days=200), value=value, source="x")
    html = _get(_city_url(public, name="public:city_dashboard"))
    assert f'<span class="step step-{code}">{words}</span>' in html


def test_a_new_measurement_shows_on_the_next_request(public: PublicCast) -> None:
    url = _city_url(public, name="public:city_dashboard")
    client = Client()
    assert "987.5" not in _get(url, client)
    kpi = public.roadmap.kpi
    Measurement.objects.create(
        kpi=kpi, date=kpi.baseline_date + dt.timedelta(days=300), value=Decimal("987.5"), source="Meters"
    )
    html = _get(url, client)
    assert "987.5 MWh" in html
    programme_data = _get(reverse("public:open_data_csv", kwargs={"programme": public.programme_slug}), client)
    assert '"987.5"' in programme_data


def test_the_next_update_reads_as_passed_once_its_day_is_gone(public: PublicCast, time_machine) -> None:
    time_machine.move_to(dt.datetime(2027, 3, 5, 12, tzinfo=dt.UTC))
    html = _get(_city_url(public, name="public:city_dashboard"))
    assert "The next update was planned for 1 Mar 2027." in html


# The programme dashboard ------------------------------------------------------------------------


def test_programme_dashboard_lists_only_published_cities_and_counts_by_theme(public: PublicCast) -> None:
    html = _get(reverse("public:programme", kwargs={"programme": public.programme_slug}))
    assert "Alphaville" in html
    assert "Betatown" not in html  # a draft
    assert "Mentorburg" not in html  # no publication at all
    assert reverse("public:city", kwargs=public.kwargs()) in html
    assert "Published figures by theme and progress" in html
    theme = public.cast.city_a.track
    assert theme is not None
    row = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(theme.name)}.*?</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    # Target reached, on track, moving slowly, needs effort, wrong way, no figure; all.
    assert cells == ["0", "0", "1", "0", "0", "0", "1"]
    assert "cities are not compared or ranked" in html


def test_programme_dashboard_draws_the_map_of_published_cities(public: PublicCast) -> None:
    city = public.cast.city_a
    city.latitude, city.longitude = Decimal("38.72"), Decimal("-9.14")
    city.save(update_fields=["latitude", "longitude"])
    html = _get(reverse("public:programme", kwargs={"programme": public.programme_slug}))
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="map"' in html
    assert "map-city map-city-published" in html
    assert f'href="{reverse("public:city", kwargs=public.kwargs())}"' in html


def test_programme_dashboard_never_orders_cities_by_their_results(public: PublicCast) -> None:
    """Cities are listed by name, whatever their figures."""
    from icc.public import pages

    actions.publish(publication=public.draft, by=None)
    context = pages.programme_context(public.cast.programme)
    assert [item["city"].name for item in context["cities"]] == ["Alphaville", "Betatown"]


# Speed: the whole page cached under the data version -------------------------------------------


@pytest.mark.parametrize("name", ["public:city_dashboard", "public:programme", "public:city"])
def test_a_cached_page_costs_one_query_and_is_public_for_a_minute(
    public: PublicCast, name: str, django_assert_num_queries
) -> None:
    kwargs = public.kwargs() if name != "public:programme" else {"programme": public.programme_slug}
    url = reverse(name, kwargs=kwargs)
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the data version
        again = client.get(url)
    assert again.content == first.content
    assert again["Cache-Control"] == "public, max-age=60"
    assert again["ETag"] == first["ETag"]
    assert "Set-Cookie" not in again.headers


def test_the_etag_answers_not_modified_until_the_data_changes(public: PublicCast) -> None:
    url = _city_url(public, name="public:city_dashboard")
    client = Client()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    kpi = public.roadmap.kpi
    Measurement.objects.create(kpi=kpi, date=kpi.baseline_date + dt.timedelta(days=90), value=Decimal(970), source="x")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_each_language_is_cached_apart(public: PublicCast) -> None:
    client = Client()
    english = _get(_city_url(public, "en", "public:city_dashboard"), client)
    french = _get(_city_url(public, "fr", "public:city_dashboard"), client)
    assert '<html lang="en">' in english and '<html lang="fr">' in french


def test_a_query_string_neither_splits_the_cache_nor_leaks_into_the_page(public: PublicCast) -> None:
    client = Client()
    url = _city_url(public, name="public:city_dashboard")
    first = client.get(url)
    crafted = client.get(url + "?x=%22%3E%3Cscript%3E")
    assert crafted.content == first.content
    assert "script" not in crafted.content.decode().split("</header>")[0]


def test_a_signed_in_reader_gets_a_private_copy(public: PublicCast) -> None:
    response = public.cast.client_for("outsider").get(_city_url(public, name="public:city_dashboard"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_messages_of_a_signed_in_reader_never_go_into_the_cached_page(public: PublicCast) -> None:
    client = public.cast.client_for("rep_a")
    client.post(reverse("public_manage:publish", kwargs={"pk": public.cast.city_a.pk}))  # queues a message
    html = _get(_city_url(public), client)
    assert "The public page is published." not in html
    assert "messages" not in html.split("<main")[1].split("</main>")[0].split("<h1>")[0]


# Consultations and calls for ideas on the city page -----------------------------------------------


def test_the_city_page_lists_open_consultations_only_and_follows_their_closing_time(
    public: PublicCast, time_machine: Any
) -> None:
    from icc.consultations.models import Consultation

    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    time_machine.move_to(now, tick=False)
    city = public.cast.city_a
    closing = Consultation.objects.create(
        city=city,
        kind="poll",
        title={"pt": "Que bairro primeiro?", "en": "Which neighbourhood first?"},
        status="open",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(hours=8),
    )
    Consultation.objects.create(
        city=city,
        kind="survey",
        title={"en": "Draft survey"},
        status="draft",
    )
    Consultation.objects.create(
        city=city,
        kind="survey",
        title={"en": "Opens next week"},
        status="open",
        opens_at=now + dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=30),
    )
    client = Client()
    html = _get(_city_url(public), client)
    assert "Which neighbourhood first?" in html
    link = reverse("public:consultation", kwargs={**public.kwargs(), "pk": closing.pk})
    assert f'href="{link}"' in html
    assert "open until 1 Dec 2026" in html
    assert "Draft survey" not in html and "Opens next week" not in html
    # Nothing in the data changes, but the poll closes: the cached page follows the clock.
    time_machine.move_to(now + dt.timedelta(hours=9), tick=False)
    html = _get(_city_url(public), client)
    assert "Which neighbourhood first?" not in html
    time_machine.move_to(now + dt.timedelta(days=7, minutes=1), tick=False)
    assert "Opens next week" in _get(_city_url(public), client)


def test_the_city_page_lists_calls_that_take_ideas_or_votes(public: PublicCast, time_machine: Any) -> None:
    ideas = pytest.importorskip("icc.ideas.models")
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    city = public.cast.city_a
    today = dt.date(2026, 12, 1)
    common = {"city": city, "opens_on": today - dt.timedelta(days=10), "closes_on": today + dt.timedelta(days=20)}
    ideas.IdeaCall.objects.create(question={"en": "How could we save electricity?"}, status="open", **common)
    ideas.IdeaCall.objects.create(question={"en": "A call still in draft"}, status="draft", **common)
    html = _get(_city_url(public))
    assert "How could we save electricity?" in html
    assert "ideas until 21 Dec 2026" in html
    assert "A call still in draft" not in html


@pytest.mark.parametrize("name", ["public:city", "public:city_dashboard", "public:programme", "public:open_data"])
def test_public_pages_need_no_script_and_hold_no_form(public: PublicCast, name: str) -> None:
    kwargs = (
        {"programme": public.programme_slug} if name in ("public:programme", "public:open_data") else public.kwargs()
    )
    html = _get(reverse(name, kwargs=kwargs))
    assert "<script" not in html
    assert "<form" not in html  # nothing that would need the reader's CSRF token in a shared copy
    assert " style=" not in html


@pytest.mark.parametrize(
    ("accept", "compressed"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
    ],
)
def test_a_cached_page_is_sent_compressed_to_browsers_that_take_gzip(
    public: PublicCast, accept: str, compressed: bool
) -> None:
    import gzip

    url = _city_url(public, name="public:city_dashboard")
    plain = Client().get(url)
    response = Client().get(url, headers={"accept-encoding": accept} if accept else {})
    assert "Accept-Encoding" in response["Vary"]
    if compressed:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content) == plain.content
        assert len(response.content) < len(plain.content) / 2
        assert response["ETag"] != plain["ETag"]
    else:
        assert not response.has_header("Content-Encoding")
        assert response.content == plain.content


def test_the_next_update_passes_at_the_citys_midnight_not_the_servers(public: PublicCast) -> None:
    import time_machine

    from icc.cities.models import City

    City.objects.filter(pk=public.publication.city_id).update(time_zone="Europe/Athens")
    public.publication.next_update_on = dt.date(2026, 3, 10)
    public.publication.save()
    url = _city_url(public, name="public:city_dashboard")
    # 22:30 UTC on 10 March: still the 10th in Brussels, already the 11th in Athens.
    with time_machine.travel(dt.datetime(2026, 3, 10, 21, 30, tzinfo=dt.UTC), tick=False):
        assert "Next update: 10 Mar 2026." in _get(url, Client())
    with time_machine.travel(dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC), tick=False):
        assert "The next update was planned for 10 Mar 2026." in _get(url, Client())
