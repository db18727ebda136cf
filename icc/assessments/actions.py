"""Loading instruments and recording the cities' responses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from icc.assessments import indicators, workbook
from icc.assessments.models import Answer, Instrument, Question, Response, ResponseStatus, Section
from icc.core.models import AuditKind, record
from icc.programmes.models import Programme

if TYPE_CHECKING:
    from icc.accounts.models import Person
    from icc.cities.models import City

INSTRUMENTS = Path(__file__).resolve().parent / "instruments"


@transaction.atomic
def load_instrument(*, programme: Programme, definition: dict[str, Any]) -> Instrument:
    """Load one version of an instrument; a version already loaded is left as it is."""
    existing = Instrument.objects.filter(
        programme=programme, key=definition["key"], version=definition["version"]
    ).first()
    if existing is not None:
        return existing
    instrument = Instrument.objects.create(
        programme=programme,
        key=definition["key"],
        version=definition["version"],
        name=definition["name"],
        description=definition.get("description", ""),
        disclaimer=definition.get("disclaimer", ""),
        kind=definition.get("kind", "survey"),
    )
    for section_order, section_data in enumerate(definition["sections"]):
        section = Section.objects.create(
            instrument=instrument,
            key=section_data["key"],
            title=section_data["title"],
            description=section_data.get("description", ""),
            order=section_order,
        )
        Question.objects.bulk_create(
            Question(
                section=section,
                key=q["key"],
                text=q["text"],
                help=q.get("help", ""),
                type=q["type"],
                required=q.get("required", False),
                allow_unknown=q.get("allow_unknown", True),
                levels=q.get("levels", []),
                choices=q.get("choices", []),
                unit=q.get("unit", ""),
                dimension=q.get("dimension", ""),
                order=order,
            )
            for order, q in enumerate(section_data["questions"])
        )
    return instrument


def load_default_instruments(*, programme: Programme) -> list[Instrument]:
    return [
        load_instrument(programme=programme, definition=json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(INSTRUMENTS.glob("*.json"))
    ]


@transaction.atomic
def save_response(*, response: Response, values: dict[int, tuple[Any, bool]], submit: bool, by: Person) -> Response:
    """Store answers (question id → (value, don't know)); submitting checks required ones and locks it."""
    if response.is_locked:
        raise ValidationError(_("This response was submitted and is locked. Ask your lead expert to reopen it."))
    questions = {q.pk: q for q in Question.objects.filter(section__instrument=response.instrument_id)}
    if submit:
        missing = [q for q in questions.values() if q.required and not _given(values.get(q.pk))]
        if missing:
            raise ValidationError(
                _("Answer the required questions before submitting: %(list)s")
                % {"list": "; ".join(q.text for q in missing[:5])}
            )
    if response.pk is None:
        response.save()
    existing = {a.question_id: a for a in response.answers.all()}
    to_create, to_update = [], []
    for question_id, (value, unknown) in values.items():
        if question_id not in questions:
            continue
        answer = existing.get(question_id)
        if answer is None:
            to_create.append(Answer(response=response, question_id=question_id, value=value, unknown=unknown))
        elif (answer.value, answer.unknown) != (value, unknown):
            answer.value, answer.unknown = value, unknown
            to_update.append(answer)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["value", "unknown"])
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.submitted_by = by
    response.save()
    record(
        obj=response,
        action=AuditKind.SUBMITTED if submit else AuditKind.DRAFT_SAVED,
        actor=by,
        changes={"answers": len(values)},
    )
    return response


def _given(item: tuple[Any, bool] | None) -> bool:
    return item is not None and (item[1] or item[0] not in (None, "", []))


@transaction.atomic
def reopen_response(*, response: Response, by: Person) -> Response:
    if not response.is_locked:
        raise ValidationError(_("This response is not submitted."))
    response.status = ResponseStatus.DRAFT
    response.save(update_fields=["status", "updated_at"])
    record(obj=response, action=AuditKind.REOPENED, actor=by)
    return response


def response_for(*, instrument: Instrument, city: City, round: str) -> Response:
    """The city's response of ``round``; a new one, not saved yet, if it was never started."""
    return Response.objects.filter(instrument=instrument, city=city, round=round).first() or Response(
        instrument=instrument, city=city, round=round
    )


@transaction.atomic
def update_question(*, question: Question, changes: dict[str, str], by: Person) -> Question:
    """Save the programme team's wording of ``question`` (``changes``: field → new value, for the trail)."""
    question.save()
    record(obj=question, action=AuditKind.CHANGED, actor=by, changes=changes)
    return question


@transaction.atomic
def apply_workbook(*, city: City, round: str, payload: dict[str, Any], by: Person) -> None:
    """Save what a checked workbook holds (see :func:`icc.assessments.workbook_review.payload`) as drafts.

    All or nothing: a locked response the workbook would change refuses the whole workbook.
    """
    for instrument in workbook.answerable(city):
        given = payload["answers"].get(str(instrument.pk), {})
        response = response_for(instrument=instrument, city=city, round=round)
        if response.is_locked:
            if given:
                raise ValidationError(
                    _("%(name)s is submitted and locked; ask your lead expert to reopen it first.")
                    % {"name": instrument.name}
                )
            continue
        save_response(response=response, values={int(q): (a[0], a[1]) for q, a in given.items()}, submit=False, by=by)
    indicators.save_values(
        city=city,
        round=round,
        values={int(i): (Decimal(v[0]), v[1], v[2]) if v else None for i, v in payload["values"].items()},
        ratings=[tuple(r) for r in payload["ratings"]],
        submit=False,
        by=by,
    )
