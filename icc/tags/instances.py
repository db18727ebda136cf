"""Seeded generators of realistic synthetic TAG-formation and brain-date instances.

The instances look like an edition of the programme: a handful of themes of uneven
popularity, core cities spread over European countries roughly in proportion to their
size, EU and international mentors that each mentor one or two primary themes (and
sometimes a secondary one), capacities that leave a modest margin of places over core
cities in every theme, and mentor preferences that crowd around a few well-known mentors.
Brain-date picks mostly stay within a city's theme and favour a few popular projects.

Everything here is pure and deterministic for a given seed, so tests and benchmarks can
rebuild the same instance.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from icc.optimiser import (
    BrainDateProblem,
    BrainDateSettings,
    CoreCity,
    FormationSettings,
    LabCity,
    MentorCity,
    TagProblem,
)

THEMES: tuple[str, ...] = (
    "green-economy",
    "digital-inclusion",
    "mobility",
    "tourism",
    "health",
    "governance",
    "resilience",
)

NETWORKS: tuple[str, ...] = (
    "Eurocities",
    "ICLEI",
    "Covenant of Mayors",
    "Open & Agile Smart Cities",
    "Major Cities of Europe",
    "Energy Cities",
    "C40",
)

# Land borders between the EU member states and the European countries around them.
_BORDER_LIST: dict[str, tuple[str, ...]] = {
    "AT": ("DE", "CZ", "SK", "HU", "SI", "IT", "CH", "LI"),
    "BE": ("FR", "LU", "DE", "NL"),
    "BG": ("RO", "GR", "TR", "RS", "MK"),
    "HR": ("SI", "HU", "RS", "BA", "ME"),
    "CY": (),
    "CZ": ("DE", "PL", "SK", "AT"),
    "DK": ("DE",),
    "EE": ("LV", "RU"),
    "FI": ("SE", "NO", "RU"),
    "FR": ("BE", "LU", "DE", "CH", "IT", "ES", "AD", "MC"),
    "DE": ("DK", "PL", "CZ", "AT", "CH", "FR", "LU", "BE", "NL"),
    "GR": ("AL", "MK", "BG", "TR"),
    "HU": ("AT", "SK", "UA", "RO", "RS", "HR", "SI"),
    "IE": ("GB",),
    "IT": ("FR", "CH", "AT", "SI", "SM", "VA"),
    "LV": ("EE", "LT", "BY", "RU"),
    "LT": ("LV", "BY", "PL", "RU"),
    "LU": ("BE", "DE", "FR"),
    "MT": (),
    "NL": ("BE", "DE"),
    "PL": ("DE", "CZ", "SK", "UA", "BY", "LT", "RU"),
    "PT": ("ES",),
    "RO": ("HU", "UA", "MD", "BG", "RS"),
    "SK": ("CZ", "PL", "UA", "HU", "AT"),
    "SI": ("IT", "AT", "HU", "HR"),
    "ES": ("PT", "FR", "AD"),
    "SE": ("NO", "FI"),
    "NO": ("SE", "FI", "RU"),
    "CH": ("DE", "FR", "IT", "AT", "LI"),
    "RS": ("HU", "RO", "BG", "MK", "ME", "BA", "HR", "AL"),
    "TR": ("GR", "BG"),
    "UA": ("PL", "SK", "HU", "RO", "MD"),
    "MD": ("RO", "UA"),
    "MK": ("RS", "BG", "GR", "AL"),
    "AL": ("ME", "MK", "GR", "RS"),
    "ME": ("HR", "BA", "RS", "AL"),
    "BA": ("HR", "RS", "ME"),
    "GB": ("IE",),
}


def _symmetric(table: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    neighbours: dict[str, set[str]] = {}
    for country, others in table.items():
        neighbours.setdefault(country, set())
        for other in others:
            neighbours[country].add(other)
            neighbours.setdefault(other, set()).add(country)
    return {country: frozenset(others) for country, others in neighbours.items()}


LAND_BORDERS: dict[str, frozenset[str]] = _symmetric(_BORDER_LIST)

EU_COUNTRIES: frozenset[str] = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)

# Weights for where core cities come from (roughly population), and a GDP-per-head index (EU = 100).
_CORE_COUNTRIES: dict[str, tuple[float, float]] = {
    "DE": (8.0, 120),
    "FR": (6.5, 105),
    "IT": (6.0, 95),
    "ES": (5.5, 85),
    "PL": (4.0, 75),
    "RO": (2.5, 70),
    "NL": (2.2, 130),
    "BE": (1.6, 120),
    "GR": (1.6, 65),
    "CZ": (1.5, 90),
    "PT": (1.5, 75),
    "SE": (1.3, 120),
    "HU": (1.3, 75),
    "AT": (1.2, 125),
    "BG": (1.0, 55),
    "DK": (0.8, 135),
    "FI": (0.8, 110),
    "SK": (0.8, 70),
    "IE": (0.7, 190),
    "HR": (0.6, 70),
    "LT": (0.5, 85),
    "SI": (0.4, 90),
    "LV": (0.4, 70),
    "EE": (0.3, 85),
    "CY": (0.2, 90),
    "LU": (0.15, 250),
    "MT": (0.15, 100),
    "NO": (0.5, 150),
    "RS": (0.5, 45),
    "TR": (0.6, 60),
    "UA": (0.5, 30),
    "MK": (0.2, 40),
}

_INTERNATIONAL_COUNTRIES: dict[str, float] = {
    "US": 150,
    "CA": 120,
    "JP": 105,
    "KR": 110,
    "AU": 130,
    "SG": 200,
    "BR": 40,
    "MX": 45,
    "IN": 20,
    "CO": 35,
    "TW": 115,
    "NZ": 110,
}

_TOWNS = [
    "Alder",
    "Amber",
    "Ash",
    "Birch",
    "Bright",
    "Cedar",
    "Clear",
    "Cold",
    "Crown",
    "Deep",
    "Elm",
    "Fair",
    "Fern",
    "Fox",
    "Glen",
    "Gold",
    "Green",
    "Grey",
    "Hart",
    "Hazel",
    "High",
    "Holly",
    "Iron",
    "Ivy",
    "Kings",
    "Lark",
    "Linden",
    "Long",
    "Maple",
    "Marsh",
    "Mill",
    "Moss",
    "North",
    "Oak",
    "Pine",
    "Quarry",
    "Raven",
    "Red",
    "Ridge",
    "Rose",
    "Rowan",
    "Salt",
    "Silver",
    "Sky",
    "Stone",
    "Storm",
    "Summer",
    "Swan",
    "Thorn",
    "West",
    "White",
    "Willow",
    "Wolf",
    "Yew",
]
_SUFFIXES = ("burg", "ford", "haven", "mouth", "stad", "field", "port", "bridge", "wick", "by", "dale", "ton")


def town_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct invented town names."""
    names = [f"{stem}{suffix}" for stem in _TOWNS for suffix in _SUFFIXES]
    rng.shuffle(names)
    if count <= len(names):
        return names[:count]
    return [f"{names[i % len(names)]} {i // len(names) + 1}" for i in range(count)]


def _pick_weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _theme_weights(themes: Sequence[str]) -> dict[str, float]:
    """Uneven theme popularity: the first theme is about three times as popular as the last."""
    count = len(themes)
    return {theme: 1.0 + 2.0 * (count - 1 - i) / max(1, count - 1) for i, theme in enumerate(themes)}


def _city_size(rng: random.Random, median: float, spread: float) -> tuple[int, float]:
    population = int(max(15_000, min(9_000_000, rng.lognormvariate(math.log(median), spread))))
    density = rng.lognormvariate(math.log(2_200), 0.55)
    return population, round(population / density, 1)


def tag_instance(
    cities: int = 136,
    mentors: int = 12,
    *,
    themes: int = 5,
    international_share: float = 0.35,
    margin: float = 0.12,
    pins: int = 0,
    forbids: int = 0,
    seed: int = 0,
    settings: FormationSettings | None = None,
) -> TagProblem:
    """A TAG-formation problem with ``cities`` core cities and ``mentors`` mentor cities.

    Capacities are raised, theme by theme, until the mentors of every theme can take at
    least ``1 + margin`` times its core cities, so a solution without theme mismatches
    usually exists but places are not plentiful. ``pins`` cities are pinned to a mentor
    of their theme and ``forbids`` random city–mentor pairs are forbidden, chosen so that
    they never contradict each other.
    """
    settings = settings or FormationSettings()
    rng = random.Random(seed)
    theme_keys = THEMES[: max(1, min(themes, len(THEMES)))]
    popularity = _theme_weights(theme_keys)
    country_weights = {code: weight for code, (weight, _gdp) in _CORE_COUNTRIES.items()}
    names = town_names(cities + mentors, rng)

    mentor_list: list[MentorCity] = []
    international = max(1 if mentors > 1 and international_share > 0 else 0, round(mentors * international_share))
    international = min(international, mentors - 1) if mentors > 1 else 0
    for index in range(mentors):
        is_eu = index >= international
        count = 1 if rng.random() < 0.6 else 2
        # Make sure every theme has at least one mentor leading it as a primary theme.
        first = theme_keys[index % len(theme_keys)] if index < len(theme_keys) else _pick_weighted(rng, popularity)
        primary = {first}
        while len(primary) < min(count, len(theme_keys)):
            primary.add(_pick_weighted(rng, popularity))
        others = [theme for theme in theme_keys if theme not in primary]
        secondary = {rng.choice(others)} if others and rng.random() < 0.45 else set()
        if is_eu:
            country = _pick_weighted(rng, country_weights)
            gdp = _CORE_COUNTRIES[country][1] * rng.uniform(0.85, 1.35)
            borders = LAND_BORDERS.get(country, frozenset())
        else:
            country = rng.choice(sorted(_INTERNATIONAL_COUNTRIES))
            gdp = _INTERNATIONAL_COUNTRIES[country] * rng.uniform(0.85, 1.3)
            borders = frozenset()
        population, area = _city_size(rng, 700_000, 0.9)
        mentor_list.append(
            MentorCity(
                id=f"m{index + 1:03d}",
                name=names[cities + index],
                primary_themes=frozenset(sorted(primary)),
                secondary_themes=frozenset(secondary),
                eu=is_eu,
                capacity=1,
                population=population,
                country=country,
                area_km2=area,
                gdp_per_head=round(gdp * 330, -1),
                networks=frozenset(rng.sample(NETWORKS, rng.randint(1, 3))),
                borders=borders,
            )
        )

    city_themes = [_pick_weighted(rng, popularity) for _ in range(cities)]
    demand = Counter(city_themes)
    mentor_list = _set_capacities(mentor_list, demand, settings.max_size, margin, rng)

    # Mentors that many cities have heard of get asked for more often.
    fame = {mentor.id: rng.lognormvariate(0, 0.9) for mentor in mentor_list}
    city_list: list[CoreCity] = []
    for index in range(cities):
        theme = city_themes[index]
        country = _pick_weighted(rng, country_weights)
        population, area = _city_size(rng, 160_000, 1.0)
        gdp = _CORE_COUNTRIES[country][1] * rng.uniform(0.7, 1.3)
        voiced = 0 if rng.random() < 0.2 else rng.choice((1, 2, 3, 3, 3))
        preferences: list[str] = []
        thematic = [m for m in mentor_list if theme in m.primary_themes | m.secondary_themes]
        for _ in range(voiced):
            pool = thematic if thematic and rng.random() < 0.85 else mentor_list
            choices = [m for m in pool if m.id not in preferences]
            if not choices:
                break
            weights = [fame[m.id] * (1.5 if m.eu == (country in EU_COUNTRIES) else 1.0) for m in choices]
            preferences.append(rng.choices(choices, weights=weights)[0].id)
        networks: set[str] = set()
        for network in NETWORKS:
            if network != "C40" and rng.random() < 0.22:
                networks.add(network)
        city_list.append(
            CoreCity(
                id=f"c{index + 1:04d}",
                name=names[index],
                theme=theme,
                preferences=tuple(preferences),
                population=population,
                country=country,
                eu=country in EU_COUNTRIES,
                area_km2=area,
                gdp_per_head=round(gdp * 330, -1),
                networks=frozenset(networks),
                borders=LAND_BORDERS.get(country, frozenset()),
            )
        )

    pin_set, forbid_set = _rules(city_list, mentor_list, pins, forbids, settings, rng)
    return TagProblem(
        cities=tuple(city_list),
        mentors=tuple(mentor_list),
        pins=pin_set,
        forbids=forbid_set,
        settings=settings,
    )


def _set_capacities(
    mentors: list[MentorCity], demand: Mapping[str, int], max_size: int, margin: float, rng: random.Random
) -> list[MentorCity]:
    """Raise capacities until every theme's mentors offer ``1 + margin`` times its demand in places."""
    capacity = {mentor.id: 1 for mentor in mentors}
    by_id = {mentor.id: mentor for mentor in mentors}
    limit = 8

    def places(theme: str) -> int:
        return sum(capacity[m.id] * max_size for m in mentors if theme in m.primary_themes | m.secondary_themes)

    def shared(theme: str) -> float:
        """Places of the theme's mentors, each split evenly over the themes it mentors."""
        return sum(
            capacity[m.id] * max_size / len(m.primary_themes | m.secondary_themes)
            for m in mentors
            if theme in m.primary_themes | m.secondary_themes
        )

    total = sum(demand.values())
    for _ in range(10 * len(mentors) * limit):
        short = [
            theme
            for theme, need in sorted(demand.items())
            if shared(theme) < (1 + margin) * need or places(theme) < (1 + margin) * need
        ]
        if not short and sum(capacity.values()) * max_size >= (1 + margin) * total:
            break
        theme = short[0] if short else rng.choice(sorted(demand))
        candidates = [m for m in mentors if theme in m.primary_themes | m.secondary_themes and capacity[m.id] < limit]
        if not candidates:
            break
        chosen = min(candidates, key=lambda m: (capacity[m.id], theme not in m.primary_themes, rng.random()))
        capacity[chosen.id] += 1
    return [_replace_capacity(by_id[mentor.id], capacity[mentor.id]) for mentor in mentors]


def _replace_capacity(mentor: MentorCity, capacity: int) -> MentorCity:
    from dataclasses import replace

    return replace(mentor, capacity=capacity)


def _rules(
    cities: Sequence[CoreCity],
    mentors: Sequence[MentorCity],
    pins: int,
    forbids: int,
    settings: FormationSettings,
    rng: random.Random,
) -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    pinned: dict[str, str] = {}
    load: Counter[str] = Counter()
    order = list(cities)
    rng.shuffle(order)
    for city in order:
        if len(pinned) >= pins:
            break
        options = [
            m
            for m in mentors
            if city.theme in m.primary_themes | m.secondary_themes and load[m.id] < m.capacity * settings.min_size
        ]
        if options:
            mentor = rng.choice(options)
            pinned[city.id] = mentor.id
            load[mentor.id] += 1
    forbidden: set[tuple[str, str]] = set()
    attempts = 0
    while len(forbidden) < forbids and attempts < 50 * (forbids + 1) and len(mentors) > 1:
        attempts += 1
        city = rng.choice(cities)
        mentor = rng.choice(mentors)
        if pinned.get(city.id) == mentor.id:
            continue
        forbidden.add((city.id, mentor.id))
    return frozenset(pinned.items()), frozenset(forbidden)


def brain_date_instance(
    cities: int = 136,
    picks: int = 5,
    *,
    themes: int = 5,
    same_theme: float = 0.75,
    silent_share: float = 0.04,
    seed: int = 0,
    settings: BrainDateSettings | None = None,
) -> BrainDateProblem:
    """A brain-date problem: each city ranks up to ``picks`` other cities' projects.

    About ``same_theme`` of the picks stay within the picking city's theme and popular
    projects attract more picks; ``silent_share`` of the cities pick nobody at all and a
    few more pick fewer than ``picks``.
    """
    rng = random.Random(seed)
    theme_keys = THEMES[: max(1, min(themes, len(THEMES)))]
    popularity = _theme_weights(theme_keys)
    names = town_names(cities, rng)
    ids = [f"c{index + 1:04d}" for index in range(cities)]
    theme_of = {city: _pick_weighted(rng, popularity) for city in ids}
    appeal = {city: rng.lognormvariate(0, 0.8) for city in ids}
    lab_cities: list[LabCity] = []
    for index, city in enumerate(ids):
        if rng.random() < silent_share:
            count = 0
        elif rng.random() < 0.1:
            count = rng.randint(1, max(1, picks - 1))
        else:
            count = picks
        chosen: list[str] = []
        same = [other for other in ids if other != city and theme_of[other] == theme_of[city]]
        anyone = [other for other in ids if other != city]
        for _ in range(min(count, len(anyone))):
            pool = same if same and rng.random() < same_theme else anyone
            options = [other for other in pool if other not in chosen]
            if not options:
                options = [other for other in anyone if other not in chosen]
            chosen.append(rng.choices(options, weights=[appeal[other] for other in options])[0])
        lab_cities.append(LabCity(id=city, name=names[index], picks=tuple(chosen)))
    return BrainDateProblem(cities=tuple(lab_cities), settings=settings or BrainDateSettings())
