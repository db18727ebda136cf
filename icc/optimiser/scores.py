"""How solutions score, and the reasons behind each score.

TAG formation scores a city–mentor pair on three tiers: theme penalty (see
:func:`theme_penalty`), preference points (3, 2, 1 for a 1st, 2nd, 3rd choice) and
relatability points (see :func:`relatability`). A brain-date group scores, for every
ordered pair where a picked b, ``picks + 1`` minus the rank (5 for a 1st pick down to 1
for a 5th with five picks), plus ``mutual_bonus`` for every pair that picked each other.

Every explanation is a tuple of :class:`~icc.optimiser.problem.Reason`; the codes used
here are worded by the interface.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from icc.optimiser.problem import (
    BrainDateProblem,
    CoreCity,
    MentorCity,
    Placement,
    Reason,
    TagGroup,
    TagProblem,
    TagScore,
)

PREFERENCE_POINTS = (3, 2, 1)
PRIMARY_THEME_POINTS = 2
MAX_RELATABILITY = 4 + 2 + 2 + 6 + 3 + 1 + PRIMARY_THEME_POINTS

# --------------------------------------------------------------------------------------
# TAG formation
# --------------------------------------------------------------------------------------


def preference_rank(city: CoreCity, mentor_id: str) -> int | None:
    """1, 2 or 3 when the city asked for the mentor at that rank, else None."""
    for index, wanted in enumerate(city.preferences[: len(PREFERENCE_POINTS)]):
        if wanted == mentor_id:
            return index + 1
    return None


def preference_points(rank: int | None) -> int:
    return PREFERENCE_POINTS[rank - 1] if rank else 0


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return max(a, b) / min(a, b)


def relatability(city: CoreCity, mentor: MentorCity) -> tuple[int, tuple[Reason, ...]]:
    """Tier-3 points of a city–mentor pair and the reasons for them.

    Codes: ``similar-size``, ``fairly-similar-size``, ``somewhat-similar-size``,
    ``similar-area``, ``fairly-similar-area``, ``similar-gdp``, ``fairly-similar-gdp``,
    ``shared-networks`` (networks), ``same-country``, ``neighbouring-countries``,
    ``both-eu``, ``both-outside-eu``. The primary-theme points have no reason of their
    own: the theme reason of :func:`explain_placement` says it.
    """
    points = 0
    reasons: list[Reason] = []
    ratio = _ratio(city.population, mentor.population)
    if ratio is not None:
        for limit, score, code in (
            (1.5, 4, "similar-size"),
            (2.0, 3, "similar-size"),
            (3.0, 2, "fairly-similar-size"),
            (5.0, 1, "somewhat-similar-size"),
        ):
            if ratio <= limit:
                points += score
                reasons.append(Reason.of(code))
                break
    ratio = _ratio(city.area_km2, mentor.area_km2)
    if ratio is not None:
        if ratio <= 1.5:
            points += 2
            reasons.append(Reason.of("similar-area"))
        elif ratio <= 2.5:
            points += 1
            reasons.append(Reason.of("fairly-similar-area"))
    ratio = _ratio(city.gdp_per_head, mentor.gdp_per_head)
    if ratio is not None:
        if ratio <= 1.2:
            points += 2
            reasons.append(Reason.of("similar-gdp"))
        elif ratio <= 1.5:
            points += 1
            reasons.append(Reason.of("fairly-similar-gdp"))
    shared = tuple(sorted(city.networks & mentor.networks))
    if shared:
        points += 3 * min(2, len(shared))
        reasons.append(Reason.of("shared-networks", networks=shared))
    if city.country and city.country == mentor.country:
        points += 3
        reasons.append(Reason.of("same-country"))
    elif city.country and mentor.country and (mentor.country in city.borders or city.country in mentor.borders):
        points += 2
        reasons.append(Reason.of("neighbouring-countries"))
    if city.eu == mentor.eu:
        points += 1
        reasons.append(Reason.of("both-eu" if city.eu else "both-outside-eu"))
    if city.theme in mentor.primary_themes:
        points += PRIMARY_THEME_POINTS
    return points, tuple(reasons)


def theme_penalty(city: CoreCity, mentor: MentorCity, tag_theme: str) -> int:
    """0 when the city shares its TAG's theme, 1 when only the mentor mentors it, 2 otherwise."""
    if city.theme == tag_theme:
        return 0
    return 1 if city.theme in mentor.themes else 2


def theme_reason(city: CoreCity, mentor: MentorCity, tag_theme: str) -> Reason:
    """``same-theme``, ``other-theme-mentored`` or ``other-theme-not-mentored``.

    ``level`` is "primary" or "secondary": how the mentor mentors the city's theme.
    """
    level = "primary" if city.theme in mentor.primary_themes else "secondary"
    if city.theme == tag_theme:
        return Reason.of("same-theme", theme=city.theme, level=level)
    if city.theme in mentor.themes:
        return Reason.of("other-theme-mentored", tag_theme=tag_theme, theme=city.theme, level=level)
    return Reason.of("other-theme-not-mentored", tag_theme=tag_theme, theme=city.theme)


def explain_placement(
    city: CoreCity, mentor: MentorCity, tag_theme: str, *, pinned: bool = False
) -> tuple[int, int | None, int, tuple[Reason, ...]]:
    """(theme penalty, preference rank, relatability points, reasons) of one placement.

    The reasons are, in order: ``pinned`` when the pair is pinned; the theme reason;
    ``preference`` (rank), ``not-preferred`` or ``no-preferences``; the relatability
    reasons, or ``little-in-common`` when there are none.
    """
    penalty = theme_penalty(city, mentor, tag_theme)
    rank = preference_rank(city, mentor.id)
    points, common = relatability(city, mentor)
    reasons: list[Reason] = []
    if pinned:
        reasons.append(Reason.of("pinned"))
    reasons.append(theme_reason(city, mentor, tag_theme))
    if rank:
        reasons.append(Reason.of("preference", rank=rank))
    elif city.preferences:
        reasons.append(Reason.of("not-preferred"))
    else:
        reasons.append(Reason.of("no-preferences"))
    reasons.extend(common or (Reason.of("little-in-common"),))
    return penalty, rank, points, tuple(reasons)


def score_tags(problem: TagProblem, groups: Iterable[TagGroup]) -> TagScore:
    """Score TAGs independently of how they were found (hard rules are not checked here)."""
    cities = {city.id: city for city in problem.cities}
    mentors = {mentor.id: mentor for mentor in problem.mentors}
    pins = set(problem.pins)
    placements = []
    totals = [0, 0, 0]
    for group in groups:
        mentor = mentors[group.mentor_id]
        for city_id in group.city_ids:
            city = cities[city_id]
            penalty, rank, points, reasons = explain_placement(
                city, mentor, group.theme, pinned=(city_id, mentor.id) in pins
            )
            totals[0] += penalty
            totals[1] += preference_points(rank)
            totals[2] += points
            placements.append(Placement(city_id, mentor.id, group.slot, penalty, rank, points, reasons))
    placements.sort(key=lambda p: p.city_id)
    return TagScore(totals[0], totals[1], totals[2], tuple(placements))


def tag_violations(problem: TagProblem, groups: Sequence[TagGroup]) -> list[Reason]:
    """Every hard rule the TAGs break (an empty list for a valid solution).

    Codes: ``unknown-mentor``, ``slot-used-twice``, ``tag-size``, ``tag-theme-not-mentored``,
    ``over-capacity``, ``placed-times``, ``mentor-does-not-mentor``, ``unknown-cities-placed``,
    ``pin-broken``, ``forbid-broken``, ``mentor-kinds-missing``.
    """
    settings = problem.settings
    mentors = {mentor.id: mentor for mentor in problem.mentors}
    found = []
    seen: Counter[str] = Counter()
    home: dict[str, str] = {}
    per_mentor: Counter[str] = Counter()
    slots: set[tuple[str, int]] = set()
    for group in groups:
        mentor = mentors.get(group.mentor_id)
        if mentor is None:
            found.append(Reason.of("unknown-mentor", mentor=group.mentor_id))
            continue
        if (group.mentor_id, group.slot) in slots:
            found.append(Reason.of("slot-used-twice", mentor=mentor.name, slot=group.slot))
        slots.add((group.mentor_id, group.slot))
        per_mentor[group.mentor_id] += 1
        if not settings.min_size <= len(group.city_ids) <= settings.max_size:
            found.append(Reason.of("tag-size", mentor=mentor.name, count=len(group.city_ids)))
        if group.theme not in mentor.themes:
            found.append(Reason.of("tag-theme-not-mentored", mentor=mentor.name, theme=group.theme))
        for city_id in group.city_ids:
            seen[city_id] += 1
            home[city_id] = group.mentor_id
    for mentor_id, count in per_mentor.items():
        if count > mentors[mentor_id].capacity:
            found.append(
                Reason.of(
                    "over-capacity", mentor=mentors[mentor_id].name, count=count, capacity=mentors[mentor_id].capacity
                )
            )
    for city in problem.cities:
        if seen[city.id] != 1:
            found.append(Reason.of("placed-times", city=city.name, count=seen[city.id]))
        elif (
            not settings.allow_theme_mismatch
            and (city.id, home[city.id]) not in problem.pins
            and city.theme not in mentors[home[city.id]].themes
        ):
            found.append(Reason.of("mentor-does-not-mentor", city=city.name, theme=city.theme))
    extra = set(seen) - {city.id for city in problem.cities}
    if extra:
        found.append(Reason.of("unknown-cities-placed", cities=tuple(sorted(extra))))
    for city_id, mentor_id in sorted(problem.pins):
        if home.get(city_id) != mentor_id:
            found.append(Reason.of("pin-broken", city=city_id, mentor=mentor_id))
    for city_id, mentor_id in sorted(problem.forbids):
        if home.get(city_id) == mentor_id:
            found.append(Reason.of("forbid-broken", city=city_id, mentor=mentor_id))
    usable = [m for m in problem.mentors if m.capacity >= 1 and m.themes]
    if settings.both_mentor_kinds and problem.cities and len({m.eu for m in usable}) == 2:
        kinds = {mentors[group.mentor_id].eu for group in groups if group.mentor_id in mentors}
        if len(kinds) < 2:
            found.append(Reason.of("mentor-kinds-missing"))
    return found


# --------------------------------------------------------------------------------------
# Brain dates
# --------------------------------------------------------------------------------------


@dataclass
class Interest:
    """Who picked whom, by city index: ``ranks[a, b]`` lists the ranks at which a picked b.

    ``pairs[a, b]`` (a < b) is the pair's score when both are in one group; only pairs
    where one picked the other appear. ``notes`` says which picks were ignored.
    """

    ranks: dict[tuple[int, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)
    notes: list[Reason] = field(default_factory=list)

    def between(self, a: int, b: int) -> int:
        return self.pairs.get((min(a, b), max(a, b)), 0)

    def group_score(self, members: Sequence[int]) -> int:
        return sum(self.between(a, b) for x, a in enumerate(members) for b in members[x + 1 :])


def pick_interest(problem: BrainDateProblem) -> Interest:
    """The pair scores of a lab; picks of unknown cities, of oneself and beyond the limit are ignored."""
    settings = problem.settings
    index = {city.id: i for i, city in enumerate(problem.cities)}
    interest = Interest()
    for a, city in enumerate(problem.cities):
        for rank, picked in enumerate(city.picks[: settings.picks], start=1):
            b = index.get(picked)
            if b is None:
                interest.notes.append(Reason.of("unknown-pick", city=city.name, pick=picked))
            elif b == a:
                interest.notes.append(Reason.of("self-pick", city=city.name))
            else:
                interest.ranks[a, b].append(rank)
        if len(city.picks) > settings.picks:
            interest.notes.append(Reason.of("too-many-picks", city=city.name, limit=settings.picks))

    def weight(rank: int) -> int:
        return settings.picks + 1 - rank

    for a, b in interest.ranks:
        key = (min(a, b), max(a, b))
        if key in interest.pairs:
            continue
        forward = sum(weight(r) for r in interest.ranks.get(key, []))
        backward = sum(weight(r) for r in interest.ranks.get((key[1], key[0]), []))
        bonus = settings.mutual_bonus if forward and backward else 0
        interest.pairs[key] = forward + backward + bonus
    return interest


def score_brain_dates(problem: BrainDateProblem, groups: Iterable[Sequence[str]]) -> int:
    """The objective of a grouping given as city ids."""
    index = {city.id: i for i, city in enumerate(problem.cities)}
    interest = pick_interest(problem)
    return sum(interest.group_score([index[c] for c in group]) for group in groups)


def explain_brain_date(problem: BrainDateProblem, interest: Interest, members: Sequence[int]) -> tuple[Reason, ...]:
    """Why the cities ``members`` (indices) meet: who picked whom, and who only completes the group.

    Codes: ``mutual-picks`` (city, other, ranks, other_ranks), ``picked`` (city, other,
    ranks) and ``completes-group`` (cities).
    """
    names = {i: problem.cities[i].name for i in members}
    reasons: list[Reason] = []
    member_set = set(members)
    for a in members:
        for b in members:
            ranks = interest.ranks.get((a, b))
            if not ranks:
                continue
            reverse = interest.ranks.get((b, a))
            if reverse and a < b:
                reasons.append(
                    Reason.of(
                        "mutual-picks", city=names[a], other=names[b], ranks=tuple(ranks), other_ranks=tuple(reverse)
                    )
                )
            elif not reverse:
                reasons.append(Reason.of("picked", city=names[a], other=names[b], ranks=tuple(ranks)))
    linked = {i for pair in interest.ranks if pair[0] in member_set and pair[1] in member_set for i in pair}
    fillers = tuple(names[i] for i in members if i not in linked)
    if fillers:
        reasons.append(Reason.of("completes-group", cities=fillers))
    return tuple(reasons)
