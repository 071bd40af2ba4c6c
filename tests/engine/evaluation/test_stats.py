"""The report's statistics against values worked out by hand."""

from __future__ import annotations

import pytest

from roundtable.engine.evaluation.stats import (
    CalibrationBin,
    calibration,
    cost_per_correct,
    debate_flips,
    format_p_value,
    mcnemar_exact_p,
    mcnemar_test,
    total_cost,
    wilson_interval,
)

Z2 = 1.959963984540054**2


def test_wilson_for_8_of_10() -> None:
    # centre (0.8 + z²/20) / (1 + z²/10); half-width z·sqrt(0.016 + z²/400) / (1 + z²/10)
    interval = wilson_interval(8, 10)
    assert interval.low == pytest.approx(0.4901625, abs=1e-6)
    assert interval.high == pytest.approx(0.9433178, abs=1e-6)
    assert interval.estimate == 0.8
    assert interval.describe() == "80 % (49-94 %, n = 10)"


def test_wilson_at_the_edges_stays_inside_0_1_and_is_not_a_point() -> None:
    none_right = wilson_interval(0, 10)
    assert none_right.low == 0.0
    assert none_right.high == pytest.approx((Z2 / 10) / (1 + Z2 / 10))  # 0.2775
    all_right = wilson_interval(10, 10)
    assert all_right.low == pytest.approx(1 / (1 + Z2 / 10))  # 0.7225
    assert all_right.high == 1.0


def test_wilson_with_no_questions_knows_nothing() -> None:
    empty = wilson_interval(0, 0)
    assert (empty.low, empty.high, empty.estimate) == (0.0, 1.0, None)
    assert empty.describe() == "no questions (n = 0)"


@pytest.mark.parametrize(("successes", "trials"), [(-1, 5), (6, 5), (0, -1)])
def test_wilson_refuses_what_is_not_a_proportion(successes: int, trials: int) -> None:
    with pytest.raises(ValueError, match="not a proportion"):
        wilson_interval(successes, trials)


@pytest.mark.parametrize(
    ("first_only", "second_only", "p_value"),
    [
        (10, 2, 2 * (1 + 12 + 66) / 2**12),  # 0.0386
        (2, 10, 2 * (1 + 12 + 66) / 2**12),  # symmetric
        (3, 0, 2 / 2**3),  # 0.25: three questions cannot show anything
        (6, 0, 2 / 2**6),  # 0.03125
        (5, 5, 1.0),  # twice the tail is above 1: capped
        (0, 0, 1.0),  # never disagreed
    ],
)
def test_mcnemar_exact_p_values(first_only: int, second_only: int, p_value: float) -> None:
    assert mcnemar_exact_p(first_only, second_only) == pytest.approx(p_value, rel=1e-12)


def test_mcnemar_on_large_samples_stays_exact_and_finite() -> None:
    # 1,000 discordant pairs split evenly: the two tails cover everything and p is 1.
    assert mcnemar_exact_p(500, 500) == 1.0
    assert 0.0 <= mcnemar_exact_p(3000, 2000) < 1e-40


def test_mcnemar_verdict_when_the_table_wins_by_more_than_chance() -> None:
    table = [True] * 10 + [False] * 2 + [True] * 4 + [False] * 4
    seat = [False] * 10 + [True] * 2 + [True] * 4 + [False] * 4
    test = mcnemar_test(table, seat)
    assert (test.first_only, test.second_only, test.pairs) == (10, 2, 20)
    assert test.significant
    assert test.verdict == (
        "the table is better than the best single seat; the difference is more than "
        "chance at this sample size (p = 0.039)"
    )


def test_mcnemar_verdict_names_the_better_side_whichever_it_is() -> None:
    test = mcnemar_test([False] * 6, [True] * 6, first="the table", second="self-consistency")
    assert test.verdict.startswith("self-consistency is better than the table;")
    assert "(p = 0.031)" in test.verdict


def test_mcnemar_verdict_when_nothing_is_shown() -> None:
    table = [True, True, True, False] + [True] * 16
    seat = [False, False, True, True] + [True] * 16
    test = mcnemar_test(table, seat)
    assert (test.first_only, test.second_only) == (2, 1)
    assert not test.significant
    assert test.verdict == "no evidence of a difference at n = 20 (p = 1.00)"
    assert mcnemar_test([], []).verdict == (
        "no questions to compare the table with the best single seat"
    )


def test_mcnemar_refuses_outcomes_that_are_not_paired() -> None:
    with pytest.raises(ValueError, match="differ in length: 2 and 1"):
        mcnemar_test([True, False], [True])


@pytest.mark.parametrize(
    ("p_value", "text"),
    [(0.0004, "p < 0.001"), (0.0123, "p = 0.012"), (0.0386, "p = 0.039"), (0.394, "p = 0.39")],
)
def test_p_values_are_shown_with_sensible_digits(p_value: float, text: str) -> None:
    assert format_p_value(p_value) == text


def test_brier_and_ece_worked_by_hand() -> None:
    result = calibration([(0.9, True), (0.6, False), (1.0, True), (0.2, False), (None, True)])
    assert result is not None
    # ((0.1)² + (0.6)² + 0² + (0.2)²) / 4
    assert result.brier == pytest.approx(0.1025)
    # bin 9: confidence 0.95, accuracy 1, 2 of 4; bin 6: 0.6 vs 0, 1 of 4; bin 2: 0.2 vs 0
    assert result.ece == pytest.approx(0.5 * 0.05 + 0.25 * 0.6 + 0.25 * 0.2)
    assert (result.answers, result.unstated) == (4, 1)
    assert result.bins == (
        CalibrationBin(0.2, 0.3, 1, 0.2, 0.0),
        CalibrationBin(0.6, 0.7, 1, 0.6, 0.0),
        CalibrationBin(0.9, 1.0, 2, pytest.approx(0.95), 1.0),  # type: ignore[arg-type]
    )


def test_a_perfectly_calibrated_seat_scores_zero_ece() -> None:
    outcomes = [(0.75, True)] * 3 + [(0.75, False)]
    result = calibration(outcomes)
    assert result is not None
    assert result.ece == pytest.approx(0.0)
    assert result.brier == pytest.approx((3 * 0.25**2 + 0.75**2) / 4)


def test_calibration_without_stated_confidence_is_unknown_not_zero() -> None:
    assert calibration([(None, True), (None, False)]) is None
    with pytest.raises(ValueError, match=r"in \[0, 1\], not 1.5"):
        calibration([(1.5, True)])


def test_debate_flips_count_both_directions() -> None:
    flips = debate_flips([True, False, False, True, True], [True, True, False, False, True])
    assert (flips.wrong_to_right, flips.right_to_wrong, flips.questions) == (1, 1, 5)
    assert flips.describe() == (
        "debate turned a wrong majority right on 1 and a right majority wrong on 1 of 5 questions"
    )


def test_an_unknown_price_keeps_the_total_and_the_cost_per_correct_unknown() -> None:
    assert total_cost([0.01, None, 0.02]) is None
    unknown = cost_per_correct([0.01, None], correct=3)
    assert unknown.usd is None
    assert unknown.describe() == "unknown (a price is not known)"


def test_cost_per_correct_answer() -> None:
    known = cost_per_correct([0.01, 0.02, 0.03], correct=3)
    assert known.usd == pytest.approx(0.02)
    assert known.describe() == "$0.0200 per correct answer"
    assert cost_per_correct([0.0, 0.0], correct=2).describe() == "free"
    nothing_right = cost_per_correct([0.05], correct=0)
    assert nothing_right.usd is None
    assert nothing_right.describe() == "no correct answer for $0.0500"
    assert total_cost([]) == 0.0
