"""The stakeholder map: the grid beside its table, the gaps by sector, bad input refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from icc.cities.models import Sector
from icc.ecosystem import mapping
from icc.ecosystem.models import Contact, Stakeholder
from icc.ecosystem.tests.conftest import Eco, count_queries
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_map_draws_an_accessible_grid_beside_its_table(eco: Eco) -> None:
    page = eco.client_for("rep_a").get(reverse("ecosystem:map", kwargs={"pk": eco.cast.city_a.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and '<title id="sg-t">' in html and '<desc id="sg-d">' in html
    assert "Manage closely" in html and "Keep satisfied" in html
    # The champion is a square, the other a circle: shape, not colour, tells them apart.
    assert html.count("<rect") == 1 and html.count("<circle") == 1
    assert "Alphaville Innovation Hub (champion)" in html
    assert "<table" in html and "Connector or intermediary" in html


def test_gaps_show_missing_and_weak_sectors_against_the_seeds_list(eco: Eco) -> None:
    page = eco.client_for("lead_expert").get(reverse("ecosystem:map", kwargs={"pk": eco.cast.city_a.pk}))
    gaps = {label: gap.status for label, gap in page.context["gaps"]}
    assert gaps[str(Sector.INNOVATION_HUB.label)] == "covered"  # a highly committed hub
    assert gaps[str(Sector.UTILITY.label)] == "weak"  # commitment not known
    assert gaps[str(Sector.TRANSPORT.label)] == "missing"
    assert str(Sector.OTHER.label) not in gaps
    assert "Missing: no organisation" in page.content.decode()


def test_gaps_and_quadrants_arithmetic() -> None:
    found = mapping.gaps(["a", "b", "c"], [("a", "high"), ("b", "low"), ("b", None)], frozenset({"low", "unknown"}))
    assert [(g.sector, g.status, g.organisations, g.committed) for g in found] == [
        ("a", "covered", 1, 1),
        ("b", "weak", 2, 0),
        ("c", "missing", 0, 0),
    ]
    assert [mapping.quadrant(5, 5), mapping.quadrant(5, 1), mapping.quadrant(1, 5), mapping.quadrant(3, 3)] == [
        "manage",
        "satisfy",
        "inform",
        "monitor",
    ]


def test_the_grid_escapes_names() -> None:
    svg = mapping.grid_svg(
        [mapping.Placed(1, "<script>x</script>", 2, 2, False)],
        words={
            k: k
            for k in ("title", "desc", "influence", "interest", "manage", "satisfy", "inform", "monitor", "champion")
        },
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def _profile(eco: Eco, persona: str, **changes: Any) -> Any:
    data = {"version": 1, "role": "connector", "influence": 4, "interest": 5, "commitment": "high", "champion": "on"}
    data.update(changes)
    url = reverse("ecosystem:stakeholder_save", kwargs={"pk": eco.hub.pk})
    return eco.client_for(persona).post(url, data)


def test_the_city_team_maps_an_organisation(eco: Eco) -> None:
    organisation = OrganisationFactory.create(city=eco.cast.city_a, name="Alphaville University", sector="knowledge")
    url = reverse("ecosystem:stakeholder_save", kwargs={"pk": organisation.pk})
    data = {"version": 0, "role": "knowledge", "influence": 3, "interest": 4, "commitment": "medium"}
    assert eco.client_for("rep_a").post(url, data).status_code == 302
    saved = Stakeholder.objects.get(organisation=organisation)
    assert (saved.influence, saved.interest, saved.champion) == (3, 4, False)


@pytest.mark.parametrize("value", ["0", "6", "-1", "three"])
def test_an_influence_out_of_range_is_refused_with_a_message(eco: Eco, value: str) -> None:
    response = _profile(eco, "rep_a", influence=value, remarks="Changed")
    assert response.status_code == 400
    errors = response.context["form"].errors["influence"]
    assert errors and ("1 to 5" in errors[0] or "whole number" in errors[0])
    assert Stakeholder.objects.get(organisation=eco.hub).remarks == ""


def test_an_over_long_remark_is_refused_and_nothing_saved(eco: Eco) -> None:
    response = _profile(eco, "lead_expert", remarks="x" * 2_001, influence=1)
    assert response.status_code == 400 and "remarks" in response.context["form"].errors
    assert Stakeholder.objects.get(organisation=eco.hub).influence == 4


def test_a_second_editor_working_on_an_old_version_is_refused(eco: Eco) -> None:
    assert _profile(eco, "lead_expert", remarks="First").status_code == 302
    refused = _profile(eco, "rep_a", remarks="Second")
    assert "Someone else saved this" in refused.content.decode()
    assert Stakeholder.objects.get(organisation=eco.hub).remarks == "First"


def test_the_mayor_reads_the_map_but_cannot_change_it(eco: Eco) -> None:
    client = eco.client_for("mayor_a")
    assert client.get(reverse("ecosystem:stakeholder", kwargs={"pk": eco.hub.pk})).status_code == 200
    assert _profile(eco, "mayor_a", influence=1).status_code == 403
    assert Stakeholder.objects.get(organisation=eco.hub).influence == 4


def test_a_stakeholder_of_another_city_is_404(eco: Eco) -> None:
    elsewhere = OrganisationFactory.create(city=eco.cast.city_b, name="Betatown Lab")
    for name in ("ecosystem:stakeholder", "ecosystem:stakeholder_save", "ecosystem:contact_add"):
        url = reverse(name, kwargs={"pk": elsewhere.pk})
        client = eco.client_for("rep_a")
        response = client.get(url) if name == "ecosystem:stakeholder" else client.post(url, {"name": "X"})
        assert response.status_code == 404, name
    assert not Contact.objects.filter(organisation=elsewhere).exists()


def test_contacts_are_added_and_seen_only_by_the_citys_people(eco: Eco) -> None:
    url = reverse("ecosystem:contact_add", kwargs={"pk": eco.hub.pk})
    assert eco.client_for("rep_a").post(url, {"name": "  ", "email": "not-an-address"}).status_code == 400
    assert eco.client_for("rep_a").post(url, {"name": "Bo Imaginary", "email": "bo@example.org"}).status_code == 302
    page = reverse("ecosystem:stakeholder", kwargs={"pk": eco.hub.pk})
    assert "Bo Imaginary" in eco.client_for("organiser").get(page).content.decode()
    for persona in ("thematic_expert", "transversal_expert", "rep_b", "stakeholder", "mentor"):
        assert eco.client_for(persona).get(page).status_code == 404, persona


def test_the_map_reads_a_fixed_number_of_queries(eco: Eco) -> None:
    city = eco.cast.city_a
    client = eco.client_for("rep_a")
    url = reverse("ecosystem:map", kwargs={"pk": city.pk})
    client.get(url)
    small = count_queries(client, url)
    assert small <= 16
    for n in range(20):
        organisation = OrganisationFactory.create(city=city, name=f"Member {n}", sector=Sector.SME)
        Stakeholder.objects.create(organisation=organisation, role="user", influence=1 + n % 5, interest=1 + n % 3)
        Contact.objects.create(organisation=organisation, name=f"Person {n}")
    client.get(url)  # the same warm caches as the first count
    assert count_queries(client, url) <= small
    response = client.get(url)
    assert response.content.decode().count("Member ") >= 20
