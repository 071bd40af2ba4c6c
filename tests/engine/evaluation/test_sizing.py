"""Self-consistency's k: the sample count whose tokens come closest to the table's."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.engine.evaluation.sizing import plan_self_consistency


def test_k_is_the_count_closest_to_the_tables_tokens() -> None:
    plan = plan_self_consistency(11_000, 2_100)
    # 5 samples: 10,500 (500 short); 6 samples: 12,600 (1,600 over)
    assert plan.samples == 5
    assert plan.expected_tokens == 10_500
    assert not plan.capped
    assert plan.describe("gpt-4o") == (
        "self-consistency: 5 samples of gpt-4o, about 10,500 tokens a question (the table: 11,000)"
    )


def test_rounding_up_when_that_is_closer() -> None:
    assert plan_self_consistency(11_000, 1_900).samples == 6  # 11,400 beats 9,500


def test_a_tie_takes_the_cheaper_k() -> None:
    assert plan_self_consistency(3_000, 2_000).samples == 1  # 2,000 and 4,000 both 1,000 off


def test_k_stays_between_one_and_the_cap() -> None:
    assert plan_self_consistency(500, 2_000).samples == 1
    assert plan_self_consistency(0, 2_000).samples == 1
    capped = plan_self_consistency(100_000, 100, cap=8)
    assert (capped.samples, capped.capped) == (8, True)
    assert capped.describe("a").endswith("(the table: 100,000), capped at 8")
    assert plan_self_consistency(1e308, 1e-300).samples == 20
    assert (
        plan_self_consistency(2_000, 2_000)
        .describe("a")
        .startswith("self-consistency: 1 sample of a,")
    )


@pytest.mark.parametrize(
    ("table", "sample", "cap", "message"),
    [
        (1_000, 0, 20, "positive number"),
        (1_000, math.nan, 20, "positive number"),
        (-1, 100, 20, "non-negative"),
        (1_000, 100, 0, "at least 1"),
    ],
)
def test_measurements_that_make_no_sense_are_refused(
    table: float, sample: float, cap: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        plan_self_consistency(table, sample, cap=cap)


@given(
    st.floats(0, 1e7, allow_nan=False),
    st.floats(1, 1e6, allow_nan=False),
    st.integers(1, 50),
)
def test_no_allowed_k_is_closer_to_the_tables_cost(table: float, sample: float, cap: int) -> None:
    plan = plan_self_consistency(table, sample, cap=cap)
    assert 1 <= plan.samples <= cap
    best = abs(plan.samples * sample - table)
    assert all(abs(k * sample - table) >= best for k in range(1, cap + 1))
