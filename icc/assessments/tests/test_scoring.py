import pytest

from icc.assessments.scoring import MATURITY, PERFORMANCE, Reason, ScanAnswer, profile, rank

THEMES = ["green", "mobility", "health"]


def answers(theme, performance, maturity):
    return [ScanAnswer(theme, PERFORMANCE, v) for v in performance] + [ScanAnswer(theme, MATURITY, v) for v in maturity]


def test_profile_averages_each_dimension_and_counts_unknowns():
    result = profile(answers("green", [1, 2, None, 3], [4, 4, 5, None]), THEMES)

    green = result[0]
    assert (green.performance, green.maturity, green.answered, green.total, green.unknown) == (2.0, 4.33, 6, 8, 2)
    assert [p.theme for p in result] == THEMES
    assert result[1].performance is None and result[1].total == 0


def test_weak_performance_with_mature_technology_ranks_first_with_reasons():
    data = (
        answers("green", [1, 2, 2, 1], [4, 4, 3, 4])
        + answers("mobility", [4, 5, 4, 4], [2, 2, 1, 2])
        + answers("health", [3, 3, 3, 3], [3, 3, 3, 3])
    )

    ranked = rank(profile(data, THEMES))

    assert [r.theme for r in ranked] == ["green", "health", "mobility"]
    assert [r.rank for r in ranked] == [1, 2, 3]
    assert ranked[0].reasons == [Reason("weak-performance", 1.5), Reason("mature", 3.75)]
    assert ranked[2].reasons[0] == Reason("strong-performance", 4.25)
    first, second, third = (r.score for r in ranked)
    assert first is not None and second is not None and third is not None
    assert first > second > third


def test_themes_with_too_few_answers_come_last_unscored():
    data = answers("green", [None, None, None, 2], [None, None, None, None]) + answers(
        "health", [2, 2, 2, 2], [3, 3, 3, 3]
    )

    ranked = rank(profile(data, THEMES))

    assert [(r.theme, r.score is None) for r in ranked] == [("health", False), ("green", True), ("mobility", True)]
    assert ranked[1].reasons == [Reason("too-few", 1, 8)]


def test_values_outside_the_scale_are_rejected():
    with pytest.raises(ValueError, match="outside"):
        profile([ScanAnswer("green", PERFORMANCE, 7)], THEMES)


def test_enabler_results_give_mean_range_spread_and_distribution():
    from icc.assessments.scoring import enabler_results

    result = enabler_results(
        [("data", 1), ("data", 3), ("data", 5), ("data", None), ("skills", 4)], ["data", "skills", "finance"]
    )

    data, skills, finance = result
    assert (data.answers, data.unknown, data.mean, data.minimum, data.maximum, data.spread) == (3, 1, 3.0, 1, 5, 1.63)
    assert data.distribution == (1, 0, 1, 0, 1)
    assert skills.spread is None and finance.mean is None


def test_text_themes_keep_only_words_several_answers_share():
    from icc.assessments.scoring import text_themes

    themes = text_themes(
        [
            "Funding is scarce for startups",
            "No funding, weak broadband",
            "Broadband in the port; funding rules",
            "My neighbour Zorro",
        ]
    )

    assert themes == [("funding", 3), ("broadband", 2)]


def test_peer_statistics_give_median_and_quartiles():
    from icc.assessments.scoring import PeerStatistics, peer_statistics, population_band

    assert peer_statistics([4, 1, 3, 2, 5]) == PeerStatistics(5, 2.0, 3, 4.0)
    assert peer_statistics([7]) == PeerStatistics(1, None, 7, None)
    assert peer_statistics([]).median is None
    assert population_band(100_000) == (50_000, 200_000)
    assert population_band(None) is None
