"""You own your content: a city's or a provider's marketplace content exported as JSON-LD
that validates against its schemas, imported back here or into another programme, and
every bad file refused with its reason and nothing saved."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import typing
import zipfile
from typing import IO, Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from jsonschema import Draft202012Validator
from pytest_django import Settings

from conftest import Cast
from icc.accounts.models import Person
from icc.cities.models import City, RoleKind
from icc.core.models import AuditEntry
from icc.core.uploads import UploadRefused
from icc.marketplace import actions
from icc.marketplace.models import Challenge, CityProfile, Deployment, Provider, Review, Solution
from icc.marketplace.portability import importer, reading, schema
from icc.marketplace.vocabulary import CostModel, Function, Mim, ProviderKind, SolutionStatus
from icc.programmes.models import Programme
from tests.factories import CityFactory, PersonFactory, give_role, make_programme

pytestmark = pytest.mark.django_db

CATALOGUE_SCHEMA = "https://smart-data-models.github.io/dataModel.DCAT-AP/Catalogue/schema.json"


def _provider(cast: Cast, name: str, country: str = "DE", by: str = "rep_a") -> Provider:
    return Provider.objects.create(
        programme=cast.programme,
        name=name,
        kind="sme",
        country=country,
        review=Review.PUBLISHED,
        created_by=cast.person(by),
    )


def _content(cast: Cast) -> dict[str, Any]:
    """City A's marketplace content: a profile, a solution deployed in A and in B, a
    challenge; and city B's solution, deployed in A and confirmed there."""
    rep_a, rep_b = cast.person("rep_a"), cast.person("rep_b")
    lumen = _provider(cast, "Lumen GmbH")
    lights = actions.save_solution(
        solution=Solution(
            programme=cast.programme,
            provider=lumen,
            city=cast.city_a,
            name="Smart street lights",
            summary="Dims the lights when nobody is there.",
            functions=["lighting", "sensing"],
            mims=["MIM1", "MIM2"],
            data_models=["Streetlight"],
            ngsi_ld=True,
            standards="EN 13201",
            requirements="A context broker.",
            cost_model="subscription",
            licence="EUPL-1.2",
            repository="https://example.org/lights",
            development="beta",
            sdgs=["7.3", "11.6"],
        ),
        themes=[cast.city_a.track],
        by=rep_a,
    )
    Solution.objects.filter(pk=lights.pk).update(review=Review.PUBLISHED)
    mine = actions.claim_deployment(
        solution=lights,
        city=cast.city_a,
        started_on=dt.date(2024, 3, 1),
        scale="400 lights",
        outcome="A third less energy.",
        kpi=None,
        action=None,
        by=rep_a,
    )
    theirs = actions.claim_deployment(
        solution=lights,
        city=cast.city_b,
        started_on=dt.date(2025, 1, 1),
        scale="the old town",
        outcome="",
        kpi=None,
        action=None,
        by=rep_b,
    )
    parko = _provider(cast, "Parko", "PT", by="rep_b")
    parking = actions.save_solution(
        solution=Solution(
            programme=cast.programme,
            provider=parko,
            city=cast.city_b,
            name="Parking sensors",
            summary="Tells drivers where to park.",
            functions=["sensing", "mobility"],
            cost_model="service",
        ),
        themes=[],
        by=rep_b,
    )
    Solution.objects.filter(pk=parking.pk).update(review=Review.PUBLISHED)
    actions.claim_deployment(
        solution=parking,
        city=cast.city_a,
        started_on=dt.date(2025, 5, 1),
        scale="300 bays",
        outcome="",
        kpi=None,
        action=None,
        by=rep_a,
    )
    profile = actions.save_profile(
        profile=CityProfile(
            city=cast.city_a,
            summary="A port city investing in clean mobility.",
            open_data_portal="https://example.org/open-data",
            open_data_charter=True,
            platforms="FIWARE context broker",
            mims=["MIM1"],
            procurement="Innovation partnerships.",
            procurement_contact="procurement@example.org",
            tenders="Smart parking, next year.",
        ),
        by=rep_a,
    )
    challenge = actions.save_challenge(
        challenge=Challenge(
            city=cast.city_a,
            title="Lights burn all night",
            context="A fifth of the electricity bill.",
            theme=cast.city_a.track,
            functions=["lighting"],
            data_models=["Streetlight"],
            sdgs=["7.3"],
            budget_min=200_000,
            budget_max=600_000,
            needed_by=dt.date(2026, 12, 31),
        ),
        by=rep_a,
    )
    return {
        "lights": lights,
        "parking": parking,
        "mine": mine,
        "theirs": theirs,
        "profile": profile,
        "challenge": challenge,
        "lumen": lumen,
        "parko": parko,
    }


def _track(cast: Cast) -> str:
    assert cast.city_a.track is not None
    return cast.city_a.track.slug


def _export(cast: Cast, city: City | None = None, persona: str = "rep_a") -> dict[str, Any]:
    url = reverse("marketplace:city_export", kwargs={"pk": (city or cast.city_a).pk})
    response = cast.client_for(persona).get(url)
    assert response.status_code == 200
    document: dict[str, Any] = json.loads(response.content)
    return document


@pytest.fixture
def other(cast: Cast) -> dict[str, Any]:
    """Another programme (another instance, as far as the marketplace knows) with the same
    cities and a programme team of its own."""
    programme = make_programme("other-edition")
    themes = list(programme.themes.all())
    alpha = CityFactory.create(programme=programme, name="Alphaville", country="PT", track=themes[0])
    beta = CityFactory.create(programme=programme, name="Betatown", country="DE", track=themes[1])
    organiser = PersonFactory.create(email="organiser@other.example")
    give_role(organiser, RoleKind.PROGRAMME_TEAM, programme)
    rep = PersonFactory.create(email="rep@other.example")
    give_role(rep, RoleKind.CITY_REP, programme, city=alpha)
    return {"programme": programme, "alpha": alpha, "beta": beta, "organiser": organiser, "rep": rep}


def _client(person: Person) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def _upload(client: Any, url: str, data: bytes, name: str = "export.jsonld") -> Any:
    return client.post(url, {"file": _named(data, name)})


def _named(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/ld+json")


def _import_city(person: Person, city: City, data: bytes, name: str = "export.jsonld") -> Any:
    return _upload(_client(person), reverse("marketplace:city_import", kwargs={"pk": city.pk}), data, name)


def _counts() -> dict[str, int]:
    return {
        "solutions": Solution.objects.count(),
        "providers": Provider.objects.count(),
        "challenges": Challenge.objects.count(),
        "profiles": CityProfile.objects.count(),
        "deployments": Deployment.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """What a city wrote, without what belongs to one instance (addresses, dates, confirmation)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"@id", "id", "confirmed"}}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {"about": strip(document["about"]), "elements": strip(document["dataFeedElement"])}


# The export ----------------------------------------------------------------------------------


def test_the_export_is_a_json_ld_download_that_validates_against_its_schemas(cast: Cast) -> None:
    _content(cast)
    response = cast.client_for("rep_a").get(reverse("marketplace:city_export", kwargs={"pk": cast.city_a.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"] == 'attachment; filename="alphaville-marketplace.jsonld"'
    document = json.loads(response.content)
    assert schema.problems(document) == []
    # The open data portal is a Smart Data Models DCAT-AP Catalogue, valid against that schema alone.
    catalogue = document["about"]["openDataPortal"]
    published = schema.registry().contents(CATALOGUE_SCHEMA)
    assert list(Draft202012Validator(published, registry=schema.registry()).iter_errors(catalogue)) == []
    assert catalogue["homepage"] == "https://example.org/open-data"
    # The context travels with the file: nothing to fetch to read it as linked data.
    on_disk = json.loads((schema.SCHEMAS / "context.jsonld").read_text())["@context"]
    assert document["@context"] == on_disk and document["conformsTo"] == schema.SCHEMA_ID
    types = [element["@type"] for element in document["dataFeedElement"]]
    assert types.count(schema.SOLUTION_TYPE) == 1  # city B's solution is not city A's to export
    assert types.count("Demand") == 1 and types.count("UseAction") == 3
    solution = document["dataFeedElement"][0]
    assert solution["provider"]["name"] == "Lumen GmbH" and solution["provider"]["@type"] == "Organization"
    assert solution["featureList"] == ["lighting", "sensing"] and solution["dataModels"] == ["Streetlight"]
    assert solution["about"][0]["termCode"] == _track(cast)
    parking = [
        e for e in document["dataFeedElement"] if e["@type"] == "UseAction" and e["object"]["name"] == "Parking sensors"
    ]
    assert parking[0]["agent"]["name"] == "Alphaville" and parking[0]["confirmed"] is True


def test_an_export_that_breaks_its_schema_is_caught(cast: Cast) -> None:
    _content(cast)
    document = _export(cast)
    document["dataFeedElement"][0]["featureList"].append("teleportation")
    del document["about"]["openDataPortal"]["publisher"]
    found = schema.problems(document)
    assert schema.Problem("/dataFeedElement/0/featureList/2", found[1].message) in found
    assert "teleportation" in found[1].message
    assert any(p.path == "/about/openDataPortal" and "publisher" in p.message for p in found)


def test_the_schema_lists_the_codes_of_the_platform(cast: Cast) -> None:
    defs = schema.schema()["$defs"]
    assert defs["functions"]["items"]["enum"] == list(Function.values)
    assert defs["mims"]["items"]["enum"] == list(Mim.values)
    assert defs["provider"]["properties"]["providerKind"]["enum"] == list(ProviderKind.values)
    assert defs["solution"]["properties"]["costModel"]["enum"] == list(CostModel.values)
    assert defs["solution"]["properties"]["creativeWorkStatus"]["enum"] == list(SolutionStatus.values)


def test_the_scoped_context_uses_the_smart_data_models_terms(cast: Cast) -> None:
    sdm = json.loads((schema.SDM / "dataModel.DCAT-AP" / "context.jsonld").read_text())["@context"]
    scoped = schema.context()["openDataPortal"]["@context"]
    for term in ("Catalogue", "title", "description", "publisher", "homepage", "id", "type"):
        assert scoped[term] == sdm[term]


def test_a_reference_outside_the_local_copies_is_refused_not_fetched() -> None:
    validator = Draft202012Validator({"$ref": "https://example.org/elsewhere.json"}, registry=schema.registry())
    with pytest.raises(Exception, match="elsewhere"):
        validator.validate({})


# Round trip ------------------------------------------------------------------------------------


def test_an_export_imported_into_another_programme_round_trips(cast: Cast, other: dict[str, Any]) -> None:
    _content(cast)
    beta_file = json.dumps(_export(cast, cast.city_b, persona="rep_b")).encode()
    original = _export(cast)
    organiser = other["organiser"]
    # City B first, so that its solution deployed in city A is there for city A's deployment.
    assert _import_city(organiser, other["beta"], beta_file).status_code == 200
    response = _import_city(organiser, other["alpha"], json.dumps(original).encode())
    assert response.status_code == 200, response.content.decode()
    page = response.content.decode()
    assert "Smart street lights" in page and "Lights burn all night" in page
    programme: Programme = other["programme"]
    imported = Solution.objects.get(programme=programme, name="Smart street lights")
    assert imported.review == Review.DRAFT and imported.city == other["alpha"]
    assert imported.created_by == organiser and imported.provider.programme == programme
    assert set(imported.themes.values_list("slug", flat=True)) == {_track(cast)}
    assert Challenge.objects.get(city=other["alpha"]).review == Review.DRAFT
    assert CityProfile.objects.get(city=other["alpha"]).review == Review.DRAFT
    # Deployments are claims: nothing is confirmed until the city confirms it here.
    deployments = Deployment.objects.filter(solution__programme=programme)
    assert deployments.count() == 3 and not deployments.filter(confirmed_at__isnull=False).exists()
    # Once Alphaville confirms here what it deploys, its file says again what it said.
    for deployment in deployments.filter(city=other["alpha"]):
        actions.confirm_deployment(deployment=deployment, by=other["rep"])
    again = json.loads(
        _client(organiser).get(reverse("marketplace:city_export", kwargs={"pk": other["alpha"].pk})).content
    )
    assert _comparable(again) == _comparable(original)


def test_a_provider_exports_its_solutions_and_imports_them_elsewhere(cast: Cast, other: dict[str, Any]) -> None:
    made = _content(cast)
    lumen = made["lumen"]
    url = reverse("marketplace:provider_export", kwargs={"pk": lumen.pk})
    response = cast.client_for("rep_a").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    assert schema.problems(document) == [] and document["about"]["name"] == "Lumen GmbH"
    assert [e["name"] for e in document["dataFeedElement"] if e["@type"] == schema.SOLUTION_TYPE] == [
        "Smart street lights"
    ]
    there = Provider.objects.create(
        programme=other["programme"],
        name="Lumen GmbH",
        kind="sme",
        country="DE",
        review=Review.PUBLISHED,
        created_by=other["organiser"],
    )
    response = _upload(
        _client(other["organiser"]),
        reverse("marketplace:provider_import", kwargs={"pk": there.pk}),
        response.content,
    )
    assert response.status_code == 200
    solution = Solution.objects.get(provider=there)
    assert solution.review == Review.DRAFT and solution.city is None  # the programme team's, as when written here
    assert Deployment.objects.filter(solution=solution, confirmed_at__isnull=True).count() == 2
    elsewhere = Provider.objects.create(
        programme=other["programme"],
        name="Parko",
        kind="sme",
        country="PT",
        review=Review.PUBLISHED,
        created_by=other["organiser"],
    )
    before = _counts()
    refused = _upload(
        _client(other["organiser"]),
        reverse("marketplace:provider_import", kwargs={"pk": elsewhere.pk}),
        response.content,
    )
    assert refused.status_code == 400 and _counts() == before


def test_a_provider_export_holds_only_what_its_exporter_may_see(cast: Cast) -> None:
    shared = _provider(cast, "Shared Ltd", by="rep_b")
    actions.save_solution(
        solution=Solution(
            programme=cast.programme,
            provider=shared,
            city=cast.city_a,
            name="Draft of city A",
            summary="Not yet published.",
            functions=["gis"],
            cost_model="free",
        ),
        themes=[],
        by=cast.person("rep_a"),
    )
    url = reverse("marketplace:provider_export", kwargs={"pk": shared.pk})
    document = json.loads(cast.client_for("rep_b").get(url).content)
    assert document["dataFeedElement"] == []
    assert len(json.loads(cast.client_for("organiser").get(url).content)["dataFeedElement"]) == 1


# Duplicates ------------------------------------------------------------------------------------


def test_importing_what_is_already_here_reports_duplicates_instead_of_adding_them(cast: Cast) -> None:
    made = _content(cast)
    data = json.dumps(_export(cast)).encode()
    before = _counts()
    response = _import_city(cast.person("rep_a"), cast.city_a, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Already in the marketplace" in page and "ask the reviewers to merge" in page
    assert made["lights"].get_absolute_url() in page
    assert "already has a marketplace profile" in page and "already recorded" in page
    assert Solution.objects.count() == before["solutions"] and Deployment.objects.count() == before["deployments"]
    assert Challenge.objects.count() == before["challenges"]


def test_a_duplicate_that_is_another_citys_draft_is_reported_without_naming_it(
    cast: Cast, other: dict[str, Any]
) -> None:
    _content(cast)
    data = json.dumps(_export(cast)).encode()
    programme = other["programme"]
    lumen = Provider.objects.create(
        programme=programme,
        name="lumen gmbh",
        kind="sme",
        country="DE",
        review=Review.PUBLISHED,
        created_by=other["organiser"],
    )
    draft = Solution.objects.create(
        programme=programme,
        provider=lumen,
        city=other["beta"],
        name="SMART street lights",
        summary="x",
        cost_model="free",
        created_by=other["organiser"],
    )
    outcome = importer.import_city(city=other["alpha"], source=io.BytesIO(data), by=other["rep"])
    assert outcome.ok, outcome.errors
    assert [(d.name, d.provider, d.url) for d in outcome.duplicates] == [("Smart street lights", "lumen gmbh", "")]
    assert Solution.objects.filter(programme=programme).count() == 1 and draft.deployments.count() == 0
    # Its deployments are not attached to a solution the representative may not open.
    assert any("not open to you" in n.message for n in outcome.notes)


# Bad files -------------------------------------------------------------------------------------


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"@context": {"@vocab": ', "The file is not valid JSON"),
        (_zip(), "not JSON"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        (b'{"name": "caf\xe9"}', "not UTF-8"),
        (b"", "empty"),
        (b"   \n", "The file is empty"),
        (b'["a list"]', "one JSON object"),
        (b'{"a": 1, "a": 2}', "appears twice"),
        (b'{"a": NaN}', "not a JSON number"),
        (b'{"a": ' * 40 + b"1" + b"}" * 40, "nested more than"),
        (b'{"@type": "DataFeed"}', "These are missing: “@context”, “conformsTo”"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_saves_nothing(
    cast: Cast, other: dict[str, Any], data: bytes, words: str
) -> None:
    before = _counts()
    response = _import_city(other["organiser"], other["alpha"], data, name="export.json")
    assert response.status_code == 400
    assert words in response.content.decode()
    assert _counts() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    cast: Cast, other: dict[str, Any], settings: Settings
) -> None:
    _content(cast)
    data = json.dumps(_export(cast)).encode()
    settings.ICC_MAX_IMPORT_BYTES = len(data) - 1
    before = _counts()
    response = _import_city(other["organiser"], other["alpha"], data)
    assert response.status_code == 400 and "the limit is" in response.content.decode()
    assert _counts() == before

    class Endless(io.RawIOBase):
        asked = 0

        def read(self, size: int = -1) -> bytes:
            assert size > 0, "never read to the end"
            Endless.asked += size
            return b" " * size

    with pytest.raises(UploadRefused):
        reading.read_limited(typing.cast(IO[bytes], Endless()))
    assert Endless.asked == settings.ICC_MAX_IMPORT_BYTES + 1


def _changed(cast: Cast, change: Any) -> bytes:
    _content(cast)
    document = copy.deepcopy(_export(cast))
    change(document)
    return json.dumps(document).encode()


def _element(document: dict[str, Any], kind: Any) -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in document["dataFeedElement"] if e["@type"] == kind)
    return found


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            lambda d: _element(d, schema.SOLUTION_TYPE)["featureList"].append("teleportation"),
            "/dataFeedElement/0/featureList/2",
            "“teleportation” is not one of the codes allowed here",
        ),
        (
            lambda d: _element(d, schema.SOLUTION_TYPE)["about"][0].update(termCode="nowhere"),
            "/dataFeedElement/0/about/0/termCode",
            "There is no theme “nowhere” in this programme",
        ),
        (
            lambda d: _element(d, "Demand")["about"][0].update(termCode="atlantis"),
            "/dataFeedElement/1/about/0/termCode",
            "There is no theme “atlantis”",
        ),
        (lambda d: _element(d, schema.SOLUTION_TYPE).pop("costModel"), "/dataFeedElement/0", "“costModel” is missing"),
        (
            lambda d: _element(d, schema.SOLUTION_TYPE).update(name="x" * 201),
            "/dataFeedElement/0/name",
            "longer than 200 characters",
        ),
        (
            lambda d: _element(d, schema.SOLUTION_TYPE).update(sdgTargets=["18.1"]),
            "/dataFeedElement/0/sdgTargets/0",
            "is not an SDG target",
        ),
        (
            lambda d: d["dataFeedElement"][3].update(startTime="1066-10-14"),
            "/dataFeedElement/3/startTime",
            "",
        ),
        (
            lambda d: _element(d, "Demand")["priceSpecification"].update(minPrice=900_000),
            "/dataFeedElement/1/priceSpecification",
            "",
        ),
        (lambda d: d["about"].update(colour="blue"), "/about", "“colour” is not a property"),
        (lambda d: d["@context"].update(extra="urn:x:"), "/@context", "JSON-LD context"),
        (lambda d: d["about"].update(name="Gammaburg"), "/about", "This file is about Gammaburg (PT), not Alphaville"),
        (
            lambda d: d.update(
                about={
                    "@type": "Organization",
                    "name": "Lumen GmbH",
                    "providerKind": "sme",
                    "address": {"@type": "PostalAddress", "addressCountry": "DE"},
                }
            ),
            "/about",
            "provider's file",
        ),
    ],
)
def test_a_file_with_wrong_content_points_at_the_value_and_saves_nothing(
    cast: Cast, other: dict[str, Any], change: Any, path: str, words: str
) -> None:
    data = _changed(cast, change)
    before = _counts()
    outcome = importer.import_city(city=other["alpha"], source=io.BytesIO(data), by=other["organiser"])
    assert not outcome.ok and outcome.created == []
    assert any(p.path == path and words in p.message for p in outcome.errors), outcome.errors
    assert _counts() == before
    response = _import_city(other["organiser"], other["alpha"], data)
    assert response.status_code == 400 and path in response.content.decode()
    assert _counts() == before


def test_a_city_cannot_import_another_citys_file(cast: Cast) -> None:
    _content(cast)
    data = json.dumps(_export(cast, cast.city_b, persona="organiser")).encode()
    before = _counts()
    response = _import_city(cast.person("organiser"), cast.city_a, data)
    assert response.status_code == 400
    assert "This file is about Betatown (DE), not Alphaville (PT)" in response.content.decode()
    assert _counts() == before


def test_a_failure_while_writing_saves_nothing(cast: Cast, other: dict[str, Any], monkeypatch: Any) -> None:
    _content(cast)
    data = json.dumps(_export(cast)).encode()
    before = _counts()

    def refuse(**kwargs: Any) -> None:
        raise ValidationError("The disk is full.")

    monkeypatch.setattr(actions, "save_challenge", refuse)
    outcome = importer.import_city(city=other["alpha"], source=io.BytesIO(data), by=other["organiser"])
    assert [p.message for p in outcome.errors] == ["Nothing was saved: The disk is full."]
    assert _counts() == before  # the provider and the solution written before the failure are gone too


# Who may ---------------------------------------------------------------------------------------

OK, FORBIDDEN, NOT_FOUND, REDIRECT = 200, 403, 404, 302
CITY_A = {
    "organiser": OK,
    "lead_expert": OK,
    "rep_a": OK,
    "thematic_expert": FORBIDDEN,  # sees city A (its track), does not write for it
    "transversal_expert": FORBIDDEN,
    "mayor_a": FORBIDDEN,
    "rep_b": NOT_FOUND,  # city A's profile is not published: its page is secret to city B
    "mentor": NOT_FOUND,
    "stakeholder": NOT_FOUND,
    "outsider": NOT_FOUND,
    "anonymous": REDIRECT,
}
PROVIDER = {
    **dict.fromkeys(["lead_expert", "thematic_expert", "transversal_expert", "rep_b", "mayor_a", "mentor"], FORBIDDEN),
    "organiser": OK,
    "rep_a": OK,  # who added it
    "stakeholder": NOT_FOUND,
    "outsider": NOT_FOUND,
    "anonymous": REDIRECT,
}


@pytest.mark.parametrize("persona", list(CITY_A))
@pytest.mark.parametrize("name", ["marketplace:city_export", "marketplace:city_import"])
def test_who_moves_a_citys_content(cast: Cast, persona: str, name: str) -> None:
    response = cast.client_for(persona).get(reverse(name, kwargs={"pk": cast.city_a.pk}))
    assert response.status_code == CITY_A[persona]


def test_once_the_profile_is_published_another_city_sees_it_but_may_not_export_it(cast: Cast) -> None:
    CityProfile.objects.create(city=cast.city_a, review=Review.PUBLISHED, created_by=cast.person("rep_a"))
    url = reverse("marketplace:city_export", kwargs={"pk": cast.city_a.pk})
    assert cast.client_for("rep_b").get(url).status_code == FORBIDDEN
    assert (
        cast.client_for("rep_b").post(reverse("marketplace:city_import", kwargs={"pk": cast.city_a.pk})).status_code
        == FORBIDDEN
    )


@pytest.mark.parametrize("persona", list(PROVIDER))
@pytest.mark.parametrize("name", ["marketplace:provider_export", "marketplace:provider_import"])
def test_who_moves_a_providers_content(cast: Cast, persona: str, name: str) -> None:
    provider = _provider(cast, "Lumen GmbH")
    response = cast.client_for(persona).get(reverse(name, kwargs={"pk": provider.pk}))
    assert response.status_code == PROVIDER[persona]


def test_the_export_refuses_a_write_and_the_import_page_has_its_form(cast: Cast) -> None:
    client = cast.client_for("rep_a")
    assert client.post(reverse("marketplace:city_export", kwargs={"pk": cast.city_a.pk})).status_code == 405
    page = client.get(reverse("marketplace:city_import", kwargs={"pk": cast.city_a.pk})).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert client.post(reverse("marketplace:city_import", kwargs={"pk": cast.city_a.pk})).status_code == 400


def test_the_profile_and_provider_pages_link_to_export_and_import(cast: Cast) -> None:
    made = _content(cast)
    export_url = reverse("marketplace:city_export", kwargs={"pk": cast.city_a.pk})
    profile = reverse("marketplace:profile", kwargs={"pk": cast.city_a.pk})
    assert export_url in cast.client_for("rep_a").get(profile).content.decode()
    assert export_url not in cast.client_for("mayor_a").get(profile).content.decode()
    provider_page = made["lumen"].get_absolute_url()
    provider_export = reverse("marketplace:provider_export", kwargs={"pk": made["lumen"].pk})
    assert provider_export in cast.client_for("rep_a").get(provider_page).content.decode()
    assert provider_export not in cast.client_for("rep_b").get(provider_page).content.decode()
    assert provider_export in cast.client_for("organiser").get(provider_page).content.decode()
