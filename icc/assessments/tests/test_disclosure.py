"""The rules of what a group's figures may show, without Django."""

from __future__ import annotations

from decimal import Decimal

import pytest

from icc.assessments import disclosure
from icc.assessments.disclosure import (
    PeerFigures,
    PeerValue,
    coarse_count,
    peer_figures,
    position,
    quantile,
    release_dimension,
    shared_words,
    significant,
)


@pytest.mark.parametrize("count", range(5, 40))
def test_quartiles_of_distinct_values_never_land_on_one_value(count):
    values = [float(3 * n + 1) for n in range(count)]

    for p in (0.25, 0.75):
        assert quantile(values, p) not in values


def test_quantile_follows_the_median_unbiased_definition():
    values = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]

    assert quantile(values, 0.5) == 35.0
    assert quantile(values, 0.25) == pytest.approx(19.1667, abs=1e-3)
    assert quantile([5.0], 0.75) == 5.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [(16.6667, "16.7"), (123456.0, "123000"), (0.0012345, "0.00123"), (-43.333, "-43.3"), (0.0, "0")],
)
def test_figures_are_rounded_to_three_significant_figures(value, expected):
    assert str(significant(value)) == expected


def test_no_figure_over_fewer_than_five_peers():
    assert peer_figures([PeerValue(Decimal(v), False) for v in (1, 2, 3, 4)]) == PeerFigures(None, None, None, None)


def test_a_figure_equal_to_an_unnamed_value_is_withheld_and_a_named_one_shown():
    unnamed = peer_figures([PeerValue(Decimal(v), False) for v in (10, 20, 30, 40, 50)])
    named = peer_figures([PeerValue(Decimal(v), v == 30) for v in (10, 20, 30, 40, 50)])

    assert (unnamed.median, unnamed.median_withheld) == (None, True)
    assert (named.median, named.median_withheld) == (Decimal(30), False)


def test_position_uses_only_shown_figures_in_the_desired_direction():
    figures = PeerFigures(5, Decimal(15), None, Decimal(45), frozenset({"median"}))

    assert position(Decimal(50), figures, higher_is_better=True) == "best-quarter"
    assert position(Decimal(50), figures, higher_is_better=False) == "weakest-quarter"
    assert position(Decimal(29), figures, higher_is_better=True) == "middle-half"
    assert position(Decimal(31), figures, higher_is_better=True) == "middle-half"
    assert position(Decimal(31), PeerFigures(None, None, None, None), higher_is_better=True) is None


@pytest.fixture
def no_noise(monkeypatch):
    monkeypatch.setattr(disclosure, "laplace", lambda scale: 0.0)


def test_a_dimension_shows_counts_and_the_mean_they_give_only_with_enough_answers(no_noise):
    # Two questions: enough answers for five people answering both.
    released = release_dimension([1, 2, 2, 5, 5, None, 4, 4, 4, 3, 3], questions=2)
    too_few = release_dimension([5, 5, 5, None, None, None, None, None, None], questions=2)

    assert released == disclosure.ReleasedDimension(10, 1, 3.3, (1, 2, 2, 3, 2))
    assert too_few is None


def test_the_noise_grows_with_the_answers_one_person_can_give(monkeypatch):
    scales: list[float] = []

    def laplace(scale: float) -> float:
        scales.append(scale)
        return 0.0

    monkeypatch.setattr(disclosure, "laplace", laplace)

    release_dimension([3] * 30, questions=3)
    release_dimension([3] * 30, questions=3, epsilon=0.5)

    assert scales == [3.0] * 6 + [6.0] * 6


def test_noisy_counts_are_never_negative(monkeypatch):
    monkeypatch.setattr(disclosure, "laplace", lambda scale: -0.6)

    released = release_dimension([2] * 10, questions=1)

    assert released is not None
    assert released.distribution == (0, 9, 0, 0, 0)


def test_the_count_of_people_is_rounded_down_to_fives_and_never_below_five(no_noise):
    assert [coarse_count(n) for n in (5, 7, 9, 10, 14, 63)] == [5, 5, 5, 10, 10, 60]


def test_words_need_five_different_answers_and_a_fifth_of_them_and_show_no_count():
    assert shared_words(["Funding matters"] * 4) is None
    assert shared_words(["Funding matters"] * 5) == []
    assert shared_words([f"Funding matters {n}" for n in range(5)]) == ["funding", "matters"]
    assert shared_words(["FUNDING matters!", "funding, matters", *[f"funding {n}" for n in range(3)]]) == []
    many = [f"harbour {n}" for n in range(5)] + [f"ferry {n}" for n in range(25)]
    assert shared_words(many) == ["ferry"]
