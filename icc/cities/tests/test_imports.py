from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from icc.accounts.models import Person
from icc.cities.imports import import_cities, import_people
from icc.cities.models import City, Network, Organisation, Role, RoleKind
from icc.core.models import AuditEntry, AuditKind

CITIES_HEADER = "name,country,type,population,latitude,longitude,time_zone,former_dcc,track,networks,current_phase"
GOOD_CITIES = (
    f"{CITIES_HEADER}\n"
    "Braga,PT,eu-core,193333,41.55,-8.42,Europe/Lisbon,yes,green-economy,Eurocities;ICLEI,implementation\n"
    "Tartu,Estonia,EU core city,91407,58.38,26.72,Europe/Tallinn,no,skills,,ambition-roadmap\n"
)


def _import(programme, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return import_cities(programme=programme, data=data, by=None, source="test file")


def test_import_creates_cities_with_all_their_fields(programme):
    result = _import(programme, GOOD_CITIES)

    assert (result.created, result.updated, result.unchanged, result.errors) == (2, 0, 0, [])
    braga = City.objects.get(name="Braga")
    assert braga.country == "PT"
    assert braga.population == 193333
    assert braga.former_dcc is True
    assert braga.track is not None and braga.track.slug == "green-economy"
    assert sorted(n.name for n in braga.networks.all()) == ["Eurocities", "ICLEI"]
    assert braga.current_phase is not None and braga.current_phase.key == "implementation"
    assert City.objects.get(name="Tartu").country == "EE"
    assert AuditEntry.objects.for_object(braga).get().source == "test file"


def test_importing_the_same_file_twice_changes_nothing(programme):
    _import(programme, GOOD_CITIES)
    audit_before = AuditEntry.objects.count()

    result = _import(programme, GOOD_CITIES)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == audit_before


def test_reimport_updates_only_what_changed(programme):
    _import(programme, GOOD_CITIES)

    result = _import(programme, GOOD_CITIES.replace("193333", "200000"))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert City.objects.get(name="Braga").population == 200000
    assert AuditEntry.objects.filter(action=AuditKind.CHANGED).get().changes == {"population": 200000}


def test_semicolon_separated_file_with_decimal_commas_is_read(programme):
    text = "name;country;type;time_zone;latitude;population\nGhent;BE;eu-core;Europe/Brussels;51,05;1.234.567\n"

    result = _import(programme, text)

    assert result.ok, result.errors
    ghent = City.objects.get(name="Ghent")
    assert str(ghent.latitude) == "51.05000"
    assert ghent.population == 1234567


def _messages(result) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in result.errors]


def test_missing_column_is_reported_and_nothing_saved(programme):
    result = _import(programme, "name,country,type\nBraga,PT,eu-core\n")

    assert _messages(result) == [(1, "time_zone")]
    assert "missing" in result.errors[0].message
    assert not City.objects.exists()


def test_bad_values_are_each_reported_with_row_and_column(programme):
    text = (
        f"{CITIES_HEADER}\n"
        "Braga,PT,eu-core,193333,41.55,-8.42,Europe/Lisbon,no,,,\n"
        "Atlantis,XX,eu-core,12,0,0,Europe/Lisbon,no,,,\n"
        "Tartu,EE,eu-core,lots,58.38,26.72,Europe/Tallinn,no,,,\n"
        "Nowhere,DE,capital,1,95,0,Mars/Olympus,maybe,no-such-track,,no-such-phase\n"
        "braga,PT,eu-core,1,41.55,-8.42,Europe/Lisbon,no,,,\n"
    )

    result = _import(programme, text)

    assert set(_messages(result)) == {
        (3, "country"),
        (4, "population"),
        (5, "type"),
        (5, "latitude"),
        (5, "time_zone"),
        (5, "former_dcc"),
        (5, "track"),
        (5, "current_phase"),
        (6, "name"),
    }
    assert "Unknown country “XX”" in next(e.message for e in result.errors if e.column == "country")
    assert "already on row 2" in next(e.message for e in result.errors if e.row == 6)
    assert not City.objects.exists()


def test_file_that_is_not_utf8_is_refused(programme):
    result = _import(programme, (CITIES_HEADER + "\nMünster,DE,eu-core,1,1,1,Europe/Berlin,no,,,\n").encode("latin-1"))

    assert len(result.errors) == 1
    assert "not UTF-8" in result.errors[0].message
    assert result.errors[0].row == 2
    assert not City.objects.exists()


def test_header_only_and_empty_files_are_refused(programme):
    assert "no rows" in _import(programme, CITIES_HEADER + "\n").errors[0].message
    assert "empty" in _import(programme, "").errors[0].message


def test_unknown_and_duplicated_columns_are_refused(programme):
    result = _import(programme, "name,country,type,time_zone,popultion,name\nA,PT,eu-core,Europe/Lisbon,1,A\n")

    assert set(_messages(result)) == {(1, "popultion"), (1, "name")}


def test_former_dcc_mentor_is_refused(programme):
    text = "name,country,type,time_zone,former_dcc\nAarhus,DK,eu-mentor,Europe/Copenhagen,yes\n"

    assert _messages(_import(programme, text)) == [(2, "former_dcc")]


PEOPLE_HEADER = "email,full_name,role,city,country,theme,service,organisation,sector"


def _people(programme, text: str, **kwargs):
    return import_people(programme=programme, data=text.encode(), by=None, source="people file", **kwargs)


def test_people_import_creates_people_roles_and_organisations(programme):
    _import(programme, GOOD_CITIES)
    text = (
        f"{PEOPLE_HEADER}\n"
        "ana@braga.example,Ana Silva,city-rep,Braga,PT,,,,\n"
        "ana@braga.example,Ana Silva,stakeholder,Braga,,,,Braga Innovation Hub,innovation-hub\n"
        "leo@experts.example,Leo Lead,lead-expert,Braga,,,,,\n"
        "tess@experts.example,Tess Theme,Thematic expert,,,skills,,,\n"
        "fin@experts.example,Fin Finance,transversal-expert,,,,finance,,\n"
        "olga@office.example,Olga Office,programme-team,,,,,,\n"
    )

    result = _people(programme, text)

    assert result.ok, result.errors
    assert Person.objects.count() == 5
    ana = Person.objects.get(email="ana@braga.example")
    assert sorted(ana.roles.values_list("kind", flat=True)) == ["city-rep", "stakeholder"]
    assert ana.roles.get(kind="stakeholder").organisation == Organisation.objects.get(name="Braga Innovation Hub")
    theme = Role.objects.get(kind=RoleKind.THEMATIC_EXPERT).theme
    assert theme is not None and theme.slug == "skills"
    assert not ana.has_usable_password()

    again = _people(programme, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_people_import_is_all_or_nothing(programme):
    _import(programme, GOOD_CITIES)
    text = (
        f"{PEOPLE_HEADER}\n"
        "one@braga.example,One,city-rep,Braga,,,,,\n"
        "two@braga.example,Two,city-rep,Braga,,,,,\n"
        "three@braga.example,Three,city-rep,Braga,,,,,\n"
        "four@braga.example,Four,city-rep,Braga,,,,,\n"
        "not-an-email,Five,mayor,Braga,,,,,\n"
        "six@x.example,Six,lead-expert,Gotham,,,,,\n"
        "seven@x.example,Seven,thematic-expert,,,,,,\n"
        "one@braga.example,Someone Else,mayor,Braga,,,,,\n"
        "eight@x.example,Eight,wizard,,,,,,\n"
    )

    result = _people(programme, text)

    assert set(_messages(result)) == {
        (5, "role"),
        (6, "email"),
        (7, "city"),
        (8, "theme"),
        (9, "full_name"),
        (10, "role"),
    }
    assert "already has 3 city representatives" in next(e.message for e in result.errors if e.row == 5)
    assert not Person.objects.exists()
    assert not Role.objects.exists()


def test_people_import_can_send_invitations(programme, mailoutbox, django_capture_on_commit_callbacks):
    _import(programme, GOOD_CITIES)

    with django_capture_on_commit_callbacks(execute=True):
        _people(programme, f"{PEOPLE_HEADER}\nana@braga.example,Ana Silva,city-rep,Braga,,,,,\n", invite=True)

    assert [m.to for m in mailoutbox] == [["ana@braga.example"]]
    assert "/accounts/invitation/" in mailoutbox[0].body


def test_upload_over_the_limit_is_refused_before_reading(cast):
    client = cast.client_for("organiser")
    big = SimpleUploadedFile("cohort.csv", b"x" * (50 * 1024 * 1024), content_type="text/csv")

    response = client.post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}), {"kind": "cities", "file": big}
    )

    assert response.status_code == 200
    assert "the limit is 5 MB" in response.content.decode()
    assert City.objects.count() == 3


def test_upload_with_errors_shows_them_and_saves_nothing(cast):
    client = cast.client_for("organiser")
    upload = SimpleUploadedFile("cohort.csv", b"name,country,type,time_zone\nX,XX,eu-core,Europe/Lisbon\n")

    response = client.post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}), {"kind": "cities", "file": upload}
    )

    page = response.content.decode()
    assert "Nothing was saved: 1 problem" in page
    assert "Unknown country" in page
    assert City.objects.count() == 3


def test_good_upload_redirects_with_a_summary(cast):
    client = cast.client_for("organiser")
    upload = SimpleUploadedFile("cohort.csv", GOOD_CITIES.encode())

    response = client.post(
        reverse("cities:import", kwargs={"slug": cast.programme.slug}), {"kind": "cities", "file": upload}, follow=True
    )

    assert "2 created, 0 updated, 0 unchanged" in response.content.decode()
    assert City.objects.count() == 5


def test_roles_given_by_earlier_rows_count_for_the_rules_of_later_rows(programme):
    _import(programme, GOOD_CITIES)
    text = (
        f"{PEOPLE_HEADER}\n"
        "may@braga.example,May Or,mayor,Braga,,,,,\n"
        "other@braga.example,Other Mayor,mayor,Braga,,,,,\n"
    )

    result = _people(programme, text)

    assert _messages(result) == [(3, "role")]
    assert "already has a mayor: May Or" in result.errors[0].message
    assert not Person.objects.exists()


def test_an_organisation_named_on_several_rows_is_added_once(programme):
    _import(programme, GOOD_CITIES)
    text = (
        f"{PEOPLE_HEADER}\n"
        "ana@braga.example,Ana Silva,stakeholder,Braga,,,,Braga Hub,innovation-hub\n"
        "rui@braga.example,Rui Costa,stakeholder,Braga,,,,braga hub,\n"
    )

    result = _people(programme, text)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    hub = Organisation.objects.get()
    assert (hub.name, hub.sector) == ("Braga Hub", "innovation-hub")
    assert set(Role.objects.values_list("organisation", flat=True)) == {hub.pk}
    assert AuditEntry.objects.for_object(hub).get().source == "people file"


def test_a_renamed_person_and_a_moved_stakeholder_count_as_updated(programme):
    _import(programme, GOOD_CITIES)
    _people(programme, f"{PEOPLE_HEADER}\nana@braga.example,Ana Silva,stakeholder,Braga,,,,Hub One,\n")

    result = _people(programme, f"{PEOPLE_HEADER}\nana@braga.example,Ana S. Silva,stakeholder,Braga,,,,Hub Two,\n")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    ana = Person.objects.get()
    assert ana.full_name == "Ana S. Silva"
    organisation = ana.roles.get().organisation
    assert organisation is not None and organisation.name == "Hub Two"


def test_new_networks_are_added_once_and_audited(programme):
    text = (
        "name,country,type,time_zone,networks\n"
        "Braga,PT,eu-core,Europe/Lisbon,Eurocities\n"
        "Tartu,EE,eu-core,Europe/Tallinn,eurocities\n"
    )

    result = _import(programme, text)

    assert result.ok, result.errors
    network = Network.objects.get()
    assert network.name == "Eurocities"
    assert set(network.cities.values_list("name", flat=True)) == {"Braga", "Tartu"}
    assert AuditEntry.objects.for_object(network).get().action == AuditKind.CREATED
