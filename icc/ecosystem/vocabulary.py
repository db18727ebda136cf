"""The words the ecosystem tools share with the rest of the platform: the local enablers
and the default questions of the 1:1 interviews.

The local enablers are the dimensions of the edition's local-enablers survey (its
sections, as the roadmap's actions use them); an edition that has not installed the
survey yet uses the shipped definition, so that insights can be tagged from the start.
"""

from __future__ import annotations

import json
from functools import cache

from django.utils.translation import gettext_lazy as _

from icc.assessments.actions import INSTRUMENTS
from icc.assessments.models import Instrument, InstrumentKind, Section
from icc.programmes.models import Programme

OPEN_SECTION = "open"

# Drawn from the seeds' passage on 1:1 ecosystem interviews: diagnose the ecosystem
# (including what would not be said in a plenary workshop), spot win-win opportunities,
# warm up enthusiasm, and find the ambassadors; 30 to 45 minutes.
DEFAULT_INTRODUCTION = _(
    "A conversation of 30 to 45 minutes, ideally led by the lead expert, on video with cameras on if not in "
    "person. It serves to understand the local ecosystem, to spot win-win opportunities for the local ecosystem "
    "workshop and to warm up enthusiasm for the city's participation."
)
DEFAULT_QUESTIONS = [
    _("What does your organisation do in the city, and how does it work with the city today?"),
    _("Which strengths of the local ecosystem would you build on?"),
    _("Which weaknesses or risks hold the ecosystem back?"),
    _("Which of the city's needs could your organisation help to meet?"),
    _("Which opportunities do you see for working with other members of the ecosystem?"),
    _("Is there a topic you would rather not raise in a plenary workshop?"),
    _("Who else should the city talk to, including people it does not normally work with?"),
    _("How could your organisation support the city's participation: time, data, funding, a place to pilot?"),
    _("Would you take part in the local ecosystem workshop and the ecosystem calls?"),
]


@cache
def _shipped_enablers() -> tuple[tuple[str, str], ...]:
    definition = json.loads((INSTRUMENTS / "local-enablers.json").read_text(encoding="utf-8"))
    return tuple((s["key"], s["title"]) for s in definition["sections"] if s["key"] != OPEN_SECTION)


def enablers(programme: Programme | int) -> list[tuple[str, str]]:
    """The local enablers of an edition as (code, title), in the survey's order."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    instrument = (
        Instrument.objects.filter(programme_id=programme_id, kind=InstrumentKind.ENABLERS).order_by("-version").first()
    )
    if instrument is None:
        return list(_shipped_enablers())
    return list(Section.objects.filter(instrument=instrument).exclude(key=OPEN_SECTION).values_list("key", "title"))
