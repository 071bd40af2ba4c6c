"""ReConcile's recalibrated, confidence-weighted vote; majority; agreement; tie-breaks."""

from __future__ import annotations

import pytest

from roundtable.domain import Answer
from roundtable.engine import parse_answer
from roundtable.engine.voting import (
    describe_consensus,
    describe_weighted_rule,
    majority_vote,
    recalibrate,
    weighted_vote,
)


def ans(text: str, confidence: float | None = None) -> Answer:
    line = f"Final answer: {text}"
    if confidence is not None:
        line += f"\nConfidence: {confidence}"
    answer = parse_answer(line)
    assert answer is not None
    return answer


@pytest.mark.parametrize(
    ("confidence", "weight"),
    [
        (1.0, 1.0),
        (0.99, 0.8),
        (0.9, 0.8),
        (0.89, 0.5),
        (0.8, 0.5),
        (0.79, 0.3),
        (0.61, 0.3),
        (0.6, 0.1),
        (0.0, 0.1),
        (None, 0.1),
    ],
)
def test_recalibration_follows_reconcile(confidence: float | None, weight: float) -> None:
    assert recalibrate(confidence) == weight


def test_a_confident_minority_can_outweigh_an_unsure_majority() -> None:
    result = weighted_vote([ans("42", 1.0), ans("41", 0.6), ans("41", 0.7)])
    assert result.tally == {"42": 1.0, "41": pytest.approx(0.4)}
    assert result.leader is not None
    assert result.leader.display == "42"
    # Agreement counts seats, not weight: 1 of 3 gave the leading answer.
    assert result.agreement == pytest.approx(1 / 3)


def test_majority_counts_seats_not_confidence() -> None:
    result = majority_vote([ans("42", 1.0), ans("41", 0.6), ans("41", 0.7)])
    assert result.leader is not None
    assert result.leader.display == "41"
    assert result.tally == {"42": 1.0, "41": 2.0}


def test_tally_keys_are_the_display_of_the_first_answer_seen() -> None:
    result = weighted_vote([ans("$1,000", 0.9), ans("1000", 0.9), ans("1000.0", 0.9)])
    assert list(result.tally) == ["$1,000"]
    assert result.tally["$1,000"] == pytest.approx(2.4)
    assert result.agreement == 1.0


def test_seat_without_an_answer_counts_as_not_agreeing() -> None:
    result = weighted_vote([ans("B", 0.9), ans("(b)", 0.9), None])
    assert result.voters == 3
    assert result.agreeing == 2
    assert result.agreement == pytest.approx(2 / 3)


def test_no_answers_means_no_leader_and_no_agreement() -> None:
    result = weighted_vote([None, None])
    assert result.leader is None
    assert result.agreement == 0.0
    assert result.tally == {}


def test_equal_weight_ties_go_to_more_seats_then_first_seen() -> None:
    # 0.8 + 0.1 + 0.1 = 1.0 for A (three seats) vs 1.0 for B (one seat): A has more seats.
    result = weighted_vote([ans("B", 1.0), ans("A", 0.9), ans("A", 0.5), ans("A", 0.5)])
    assert result.leader is not None
    assert result.leader.value == "A"
    # Exactly equal weight and seats: the answer given first (in seat order) wins, every time.
    for _ in range(3):
        tie = weighted_vote([ans("7", 0.95), ans("8", 0.95)])
        assert tie.leader is not None
        assert tie.leader.value == "7"


def test_rule_descriptions_say_what_won_and_how() -> None:
    result = weighted_vote([ans("42", 1.0), ans("41", 0.6)])
    rule = describe_weighted_rule(result, 2)
    assert "round 3" in rule
    assert "42 won with 1 of 1.1" in rule
    agreed = weighted_vote([ans("42", 1.0), ans("42", 0.6)])
    assert describe_consensus(agreed, 0, 1.0) == "Consensus: both seats answered 42 in round 1."
