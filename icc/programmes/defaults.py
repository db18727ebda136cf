"""The default shape of a programme edition, as the ICC ran it.

Months are counted from the edition's first month. A programme office can change every
value per edition once it is created; these are only the starting point.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class PhaseTemplate:
    key: str
    name: str
    start_month: int
    months: int
    former_dcc_only: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedTemplate:
    slug: str
    name: str
    description: str = ""


PHASES: tuple[PhaseTemplate, ...] = (
    PhaseTemplate(
        "activate-accelerate",
        _("Activate & accelerate"),
        0,
        2,
        former_dcc_only=True,
        description=_(
            "For cities of the earlier Digital Cities Challenge: review the earlier strategy, "
            "set goals for the new programme and start accelerated impact actions early."
        ),
    ),
    PhaseTemplate(
        "preparation-assessment",
        _("Preparation & assessment"),
        0,
        5,
        description=_("Assess where the city stands, mobilise the local ecosystem and choose a thematic track."),
    ),
    PhaseTemplate(
        "ambition-roadmap",
        _("Ambition & roadmap"),
        5,
        3,
        description=_("Set the vision, decide the priority solutions and build the roadmap with KPI targets."),
    ),
    PhaseTemplate(
        "implementation",
        _("Implementation"),
        8,
        15,
        description=_("Carry out the roadmap in three cycles of design, act and review."),
    ),
    PhaseTemplate(
        "review-way-forward",
        _("Review & way forward"),
        23,
        2,
        description=_("Re-run the assessment, measure progress and plan beyond the programme."),
    ),
)

IMPLEMENTATION_CYCLES = 3
CYCLE_MONTHS = 5
IMPLEMENTATION_PHASE = "implementation"

THEMES: tuple[NamedTemplate, ...] = (
    NamedTemplate("green-economy", _("Green economy and local green deals")),
    NamedTemplate(
        "citizen-participation",
        _("Citizen participation and digitisation of public administration"),
    ),
    NamedTemplate("skills", _("Upskilling and reskilling")),
    NamedTemplate("supply-chains", _("Supply chains and logistics")),
    NamedTemplate("tourism", _("Green and digital transition in tourism")),
)

SERVICES: tuple[NamedTemplate, ...] = (
    NamedTemplate("finance", _("Access to finance")),
    NamedTemplate("procurement", _("Innovative public procurement")),
    NamedTemplate("open-data", _("Open data platforms")),
)
