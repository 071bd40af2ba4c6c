"""Properties of the statistics over every input, not just the worked examples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from roundtable.engine.evaluation.stats import calibration, mcnemar_exact_p, wilson_interval


@st.composite
def proportions(draw: st.DrawFn) -> tuple[int, int]:
    trials = draw(st.integers(min_value=1, max_value=10**7))
    return draw(st.integers(min_value=0, max_value=trials)), trials


@given(proportions())
def test_the_wilson_interval_holds_the_estimate_inside_0_1(proportion: tuple[int, int]) -> None:
    successes, trials = proportion
    interval = wilson_interval(successes, trials)
    assert 0.0 <= interval.low <= successes / trials <= interval.high <= 1.0


@given(proportions())
def test_more_questions_never_widen_the_interval(proportion: tuple[int, int]) -> None:
    successes, trials = proportion
    small, large = wilson_interval(successes, trials), wilson_interval(4 * successes, 4 * trials)
    assert large.high - large.low <= small.high - small.low + 1e-12


@given(st.integers(0, 400), st.integers(0, 400))
def test_the_mcnemar_p_value_is_a_symmetric_probability(b: int, c: int) -> None:
    p_value = mcnemar_exact_p(b, c)
    assert 0.0 < p_value <= 1.0
    assert p_value == mcnemar_exact_p(c, b)
    # One more question the same way makes the difference no less convincing.
    if b > c:
        assert mcnemar_exact_p(b + 1, c) <= p_value


@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), min_size=1, max_size=50))
def test_brier_and_ece_lie_in_0_1(outcomes: list[tuple[float, bool]]) -> None:
    result = calibration(outcomes)
    assert result is not None
    assert 0.0 <= result.brier <= 1.0
    assert 0.0 <= result.ece <= 1.0 + 1e-12
    assert sum(b.count for b in result.bins) == len(outcomes)
