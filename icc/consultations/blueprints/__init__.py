"""Ready-made consultations a city team starts from: the seeds' two main surveys (at the
start of the programme and at its end) and a quick poll, with their texts in the
languages of the public pages.

A city that starts from one gets a draft with the texts in the languages it writes in
(English when it writes in none of these), which it then edits like any other draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Texts = dict[str, str]


@dataclass(frozen=True)
class QuestionBlueprint:
    type: str
    text: Texts
    choices: tuple[Texts, ...] = ()
    help: Texts = field(default_factory=dict)
    required: bool = False
    allow_other: bool = False
    picks: int | None = None
    scale: int | None = None
    low_label: Texts = field(default_factory=dict)
    high_label: Texts = field(default_factory=dict)
    # Shown only when question ``condition[0]`` (its index) got its choice ``condition[1]``.
    condition: tuple[int, int] | None = None


@dataclass(frozen=True)
class Blueprint:
    key: str
    kind: str
    name: Promise
    title: Texts
    introduction: Texts
    questions: tuple[QuestionBlueprint, ...]

    @property
    def languages(self) -> list[str]:
        return list(self.title)


def _all() -> dict[str, Blueprint]:
    from icc.consultations.blueprints.closing import CLOSING
    from icc.consultations.blueprints.poll import TRANSPORT_APP
    from icc.consultations.blueprints.starting import STARTING

    return {b.key: b for b in (STARTING, CLOSING, TRANSPORT_APP)}


def blueprints() -> dict[str, Blueprint]:
    return _all()


def get(key: str) -> Blueprint | None:
    return _all().get(key)


BLANK_SURVEY = "blank-survey"
BLANK_POLL = "blank-poll"
BLANK_NAMES = {BLANK_SURVEY: _("An empty survey"), BLANK_POLL: _("An empty quick poll")}
