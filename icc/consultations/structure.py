"""A consultation's questions and choices as plain, cacheable data.

Answering a poll on the evening news must cost a few queries: the questions of an open
consultation never change, so they are read once and cached under the consultation's
``updated_at`` (which every change to it or its questions moves).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from icc.consultations.models import CHOICE_TYPES, PICKING_TYPES, TEXT_TYPES, Consultation, Question, QuestionType

CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ChoiceInfo:
    pk: int
    label: dict[str, str]


@dataclass(frozen=True)
class QuestionInfo:
    pk: int
    number: int
    type: str
    text: dict[str, str]
    help: dict[str, str]
    required: bool
    allow_other: bool
    picks: int | None
    scale: int | None
    low_label: dict[str, str]
    high_label: dict[str, str]
    personal: bool
    condition_question: int | None
    condition_choice: int | None
    choices: tuple[ChoiceInfo, ...] = field(default_factory=tuple)

    @property
    def choice_ids(self) -> frozenset[int]:
        return frozenset(c.pk for c in self.choices)

    def choice(self, pk: int | None) -> ChoiceInfo | None:
        return next((c for c in self.choices if c.pk == pk), None)

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def has_choices(self) -> bool:
        return self.type in CHOICE_TYPES

    @property
    def is_picking(self) -> bool:
        return self.type in PICKING_TYPES

    @property
    def is_single(self) -> bool:
        return self.type == QuestionType.SINGLE

    @property
    def is_multiple(self) -> bool:
        return self.type == QuestionType.MULTIPLE

    @property
    def is_ranking(self) -> bool:
        return self.type == QuestionType.RANKING

    @property
    def is_rating(self) -> bool:
        return self.type == QuestionType.RATING

    @property
    def places(self) -> range:
        """The places of a ranking, 1 to ``picks``."""
        return range(1, (self.picks or 0) + 1)

    @property
    def points(self) -> range:
        """The points of a rating scale, 1 to ``scale``."""
        return range(1, (self.scale or 0) + 1)

    @property
    def has_free_text(self) -> bool:
        """Answers to it may hold words someone wrote (a text, or “Other”)."""
        return self.is_text or (self.is_picking and self.allow_other)


@dataclass(frozen=True)
class Structure:
    consultation_id: int
    questions: tuple[QuestionInfo, ...]

    def question(self, pk: int | None) -> QuestionInfo | None:
        return next((q for q in self.questions if q.pk == pk), None)

    @property
    def has_personal(self) -> bool:
        return any(q.personal for q in self.questions)

    @property
    def public_questions(self) -> tuple[QuestionInfo, ...]:
        """The questions whose answers results may count: all but personal ones."""
        return tuple(q for q in self.questions if not q.personal)


def _info(question: Question, number: int) -> QuestionInfo:
    return QuestionInfo(
        pk=question.pk,
        number=number,
        type=question.type,
        text=dict(question.text or {}),
        help=dict(question.help or {}),
        required=question.required,
        allow_other=question.allow_other and question.type in PICKING_TYPES,
        picks=question.picks,
        scale=question.scale,
        low_label=dict(question.low_label or {}),
        high_label=dict(question.high_label or {}),
        personal=question.personal and question.type in TEXT_TYPES,
        condition_question=question.condition_question_id,
        condition_choice=question.condition_choice_id,
        choices=tuple(ChoiceInfo(pk=c.pk, label=dict(c.label or {})) for c in question.choices.all()),
    )


def read(consultation: Consultation) -> Structure:
    """The questions as they are in the database now (two queries)."""
    questions = Question.objects.filter(consultation=consultation).prefetch_related("choices").order_by("order", "pk")
    return Structure(
        consultation_id=consultation.pk,
        questions=tuple(_info(q, number) for number, q in enumerate(questions, start=1)),
    )


def _key(consultation: Consultation) -> str:
    stamp = consultation.updated_at.timestamp() if consultation.updated_at else 0
    return f"icc:consultation-structure:{consultation.pk}:{stamp}"


def of(consultation: Consultation) -> Structure:
    """The questions, from the cache when nothing changed since they were read."""
    key = _key(consultation)
    found = cache.get(key)
    if isinstance(found, Structure):
        return found
    structure = read(consultation)
    cache.set(key, structure, CACHE_SECONDS)
    return structure
