"""A consultation's results, counted with a few aggregate queries.

Only confirmed submissions count, and answers to personal questions are never counted
here at all. A question shows figures only from :func:`~icc.consultations.limits.min_answers`
answers: with fewer, one person's answer could be read from them. A question asked only
after a given choice does not even say how many answered it while the question of that
choice shows no figures, since that number is how many made the choice. Free texts are
listed in an order that says nothing of when they came (so the n-th texts of two
questions are not one person's), and the number hidden is always given.

The same rules hold for the city team that runs the consultation: its page shows what
the public results show, and the texts to moderate. While the consultation is open it
shows no figures at all, only how many answered, so that nobody can read a person's
answer from the change their answer makes; texts reach the moderators in batches of
the minimum number of answers, never one by one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count

from icc.consultations import limits
from icc.consultations.models import Answer, Consultation, Moderation, Phase, Submission
from icc.consultations.structure import QuestionInfo, Structure

# The most texts one question lists; the rest are counted.
MAX_TEXTS = 300


@dataclass(frozen=True)
class ChoiceFigure:
    label: dict[str, str]
    count: int
    share: float
    points: int = 0
    first: int = 0
    other: bool = False


@dataclass(frozen=True)
class TextAnswer:
    pk: int
    text: str
    moderation: str
    other: bool


@dataclass
class QuestionResult:
    question: QuestionInfo
    # None when even the number would tell a figure that is withheld (see the module's note).
    answered: int | None
    shown: bool
    choices: list[ChoiceFigure] = field(default_factory=list)
    points: list[tuple[int, int]] = field(default_factory=list)
    mean: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    more_texts: int = 0
    hidden: int = 0
    pending: int = 0
    visible: int = 0
    # The texts are listed: for the public once the figures are shown, for the team always.
    listed: bool = False

    @property
    def has_texts(self) -> bool:
        return self.question.has_free_text

    @property
    def max_count(self) -> int:
        values = [c.points if self.question.is_ranking else c.count for c in self.choices]
        values += [count for _point, count in self.points]
        return max(values, default=0)


@dataclass
class Results:
    respondents: int
    minimum: int
    questions: list[QuestionResult]
    personal: list[tuple[QuestionInfo, int]] = field(default_factory=list)
    # True while the consultation is open: no figure is shown to anyone yet.
    withheld: bool = False

    @property
    def enough(self) -> bool:
        return self.respondents >= self.minimum


def _unrelated_order(text: TextAnswer) -> str:
    """A place for a text that depends on nothing but the text's own row, keyed by the site's
    secret so that nobody can work back to the order the texts came in."""
    return hmac.new(settings.SECRET_KEY.encode(), f"consultation-text:{text.pk}".encode(), hashlib.sha256).hexdigest()


def _share(count: int, of: int) -> float:
    return count / of if of else 0.0


def _choice_figures(question: QuestionInfo, counts: dict[tuple, int], answered: int) -> list[ChoiceFigure]:
    figures = []
    for choice in question.choices:
        if question.is_ranking:
            points = sum(
                count * ((question.picks or 0) + 1 - place)
                for (choice_id, place, _rating, _other), count in counts.items()
                if choice_id == choice.pk and place
            )
            first = counts.get((choice.pk, 1, None, False), 0)
            ranked = sum(c for (cid, place, _r, _o), c in counts.items() if cid == choice.pk and place)
            figures.append(ChoiceFigure(choice.label, ranked, _share(ranked, answered), points=points, first=first))
        else:
            count = counts.get((choice.pk, None, None, False), 0)
            figures.append(ChoiceFigure(choice.label, count, _share(count, answered)))
    if question.is_picking and question.allow_other:
        count = sum(c for (cid, _p, _r, other), c in counts.items() if other)
        figures.append(ChoiceFigure({}, count, _share(count, answered), other=True))
    if question.is_ranking:
        figures.sort(key=lambda f: (-f.points, -f.first))
    return figures


def _rating(
    question: QuestionInfo, counts: dict[tuple, int], answered: int
) -> tuple[list[tuple[int, int]], float | None]:
    points = [(point, counts.get((None, None, point, False), 0)) for point in question.points]
    total = sum(count for _p, count in points)
    mean = sum(point * count for point, count in points) / total if total else None
    return points, mean


def _released(texts: list[TextAnswer], batch: int, still_open: bool, confirming: bool) -> list[TextAnswer]:
    """The texts moderators may read: while answers still come in, only whole batches, in the
    order they came, so that a new text never appears on its own. A consultation whose answers
    wait for e-mail confirmation releases none before it closes: an older answer confirmed
    late would otherwise slip into a batch already seen, alone."""
    if not still_open:
        return texts
    if confirming:
        return []
    if batch <= 1:
        return texts
    return sorted(texts, key=lambda t: t.pk)[: len(texts) // batch * batch]


def released_text_ids(consultation: Consultation, question_id: int) -> set[int]:
    """The ids of the texts of one question that moderators may read now (see :func:`_released`)."""
    rows = (
        Answer.objects.filter(
            question_id=question_id, submission__consultation=consultation, submission__confirmed=True
        )
        .exclude(moderation=Moderation.NONE)
        .values_list("pk", "text", "moderation", "other")
    )
    texts = [TextAnswer(*row) for row in rows]
    still_open = consultation.phase() != Phase.CLOSED
    return {t.pk for t in _released(texts, limits.min_answers(), still_open, consultation.needs_confirmation)}


def compute(consultation: Consultation, structure: Structure, *, team: bool = False) -> Results:
    """The results; ``team`` for the city team's page (the same figures, and every text
    released to moderation with its state), otherwise what the public may read."""
    minimum = limits.min_answers()
    withheld = consultation.phase() != Phase.CLOSED
    counted = Answer.objects.filter(submission__consultation=consultation, submission__confirmed=True)
    public_ids = [q.pk for q in structure.public_questions]
    respondents = Submission.objects.filter(consultation=consultation, confirmed=True).count()
    answered = dict(
        counted.values("question_id").annotate(n=Count("submission_id", distinct=True)).values_list("question_id", "n")
    )
    grouped: dict[int, dict[tuple, int]] = defaultdict(dict)
    rows = (
        counted.filter(question_id__in=public_ids)
        .values_list("question_id", "choice_id", "position", "rating", "other")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, choice_id, position, rating, other, n in rows:
        key = (choice_id, position, rating, other)
        grouped[question_id][key] = grouped[question_id].get(key, 0) + n
    with_texts = [q.pk for q in structure.public_questions if q.has_free_text]
    texts: dict[int, list[TextAnswer]] = defaultdict(list)
    if with_texts:
        for pk, question_id, text, state, other in (
            counted.filter(question_id__in=with_texts)
            .exclude(moderation=Moderation.NONE)
            .values_list("pk", "question_id", "text", "moderation", "other")
        ):
            texts[question_id].append(TextAnswer(pk, text, state, other))
    results = []
    shown_ids: set[int] = set()
    for question in structure.public_questions:
        n = answered.get(question.pk, 0)
        listed_now = texts.get(question.pk, [])
        released = _released(listed_now, minimum, withheld, consultation.needs_confirmation) if team else listed_now
        states = Counter(t.moderation for t in released)
        condition_hidden = question.condition_question is not None and question.condition_question not in shown_ids
        result = QuestionResult(
            question=question,
            answered=None if withheld or condition_hidden else n,
            shown=not withheld and n >= minimum,
            hidden=states[Moderation.HIDDEN],
            pending=states[Moderation.PENDING],
            visible=states[Moderation.SHOWN],
        )
        result.listed = team or result.shown
        if result.shown:
            shown_ids.add(question.pk)
            counts = grouped.get(question.pk, {})
            if question.has_choices:
                result.choices = _choice_figures(question, counts, n)
            if question.is_rating:
                result.points, result.mean = _rating(question, counts, n)
        if result.listed:
            listed = sorted((t for t in released if team or t.moderation == Moderation.SHOWN), key=_unrelated_order)
            result.texts, result.more_texts = listed[:MAX_TEXTS], max(0, len(listed) - MAX_TEXTS)
        results.append(result)
    # How many left personal data shows only once closed, like every other per-question count.
    personal = [(q, answered.get(q.pk, 0)) for q in structure.questions if q.personal] if team and not withheld else []
    return Results(respondents=respondents, minimum=minimum, questions=results, personal=personal, withheld=withheld)
