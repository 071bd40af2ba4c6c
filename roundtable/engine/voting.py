"""Counting answers: ReConcile's confidence-weighted vote, a plain majority, agreement.

Ties are broken the same way every time, so a replayed or re-run debate picks the
same winner: more weight, then more seats, then the answer given first in seat
order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from roundtable.domain import Answer

#: Weights below this are float noise from summing, not a real difference.
_EPSILON = 1e-9


def recalibrate(confidence: float | None) -> float:
    """ReConcile's mapping from a model's stated confidence to a vote weight.

    Models overstate their confidence, so the paper squashes it: 1.0 -> 1.0,
    [0.9, 1.0) -> 0.8, [0.8, 0.9) -> 0.5, (0.6, 0.8) -> 0.3, <= 0.6 -> 0.1. A missing
    confidence counts as the lowest band rather than as no vote.
    """
    if confidence is None:
        return 0.1
    if confidence >= 1.0:
        return 1.0
    if confidence >= 0.9:
        return 0.8
    if confidence >= 0.8:
        return 0.5
    if confidence > 0.6:
        return 0.3
    return 0.1


@dataclass(frozen=True, slots=True)
class VoteResult:
    """The outcome of counting one round's answers.

    `tally` maps the display form of the first answer seen for each normalised
    value to its total weight, in order of first appearance. `voters` counts the
    seats that finished their turn (with or without a parseable answer);
    `agreeing` those whose normalised answer equals the leader's.
    """

    tally: dict[str, float]
    leader: Answer | None
    voters: int
    agreeing: int

    @property
    def agreement(self) -> float:
        """Share of the voters that agree with the leader (0 when nobody voted)."""
        return self.agreeing / self.voters if self.voters else 0.0

    @property
    def leader_display(self) -> str | None:
        return self.leader.display if self.leader else None


def weighted_vote(answers: Sequence[Answer | None]) -> VoteResult:
    """ReConcile's final rule: each answer weighs `recalibrate(confidence)`."""
    return _vote(answers, lambda answer: recalibrate(answer.confidence))


def majority_vote(answers: Sequence[Answer | None]) -> VoteResult:
    """One seat, one vote (Du et al.'s debate, plain voting baselines)."""
    return _vote(answers, lambda _answer: 1.0)


def _vote(answers: Sequence[Answer | None], weight: Callable[[Answer], float]) -> VoteResult:
    weights: dict[str, float] = {}
    counts: dict[str, int] = {}
    first: dict[str, Answer] = {}  # normalised value -> first answer seen, in seat order
    for answer in answers:
        if answer is None:
            continue
        key = _key(answer)
        first.setdefault(key, answer)
        weights[key] = weights.get(key, 0.0) + weight(answer)
        counts[key] = counts.get(key, 0) + 1
    tally = {first[key].display: round(total, 6) for key, total in weights.items()}
    if not weights:
        return VoteResult(tally=tally, leader=None, voters=len(answers), agreeing=0)
    order = list(first)
    best = max(order, key=lambda k: (_rounded(weights[k]), counts[k], -order.index(k)))
    return VoteResult(tally=tally, leader=first[best], voters=len(answers), agreeing=counts[best])


def same_answer(a: Answer | None, b: Answer | None) -> bool:
    """True when both are answers with the same kind and normalised value."""
    return a is not None and b is not None and _key(a) == _key(b)


def describe_weighted_rule(result: VoteResult, round_number: int) -> str:
    """One line a person can check: how the weighted vote chose the final answer.

    `round_number` is the engine's (from 0); people read rounds counted from 1.
    """
    round_number += 1
    if result.leader is None:
        return f"No seat gave a parseable answer in round {round_number}, so there is no answer."
    total = sum(result.tally.values())
    weight = result.tally[result.leader.display]
    return (
        f"Confidence-weighted vote of round {round_number} (ReConcile recalibration: "
        f"1.0→1.0, ≥0.9→0.8, ≥0.8→0.5, >0.6→0.3, else 0.1): "
        f"{result.leader.display} won with {weight:g} of {total:g}."
    )


def describe_majority_rule(result: VoteResult, round_number: int) -> str:
    """One line a person can check: how the plain majority chose the final answer."""
    round_number += 1
    if result.leader is None:
        return f"No seat gave a parseable answer in round {round_number}, so there is no answer."
    return (
        f"Majority vote of round {round_number}: {result.leader.display} "
        f"from {result.agreeing} of {result.voters} seats."
    )


def describe_consensus(result: VoteResult, round_number: int, threshold: float) -> str:
    """One line for a debate that stopped because the table agreed."""
    assert result.leader is not None
    round_number += 1
    if result.agreeing == result.voters:
        who = f"all {result.voters} seats"
    else:
        who = f"{result.agreeing} of {result.voters} seats (threshold {threshold:.0%})"
    return f"Consensus: {who} answered {result.leader.display} in round {round_number}."


def _key(answer: Answer) -> str:
    # The kind is part of the key: the number "1" and the text "1" never merge by accident.
    return f"{answer.kind.value}:{answer.value}"


def _rounded(weight: float) -> float:
    return round(weight / _EPSILON) * _EPSILON
