"""Every question type's answers are checked on the server; conditions decide what counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from icc.consultations.answering import NOTHING, parse
from icc.consultations.models import LONG_ANSWER, SHORT_ANSWER, Moderation, QuestionType
from icc.consultations.structure import ChoiceInfo, QuestionInfo, Structure


def q(pk: int, kind: str, *, choices: tuple[int, ...] = (), **options: Any) -> QuestionInfo:
    values: dict[str, Any] = {
        "text": {"en": f"question {pk}"},
        "help": {},
        "required": False,
        "allow_other": False,
        "picks": None,
        "scale": None,
        "low_label": {},
        "high_label": {},
        "personal": False,
        "condition_question": None,
        "condition_choice": None,
    }
    values.update(options)
    return QuestionInfo(
        pk=pk,
        number=pk,
        type=kind,
        choices=tuple(ChoiceInfo(pk=c, label={"en": f"choice {c}"}) for c in choices),
        **values,
    )


def data(**fields: Any) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in fields.items():
        key = name.replace("_", "-")
        for item in value if isinstance(value, list) else [value]:
            query.appendlist(key, str(item))
    return query


def shape(*questions: QuestionInfo) -> Structure:
    return Structure(consultation_id=1, questions=questions)


SINGLE = q(1, QuestionType.SINGLE, choices=(11, 12, 13), allow_other=True, required=True)


def test_a_single_choice_takes_one_of_its_own_choices() -> None:
    parsed = parse(shape(SINGLE), data(q1=12))
    assert parsed.ok and [(r.question, r.choice) for r in parsed.rows] == [(1, 12)]


@pytest.mark.parametrize("value", ["99", "-1", "abc", "1e3", "²", str(2**70), "12.0", "0", "9" * 5000])
def test_a_choice_of_another_question_or_no_id_is_refused(value: str) -> None:
    parsed = parse(shape(SINGLE), data(q1=value))
    assert parsed.problems["q1"].code == "invalid_choice" and parsed.rows == []


def test_two_values_for_a_single_choice_are_refused() -> None:
    assert parse(shape(SINGLE), data(q1=[11, 12])).problems["q1"].code == "invalid_choice"


def test_a_required_question_left_empty_is_refused_and_an_optional_one_is_not() -> None:
    assert parse(shape(SINGLE), data()).problems["q1"].code == "required"
    optional = q(2, QuestionType.SINGLE, choices=(21, 22))
    parsed = parse(shape(optional, q(3, QuestionType.SHORT_TEXT)), data(q3="fine"))
    assert parsed.ok and [r.question for r in parsed.rows] == [3]


def test_nothing_answered_at_all_is_refused() -> None:
    parsed = parse(shape(q(2, QuestionType.SINGLE, choices=(21, 22))), data())
    assert parsed.problems[NOTHING].code == "empty"


def test_other_needs_its_words_and_words_need_other() -> None:
    assert parse(shape(SINGLE), data(q1="other")).problems["q1"].code == "other_missing"
    assert parse(shape(SINGLE), data(q1=11, q1_other="trams")).problems["q1"].code == "other_unticked"
    parsed = parse(shape(SINGLE), data(q1="other", q1_other="  night trams  "))
    assert parsed.ok
    (row,) = parsed.rows
    assert (row.other, row.choice, row.text, row.moderation) == (True, None, "night trams", Moderation.PENDING)


def test_other_is_refused_where_the_question_does_not_offer_it() -> None:
    plain = q(2, QuestionType.SINGLE, choices=(21, 22))
    assert parse(shape(plain), data(q2="other", q2_other="x")).problems["q2"].code == "invalid_choice"


def test_a_multiple_choice_keeps_to_its_most_picks_counting_other() -> None:
    multiple = q(4, QuestionType.MULTIPLE, choices=(41, 42, 43), picks=2, allow_other=True)
    assert parse(shape(multiple), data(q4=[41, 42])).ok
    assert parse(shape(multiple), data(q4=[41, 42, 43])).problems["q4"].code == "too_many"
    assert parse(shape(multiple), data(q4=[41, 42, "other"], q4_other="x")).problems["q4"].code == "too_many"
    repeated = parse(shape(multiple), data(q4=[41, 41]))
    assert repeated.ok and [r.choice for r in repeated.rows] == [41]


def test_a_ranking_needs_the_right_number_of_different_choices() -> None:
    ranking = q(5, QuestionType.RANKING, choices=(51, 52, 53, 54), picks=3, required=True)
    parsed = parse(shape(ranking), data(q5_1=53, q5_2=51, q5_3=54))
    assert parsed.ok and [(r.choice, r.position) for r in parsed.rows] == [(53, 1), (51, 2), (54, 3)]
    assert parse(shape(ranking), data(q5_1=53, q5_2=53, q5_3=54)).problems["q5"].code == "rank_duplicate"
    assert parse(shape(ranking), data(q5_1=53, q5_2=51)).problems["q5"].code == "rank_incomplete"
    assert parse(shape(ranking), data()).problems["q5"].code == "required"
    assert parse(shape(ranking), data(q5_1=53, q5_2=51, q5_3=99)).problems["q5"].code == "invalid_choice"
    assert parse(shape(ranking), data(q5_1="5" * 5000)).problems["q5"].code == "invalid_choice"
    # A place beyond those asked for is ignored, not stored.
    extra = parse(shape(ranking), data(q5_1=53, q5_2=51, q5_3=54, q5_4=52))
    assert extra.ok and len(extra.rows) == 3


def test_a_rating_stays_on_its_scale() -> None:
    rating = q(6, QuestionType.RATING, scale=5)
    assert parse(shape(rating), data(q6=5)).rows[0].rating == 5
    for value in ("0", "6", "-2", "3.5", "five", "4" * 5000):
        assert parse(shape(rating), data(q6=value)).problems["q6"].code == "rating_invalid"


def test_texts_are_kept_within_their_length_and_free_of_nul_characters() -> None:
    short, long = q(7, QuestionType.SHORT_TEXT), q(8, QuestionType.LONG_TEXT)
    assert parse(shape(short), data(q7="x" * SHORT_ANSWER)).ok
    assert parse(shape(short), data(q7="x" * (SHORT_ANSWER + 1))).problems["q7"].code == "too_long"
    assert parse(shape(long), data(q8="x" * LONG_ANSWER)).ok
    megabyte = parse(shape(long), data(q8="x" * 1_000_000))
    assert megabyte.problems["q8"].code == "too_long" and megabyte.problems["q8"].params["length"] == 1_000_000
    assert parse(shape(short), data(q7="a\x00b")).problems["q7"].code == "invalid_characters"


def test_html_is_kept_as_the_words_written() -> None:
    parsed = parse(shape(q(7, QuestionType.SHORT_TEXT)), data(q7="<script>alert(1)</script>"))
    assert parsed.rows[0].text == "<script>alert(1)</script>"


def test_a_conditional_question_counts_only_when_its_condition_is_met() -> None:
    condition = q(1, QuestionType.SINGLE, choices=(11, 12), required=True)
    follow = q(2, QuestionType.SHORT_TEXT, required=True, condition_question=1, condition_choice=11)
    chained = q(3, QuestionType.RATING, scale=5, condition_question=2, condition_choice=99)
    met = parse(shape(condition, follow), data(q1=11, q2="because"))
    assert met.ok and {r.question for r in met.rows} == {1, 2}
    # Required only when asked: left empty by someone who chose the other answer is fine.
    unmet = parse(shape(condition, follow), data(q1=12))
    assert unmet.ok and {r.question for r in unmet.rows} == {1}
    # Answered anyway without JavaScript hiding it: ignored on the server, not stored.
    ignored = parse(shape(condition, follow), data(q1=12, q2="should not count"))
    assert ignored.ok and {r.question for r in ignored.rows} == {1}
    # Even an invalid answer to a question not asked is ignored.
    assert parse(shape(condition, follow), data(q1=12, q2="x" * 5000)).ok
    # A question that depends on a text question is never asked.
    assert parse(shape(condition, follow, chained), data(q1=11, q2="a", q3=9)).ok


def test_a_personal_answer_needs_consent() -> None:
    personal = q(9, QuestionType.SHORT_TEXT, personal=True)
    other = q(10, QuestionType.SINGLE, choices=(101, 102))
    refused = parse(shape(other, personal), data(q10=101, q9="Ana, 1000 Lisboa"))
    assert refused.problems["consent"].code == "consent_missing"
    given = parse(shape(other, personal), data(q10=101, q9="Ana", consent="on"))
    assert given.ok and [r.moderation for r in given.rows if r.question == 9] == [Moderation.NONE]
    assert parse(shape(other, personal), data(q10=101)).ok


def test_an_email_is_asked_for_a_consultation_that_confirms_answers() -> None:
    single = q(1, QuestionType.SINGLE, choices=(11, 12))
    assert parse(shape(single), data(q1=11), needs_email=True).problems["email"].code == "email_missing"
    assert parse(shape(single), data(q1=11, email="not an address"), needs_email=True).problems["email"].code == (
        "email_invalid"
    )
    long_address = "a" * 250 + "@example.org"
    assert parse(shape(single), data(q1=11, email=long_address), needs_email=True).problems["email"].code == (
        "email_invalid"
    )
    assert parse(shape(single), data(q1=11, email="ana@example.org"), needs_email=True).email == "ana@example.org"
