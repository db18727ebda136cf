"""The optimiser's reasons in words, in the reader's language.

:mod:`icc.optimiser` explains its results with :class:`~icc.optimiser.Reason` codes and
their parameters; this module words them where they are shown (as
``icc.assessments.scoring`` keeps codes and its views word them). Reasons kept in the
database are stored as JSON (:func:`store`) and worded when read (:func:`worded`), so a
page shows them in the language of whoever reads it; text stored before reasons had
codes is shown as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.contrib.humanize.templatetags.humanize import ordinal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icc.optimiser import Reason

Params = Mapping[str, Any]


def _list(values: Iterable[object], limit: int = 5) -> str:
    """The values joined by commas; beyond ``limit`` of them, the first ``limit`` and how many more."""
    items = [str(value) for value in values]
    shown = ", ".join(items[:limit])
    more = len(items) - limit
    if more <= 0:
        return shown
    return ngettext("%(shown)s and %(count)d more", "%(shown)s and %(count)d more", more) % {
        "shown": shown,
        "count": more,
    }


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _ordinals(ranks: Iterable[int]) -> str:
    return _and([str(ordinal(rank)) for rank in ranks])


def _tags(count: int) -> str:
    return ngettext("%(count)d TAG", "%(count)d TAGs", count) % {"count": count}


def _seconds(value: object) -> str:
    return f"{float(str(value)):g}"


def _tier(name: object) -> str:
    return str(
        {"theme": _("theme"), "preferences": _("preference"), "relatability": _("relatability")}.get(str(name), name)
    )


def _places(p: Params) -> dict[str, Any]:
    return {**p, "tags": _tags(int(p["tags"]))}


def _same_theme(p: Params) -> str:
    if p.get("level") == "primary":
        return _("same theme (%(theme)s, a primary theme of the mentor)") % p
    return _("same theme (%(theme)s, a secondary theme of the mentor)") % p


def _other_theme(p: Params) -> str:
    if p.get("level") == "primary":
        return (
            _("different theme: the TAG works on %(tag_theme)s; the mentor also mentors %(theme)s, a primary theme") % p
        )
    return (
        _("different theme: the TAG works on %(tag_theme)s; the mentor also mentors %(theme)s, a secondary theme") % p
    )


def _networks(p: Params) -> str:
    networks = list(p["networks"])
    return ngettext(
        "both in the same network (%(networks)s)", "both in the same networks (%(networks)s)", len(networks)
    ) % {"networks": ", ".join(networks)}


def _completes(p: Params) -> str:
    cities = list(p["cities"])
    return ngettext(
        "%(cities)s completes the group: no pick links it here",
        "%(cities)s complete the group: no pick links them here",
        len(cities),
    ) % {"cities": _list(cities)}


WORDS: dict[str, Callable[[Params], str]] = {
    # Why a city is in its TAG.
    "pinned": lambda p: _("pinned by the programme team"),
    "same-theme": _same_theme,
    "other-theme-mentored": _other_theme,
    "other-theme-not-mentored": lambda p: (
        _("different theme: the TAG works on %(tag_theme)s and the mentor does not mentor %(theme)s") % p
    ),
    "preference": lambda p: _("%(rank)s preference") % {"rank": ordinal(p["rank"])},
    "not-preferred": lambda p: _("not among its preferences"),
    "no-preferences": lambda p: _("no preferences voiced"),
    "similar-size": lambda p: _("similar size"),
    "fairly-similar-size": lambda p: _("fairly similar size"),
    "somewhat-similar-size": lambda p: _("somewhat similar size"),
    "similar-area": lambda p: _("similar area"),
    "fairly-similar-area": lambda p: _("fairly similar area"),
    "similar-gdp": lambda p: _("similar GDP per head"),
    "fairly-similar-gdp": lambda p: _("fairly similar GDP per head"),
    "shared-networks": _networks,
    "same-country": lambda p: _("same country"),
    "neighbouring-countries": lambda p: _("neighbouring countries"),
    "both-eu": lambda p: _("both in the EU"),
    "both-outside-eu": lambda p: _("both outside the EU"),
    "little-in-common": lambda p: _("little in common in size, networks or geography"),
    # Warnings of a TAG formation run.
    "mentor-without-capacity": lambda p: _("%(mentor)s has no capacity and leads no TAG.") % p,
    "mentor-without-theme": lambda p: _("%(mentor)s mentors no theme and leads no TAG.") % p,
    "unknown-preferences": lambda p: (
        _("%(city)s asked for unknown mentors (%(mentors)s); ignored.") % {**p, "mentors": _list(p["mentors"])}
    ),
    "too-many-preferences": lambda p: (
        _("%(city)s voiced more than %(limit)d preferences; only the first %(limit)d count.") % p
    ),
    "theme-without-mentor": lambda p: (
        ngettext(
            "Theme '%(theme)s' has %(count)d core city but no mentor mentors it.",
            "Theme '%(theme)s' has %(count)d core cities but no mentor mentors it.",
            int(p["count"]),
        )
        % p
    ),
    "theme-short-of-places": lambda p: (
        _(
            "Theme '%(theme)s' has %(count)d core cities but its mentors can lead at most %(tags)s of up to "
            "%(size)d cities (%(places)d places)."
        )
        % _places(p)
    ),
    "theme-mismatches": lambda p: (
        ngettext(
            "%(count)d core city had to join a TAG of a different theme.",
            "%(count)d core cities had to join a TAG of a different theme.",
            int(p["count"]),
        )
        % p
    ),
    "tier-not-proven": lambda p: (
        _("The %(tier)s tier was not proven optimal within the time limit.") % {"tier": _tier(p["tier"])}
    ),
    "tier-without-solution": lambda p: (
        _("The %(tier)s tier found no solution within the time limit; the previous tier's is kept.")
        % {"tier": _tier(p["tier"])}
    ),
    # Why TAG input is infeasible.
    "tag-sizes-invalid": lambda p: _("TAG sizes must satisfy 1 ≤ smallest ≤ largest; got %(low)d to %(high)d.") % p,
    "repeated-core-cities": lambda p: (
        _("Each core city must appear once; repeated: %(ids)s.") % {"ids": _list(p["ids"])}
    ),
    "repeated-mentors": lambda p: _("Each mentor must appear once; repeated: %(ids)s.") % {"ids": _list(p["ids"])},
    "no-mentor": lambda p: _("There is no mentor city that can lead a TAG."),
    "pin-unknown-city": lambda p: _("Pinned pair (%(city)s, %(mentor)s) names an unknown core city.") % p,
    "forbid-unknown-city": lambda p: _("Forbidden pair (%(city)s, %(mentor)s) names an unknown core city.") % p,
    "pin-unknown-mentor": lambda p: _("Pinned pair (%(city)s, %(mentor)s) names an unknown mentor.") % p,
    "forbid-unknown-mentor": lambda p: _("Forbidden pair (%(city)s, %(mentor)s) names an unknown mentor.") % p,
    "pin-unusable-mentor": lambda p: (
        _("%(city)s is pinned to %(mentor)s, which cannot lead a TAG (no capacity or no theme).") % p
    ),
    "pinned-and-forbidden": lambda p: _("%(city)s is both pinned to and forbidden from %(mentor)s.") % p,
    "pinned-to-several": lambda p: (
        _("%(city)s is pinned to %(count)d mentors (%(mentors)s) but can be in only one TAG.")
        % {**p, "mentors": _list(p["mentors"])}
    ),
    "pins-over-capacity": lambda p: (
        ngettext(
            "%(count)d core city is pinned to %(mentor)s, which can lead at most %(tags)s of up to %(size)d cities "
            "(%(places)d places).",
            "%(count)d core cities are pinned to %(mentor)s, which can lead at most %(tags)s of up to %(size)d cities "
            "(%(places)d places).",
            int(p["count"]),
        )
        % {**p, "tags": _tags(int(p["capacity"]))}
    ),
    "all-mentors-forbidden": lambda p: _("%(city)s cannot go to any mentor: every mentor is forbidden for it.") % p,
    "too-few-places": lambda p: (
        _(
            "There are %(count)d core cities but the mentors can lead at most %(tags)s of up to %(size)d cities "
            "(%(places)d places)."
        )
        % _places(p)
    ),
    "cannot-split": lambda p: _("%(count)d core cities cannot be split into TAGs of %(low)d to %(high)d cities.") % p,
    "cannot-split-within": lambda p: (
        _("%(count)d core cities cannot be split into TAGs of %(low)d to %(high)d cities with at most %(tags)s.")
        % _places(p)
    ),
    "too-few-for-both-kinds": lambda p: (
        _(
            "Both EU and international mentors take part, so at least two TAGs are needed, but %(count)d core cities "
            "cannot fill two TAGs of at least %(low)d."
        )
        % p
    ),
    "greedy-failed": lambda p: _("The greedy heuristic could not form valid TAGs for this input."),
    "no-allocation-in-time": lambda p: (
        _(
            "No valid allocation was found within the time limit of %(seconds)s s, and the solver could not prove "
            "that none exists."
        )
        % {"seconds": _seconds(p["seconds"])}
    ),
    "pins-conflict": lambda p: _("The pinned pairs cannot all hold together with the TAG sizes and mentor capacities."),
    "forbids-too-tight": lambda p: _("The forbidden pairs leave too few suitable places to form TAGs of a valid size."),
    "mentor-kinds-impossible": lambda p: _(
        "At least one TAG must be led by an EU mentor and one by an international mentor, and the other rules "
        "leave no way to do both."
    ),
    "themes-cannot-be-cut": lambda p: _(
        "Cities may only join mentors who mentor their theme, and the cities of the themes cannot be cut into "
        "TAGs of a valid size that way."
    ),
    "rules-conflict": lambda p: _("The pins, forbids, TAG sizes and mentor capacities cannot all hold together."),
    # Hard rules a set of TAGs breaks.
    "unknown-mentor": lambda p: _("TAG led by unknown mentor %(mentor)s") % p,
    "slot-used-twice": lambda p: _("%(mentor)s slot %(slot)d used twice") % p,
    "tag-size": lambda p: _("TAG of %(mentor)s has %(count)d cities") % p,
    "tag-theme-not-mentored": lambda p: _("TAG of %(mentor)s works on %(theme)s, which it does not mentor") % p,
    "over-capacity": lambda p: _("%(mentor)s leads %(count)d TAGs, more than %(capacity)d") % p,
    "placed-times": lambda p: _("%(city)s is in %(count)d TAGs") % p,
    "mentor-does-not-mentor": lambda p: _("%(city)s is with a mentor who does not mentor %(theme)s") % p,
    "unknown-cities-placed": lambda p: _("unknown cities placed: %(cities)s") % {"cities": _list(p["cities"])},
    "pin-broken": lambda p: _("pin (%(city)s, %(mentor)s) broken") % p,
    "forbid-broken": lambda p: _("forbid (%(city)s, %(mentor)s) broken") % p,
    "mentor-kinds-missing": lambda p: _("TAGs are not led by both EU and international mentors"),
    # Brain dates.
    "unknown-pick": lambda p: _("%(city)s picked an unknown city (%(pick)s); ignored.") % p,
    "self-pick": lambda p: _("%(city)s picked itself; ignored.") % p,
    "too-many-picks": lambda p: _("%(city)s made more than %(limit)d picks; only the first count.") % p,
    "group-sizes-invalid": lambda p: _("Group sizes must satisfy 1 ≤ smallest ≤ largest; got %(low)d to %(high)d.") % p,
    "repeated-cities": lambda p: _("Each city must appear once; repeated: %(ids)s.") % {"ids": _list(p["ids"])},
    "lab-cannot-split": lambda p: (
        ngettext(
            "%(count)d city takes part, which cannot be split into groups of %(low)d to %(high)d.",
            "%(count)d cities take part, which cannot be split into groups of %(low)d to %(high)d.",
            int(p["count"]),
        )
        % p
    ),
    "greedy-groups-failed": lambda p: _("The greedy heuristic could not form groups of a valid size."),
    "no-grouping-in-time": lambda p: (
        _("No grouping was found within the time limit of %(seconds)s s.") % {"seconds": _seconds(p["seconds"])}
    ),
    "mutual-picks": lambda p: (
        _("%(city)s picked %(other)s (%(ranks)s) and %(other)s picked %(city)s (%(other_ranks)s)")
        % {**p, "ranks": _ordinals(p["ranks"]), "other_ranks": _ordinals(p["other_ranks"])}
    ),
    "picked": lambda p: _("%(city)s picked %(other)s (%(ranks)s)") % {**p, "ranks": _ordinals(p["ranks"])},
    "completes-group": _completes,
}


def describe(reason: Reason | Mapping[str, Any]) -> str:
    """One reason in words; ``reason`` may also be its JSON form (see :meth:`Reason.to_json`)."""
    if not isinstance(reason, Reason):
        reason = Reason.from_json(reason)
    words = WORDS.get(reason.code)
    if words is None:
        return reason.code
    return str(words(reason.as_dict()))


def describe_all(reasons: Iterable[Reason | Mapping[str, Any]], separator: str = "; ") -> str:
    """Several reasons in one line, such as the explanation of a placement."""
    return separator.join(describe(reason) for reason in reasons)


def encode(reasons: Iterable[Reason]) -> list[dict[str, object]]:
    """Reasons as JSON-ready data, for a JSON field."""
    return [reason.to_json() for reason in reasons]


def store(reasons: Iterable[Reason]) -> str:
    """Reasons as JSON text, for a text column that :func:`worded` reads back."""
    return json.dumps(encode(reasons), ensure_ascii=False, separators=(",", ":"))


def decode(value: object) -> list[Reason] | None:
    """The reasons in ``value`` (JSON text or data from :func:`encode`), or None when it holds none."""
    if isinstance(value, str):
        if not value.startswith("["):
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, list) or not all(isinstance(item, dict) and "code" in item for item in value):
        return None
    try:
        return [Reason.from_json(item) for item in value]
    except (KeyError, TypeError, ValueError):
        return None


def worded(value: object, separator: str = "; ") -> str:
    """Stored reasons in words; text stored before reasons had codes is returned as it is."""
    reasons = decode(value)
    if reasons is None:
        return "" if value is None else str(value)
    return describe_all(reasons, separator)
