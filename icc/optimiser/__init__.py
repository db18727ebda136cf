"""Forming thematic action groups (TAGs) and brain-date groups: plain Python, no Django.

TAG formation
-------------
Core cities are placed in TAGs of ``min_size`` to ``max_size`` cities, each led by one
mentor city; a mentor leads at most ``capacity`` TAGs and every TAG works on one theme
the mentor mentors (primary or secondary). Hard rules, never broken in a returned
solution: every core city is in exactly one TAG, every TAG has one mentor and a size in
range, capacities hold, pins hold and forbids are respected, and when both EU and
international mentors take part at least one TAG is led by each kind. The objective has
three tiers in strict priority (theme, preferences, relatability), solved one after the
other with CP-SAT: see :mod:`icc.optimiser.tiers` and :mod:`icc.optimiser.model`.

Brain dates
-----------
Each city ranks up to five other cities (whose projects it wants to discuss). Groups of
``min_size`` to ``max_size`` cities are formed; a group scores, for every ordered pair
where a picked b, 6 minus the rank (5 for a 1st pick down to 1 for a 5th), plus
``mutual_bonus`` for every pair that picked each other. Every city is placed, including
cities that picked no one and were picked by no one: they complete groups at no score.
The grouping is found by set partitioning with column generation and proven optimal:
see :mod:`icc.optimiser.brain_dates`.

Modules
-------
``problem`` (inputs and outputs), ``scores`` (scores and their reasons), ``preparation``
and ``lab`` (checks of input), ``greedy`` (baselines), ``model`` and ``tiers`` (TAG
formation), ``diagnosis`` (why TAG input is infeasible), ``clusters``, ``partition``
and ``brain_dates`` (brain dates). Results explain themselves with
:class:`~icc.optimiser.problem.Reason` codes, which the interface words.
"""

from icc.optimiser.brain_dates import match_brain_dates
from icc.optimiser.greedy import greedy_brain_dates, greedy_tags
from icc.optimiser.problem import (
    BrainDateGroup,
    BrainDateProblem,
    BrainDateResult,
    BrainDateSettings,
    CoreCity,
    FormationSettings,
    LabCity,
    MentorCity,
    Placement,
    Reason,
    Status,
    TagGroup,
    TagProblem,
    TagResult,
    TagScore,
    Tier,
)
from icc.optimiser.scores import (
    explain_placement,
    preference_rank,
    relatability,
    score_brain_dates,
    score_tags,
    tag_violations,
)
from icc.optimiser.tiers import form_tags

__all__ = [
    "BrainDateGroup",
    "BrainDateProblem",
    "BrainDateResult",
    "BrainDateSettings",
    "CoreCity",
    "FormationSettings",
    "LabCity",
    "MentorCity",
    "Placement",
    "Reason",
    "Status",
    "TagGroup",
    "TagProblem",
    "TagResult",
    "TagScore",
    "Tier",
    "explain_placement",
    "form_tags",
    "greedy_brain_dates",
    "greedy_tags",
    "match_brain_dates",
    "preference_rank",
    "relatability",
    "score_brain_dates",
    "score_tags",
    "tag_violations",
]
