"""The city team builds a consultation while it is a draft: from scratch or from a
ready-made one, its settings, and its questions with their choices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from icc.consultations import blueprints
from icc.consultations.models import (
    CHOICE_TYPES,
    MAX_CHOICES,
    MAX_QUESTIONS,
    MAX_SCALE,
    PICKING_TYPES,
    TEXT_TYPES,
    Choice,
    Consultation,
    Kind,
    Question,
    QuestionType,
)
from icc.core.formatting import format_number
from icc.core.models import AuditKind, record

if TYPE_CHECKING:
    import datetime as dt

    from icc.accounts.models import Person
    from icc.cities.models import City

Texts = dict[str, str]


def _only(texts: Texts, languages: Sequence[str]) -> Texts:
    return {code: text for code, text in texts.items() if code in languages}


def _touch(consultation: Consultation) -> None:
    """Move ``updated_at``: the cached questions of the consultation are read again."""
    consultation.save(update_fields=["updated_at"])


def _refuse_unless_draft(consultation: Consultation) -> None:
    if not consultation.is_draft:
        raise ValidationError(_("The consultation is open: its questions and settings no longer change."))


@transaction.atomic
def create_consultation(
    *, city: City, start: str, title: Texts, languages: Sequence[str], by: Person | None
) -> Consultation:
    """A new draft, empty (``start`` is a blank kind) or from the ready-made ``start``.

    A ready-made one brings its texts in the ``languages`` the city writes in, or in
    English when it has none of them; ``title`` replaces its title where given.
    """
    if start in blueprints.BLANK_NAMES:
        kind = Kind.POLL if start == blueprints.BLANK_POLL else Kind.SURVEY
        if not title:
            raise ValidationError(_("Give the consultation a title."))
        consultation = Consultation.objects.create(city=city, kind=kind, title=title, created_by=by)
        record(obj=consultation, action=AuditKind.CREATED, actor=by, changes={"start": start})
        return consultation
    blueprint = blueprints.get(start)
    if blueprint is None:
        raise ValidationError(_("Choose how to start."))
    kept = [code for code in languages if code in blueprint.languages] or ["en"]
    consultation = Consultation.objects.create(
        city=city,
        kind=blueprint.kind,
        title={**_only(blueprint.title, kept), **title},
        introduction=_only(blueprint.introduction, kept),
        template=blueprint.key,
        created_by=by,
    )
    made: list[Question] = []
    for order, item in enumerate(blueprint.questions, start=1):
        condition_question = made[item.condition[0]] if item.condition else None
        question = Question.objects.create(
            consultation=consultation,
            order=order,
            type=item.type,
            text=_only(item.text, kept),
            help=_only(item.help, kept),
            required=item.required,
            allow_other=item.allow_other,
            picks=item.picks,
            scale=item.scale,
            low_label=_only(item.low_label, kept),
            high_label=_only(item.high_label, kept),
            condition_question=condition_question,
        )
        Choice.objects.bulk_create(
            Choice(question=question, order=index, label=_only(label, kept))
            for index, label in enumerate(item.choices, start=1)
        )
        if item.condition and condition_question is not None:
            question.condition_choice = condition_question.choices.order_by("order")[item.condition[1]]
            question.save(update_fields=["condition_choice"])
        made.append(question)
    record(obj=consultation, action=AuditKind.CREATED, actor=by, changes={"start": start})
    return consultation


@transaction.atomic
def save_settings(
    *,
    consultation: Consultation,
    title: Texts,
    introduction: Texts,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    needs_confirmation: bool,
    personal_data_until: dt.date | None,
    by: Person | None,
) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _refuse_unless_draft(consultation)
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The closing must come after the opening.")})
    consultation.title = title
    consultation.introduction = introduction
    consultation.opens_at = opens_at
    consultation.closes_at = closes_at
    consultation.needs_confirmation = needs_confirmation
    consultation.personal_data_until = personal_data_until
    consultation.save()
    record(
        obj=consultation,
        action=AuditKind.CHANGED,
        actor=by,
        changes={
            "opens_at": opens_at.isoformat() if opens_at else None,
            "closes_at": closes_at.isoformat() if closes_at else None,
            "needs_confirmation": needs_confirmation,
            "personal_data_until": personal_data_until.isoformat() if personal_data_until else None,
        },
    )
    return consultation


@dataclass
class QuestionData:
    """A question as the team wrote it; ``choices`` are labels ``{language: text}`` in order."""

    type: str
    text: Texts
    help: Texts = field(default_factory=dict)
    required: bool = False
    allow_other: bool = False
    picks: int | None = None
    scale: int | None = None
    low_label: Texts = field(default_factory=dict)
    high_label: Texts = field(default_factory=dict)
    personal: bool = False
    condition_question: int | None = None
    condition_choice: int | None = None
    choices: list[Texts] = field(default_factory=list)


def _n(value: int) -> str:
    return format_number(value, 0)


def _check(data: QuestionData) -> QuestionData:
    """Refuse what cannot be answered; drop settings the question's type does not use."""
    kind = QuestionType(data.type)
    if kind in CHOICE_TYPES:
        if not 2 <= len(data.choices) <= MAX_CHOICES:
            raise ValidationError({"choices": _("Give from 2 to %(n)s choices, one a line.") % {"n": _n(MAX_CHOICES)}})
    else:
        data.choices = []
    if kind not in PICKING_TYPES:
        data.allow_other = False
    if kind == QuestionType.MULTIPLE:
        if data.picks is not None and not 1 <= data.picks <= len(data.choices) + int(data.allow_other):
            raise ValidationError({"picks": _("One may pick at most as many choices as there are.")})
    elif kind == QuestionType.RANKING:
        if data.picks is None or not 2 <= data.picks <= len(data.choices):
            raise ValidationError(
                {
                    "picks": _("Say how many choices to rank: from 2 to the number of choices, %(n)s.")
                    % {"n": _n(len(data.choices))}
                }
            )
    else:
        data.picks = None
    if kind == QuestionType.RATING:
        if data.scale is None or not 2 <= data.scale <= MAX_SCALE:
            raise ValidationError({"scale": _("A scale has from 2 to %(n)s points.") % {"n": _n(MAX_SCALE)}})
    else:
        data.scale, data.low_label, data.high_label = None, {}, {}
    if data.personal and kind not in TEXT_TYPES:
        raise ValidationError({"personal": _("Only a short or long text question may ask for personal data.")})
    if data.personal:
        data.condition_question = data.condition_choice = None
    return data


def _check_condition(consultation: Consultation, data: QuestionData, *, before: int | None) -> None:
    """A condition names a choice of an earlier single or multiple choice question."""
    if data.condition_question is None and data.condition_choice is None:
        return
    if data.condition_question is None or data.condition_choice is None:
        raise ValidationError({"condition": _("Choose a choice of an earlier question.")})
    earlier = Question.objects.filter(
        consultation=consultation, pk=data.condition_question, type__in=PICKING_TYPES
    ).first()
    if (
        earlier is None
        or (before is not None and (earlier.order, earlier.pk) >= (before, 0))
        or not earlier.choices.filter(pk=data.condition_choice).exists()
    ):
        raise ValidationError({"condition": _("Choose a choice of an earlier question.")})


def _sync_choices(question: Question, labels: list[Texts]) -> None:
    """The question's choices become ``labels``, in order; a choice a condition names stays."""
    existing = list(question.choices.order_by("order", "pk"))
    removed = existing[len(labels) :]
    needed = Question.objects.filter(condition_choice__in=removed).order_by("order").first()
    if needed is not None:
        raise ValidationError(
            {
                "choices": _(
                    "A later question is asked only after one of the choices you removed: change its condition first."
                )
            }
        )
    for index, label in enumerate(labels, start=1):
        if index <= len(existing):
            choice = existing[index - 1]
            choice.order, choice.label = index, label
            choice.save(update_fields=["order", "label"])
        else:
            Choice.objects.create(question=question, order=index, label=label)
    Choice.objects.filter(pk__in=[c.pk for c in removed]).delete()


def _apply(question: Question, data: QuestionData) -> None:
    question.type = data.type
    question.text = data.text
    question.help = data.help
    question.required = data.required
    question.allow_other = data.allow_other
    question.picks = data.picks
    question.scale = data.scale
    question.low_label = data.low_label
    question.high_label = data.high_label
    question.personal = data.personal
    question.condition_question_id = data.condition_question
    question.condition_choice_id = data.condition_choice


@transaction.atomic
def add_question(*, consultation: Consultation, data: QuestionData, by: Person | None) -> Question:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _refuse_unless_draft(consultation)
    if consultation.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(_("A consultation holds at most %(n)s questions.") % {"n": _n(MAX_QUESTIONS)})
    data = _check(data)
    _check_condition(consultation, data, before=None)
    last = consultation.questions.aggregate(last=Max("order"))["last"] or 0
    question = Question(consultation=consultation, order=last + 1)
    _apply(question, data)
    question.save()
    _sync_choices(question, data.choices)
    _touch(consultation)
    record(obj=question, action=AuditKind.QUESTION_ADDED, actor=by, changes={"type": data.type})
    return question


@transaction.atomic
def change_question(*, question: Question, data: QuestionData, by: Person | None) -> Question:
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    _refuse_unless_draft(consultation)
    question = Question.objects.get(pk=question.pk)
    data = _check(data)
    if data.type not in PICKING_TYPES and question.dependants.exists():
        raise ValidationError(
            {"type": _("A later question is asked only after a choice of this one: change its condition first.")}
        )
    _check_condition(consultation, data, before=question.order)
    if data.condition_question == question.pk:
        raise ValidationError({"condition": _("Choose a choice of an earlier question.")})
    _apply(question, data)
    question.save()
    _sync_choices(question, data.choices)
    _touch(consultation)
    record(obj=question, action=AuditKind.QUESTION_CHANGED, actor=by, changes={"type": data.type})
    return question


@transaction.atomic
def remove_question(*, question: Question, by: Person | None) -> None:
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    _refuse_unless_draft(consultation)
    if question.dependants.exists():
        raise ValidationError(
            _("A later question is asked only after a choice of this one: change its condition first.")
        )
    record(obj=question, action=AuditKind.QUESTION_REMOVED, actor=by, changes={"type": question.type})
    question.delete()
    for order, pk in enumerate(consultation.questions.order_by("order", "pk").values_list("pk", flat=True), 1):
        Question.objects.filter(pk=pk).update(order=order)
    _touch(consultation)


@transaction.atomic
def move_question(*, question: Question, up: bool, by: Person | None) -> None:
    """Swap the question with the one before (``up``) or after it."""
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    _refuse_unless_draft(consultation)
    ordered = list(consultation.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    first, second = sorted((index, other))
    if ordered[second].condition_question_id == ordered[first].pk:
        raise ValidationError(
            _("Question %(later)s is asked only after an answer to question %(earlier)s, so it stays after it.")
            % {"later": _n(second + 1), "earlier": _n(first + 1)}
        )
    ordered[first], ordered[second] = ordered[second], ordered[first]
    for order, item in enumerate(ordered, start=1):
        if item.order != order:
            Question.objects.filter(pk=item.pk).update(order=order)
    _touch(consultation)
    record(obj=question, action=AuditKind.QUESTION_CHANGED, actor=by, changes={"moved": "up" if up else "down"})
