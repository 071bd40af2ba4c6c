"""Counting answers: ReConcile's confidence-weighted vote, a plain majority, the median
of numeric answers, a vote weighted by each seat's track record, agreement.

Ties are broken the same way every time, so a replayed or re-run debate picks the
same winner: more weight, then more seats, then the answer given first in seat
order.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from roundtable.domain import Answer, AnswerKind
from roundtable.domain.values import RecordWeights
from roundtable.engine.normalize import canonical_decimal

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
    #: A judge's agreement rating (0..1) for free-form answers, which cannot be compared
    #: by value; when set it is the round's agreement.
    judged: float | None = None
    #: What the judge found still disputed, and who judged, for the round's record.
    disputed: tuple[str, ...] = ()
    judged_by: str | None = None
    #: The judge's (or the protocol's) decision about the round, in one line.
    verdict: str = ""
    #: Council: seat id -> average rank from the peer review, best first.
    rankings: dict[str, float] = field(default_factory=dict)
    #: False when the count only informs (a council's first stages, a mixture's
    #: proposer layers): the protocol's structure, not agreement, ends the debate.
    binding: bool = True

    @property
    def agreement(self) -> float:
        """The judge's rating when there is one, else the share of the voters that agree
        with the leader (0 when nobody voted)."""
        if self.judged is not None:
            return self.judged
        return self.agreeing / self.voters if self.voters else 0.0

    def with_(self, **changes: object) -> VoteResult:
        """A copy with some fields changed (a judge's rating, the rankings…)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

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
    return _count(answers, [weight(answer) if answer is not None else 0.0 for answer in answers])


def _count(answers: Sequence[Answer | None], seat_weights: Sequence[float]) -> VoteResult:
    """Add up each answer's weight (`seat_weights[i]` for `answers[i]`) and find the leader."""
    weights: dict[str, float] = {}
    counts: dict[str, int] = {}
    first: dict[str, Answer] = {}  # normalised value -> first answer seen, in seat order
    for answer, seat_weight in zip(answers, seat_weights, strict=True):
        if answer is None:
            continue
        key = _key(answer)
        first.setdefault(key, answer)
        weights[key] = weights.get(key, 0.0) + seat_weight
        counts[key] = counts.get(key, 0) + 1
    tally = {first[key].display: round(total, 6) for key, total in weights.items()}
    if not weights:
        return VoteResult(tally=tally, leader=None, voters=len(answers), agreeing=0)
    order = list(first)
    best = max(order, key=lambda k: (_rounded(weights[k]), counts[k], -order.index(k)))
    return VoteResult(tally=tally, leader=first[best], voters=len(answers), agreeing=counts[best])


def median_vote(answers: Sequence[Answer | None]) -> VoteResult:
    """The majority when more than half the voters agree; otherwise, when every readable
    answer is a number, their median (as in crowd forecasting), else the plurality.

    The median's `agreeing` counts the seats whose answer equals it (often none: the
    median of 10, 20, 40 and 50 is 30, which nobody said).
    """
    vote = majority_vote(answers)
    numbers = [a for a in answers if a is not None]
    if (
        vote.leader is None
        or vote.agreeing * 2 > vote.voters
        or len(numbers) < 2
        or any(a.kind is not AnswerKind.NUMBER for a in numbers)
    ):
        return vote
    middle = statistics.median(Decimal(a.value) for a in numbers)
    value = canonical_decimal(Decimal(middle))
    leader = Answer(
        raw=f"median of {len(numbers)} answers", value=value, display=value, kind=AnswerKind.NUMBER
    )
    agreeing = sum(1 for a in numbers if a.value == value)
    return dataclasses.replace(vote, leader=leader, agreeing=agreeing)


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


def describe_median_rule(result: VoteResult, round_number: int) -> str:
    """One line for `median_vote`: a majority, or the median of the numbers."""
    if result.leader is None or not result.leader.raw.startswith("median of"):
        return describe_majority_rule(result, round_number)
    values = ", ".join(result.tally)
    return (
        f"No answer had a majority in round {round_number + 1}, so the median of the "
        f"numeric answers ({values}) was taken: {result.leader.display}."
    )


def describe_judged_rule(result: VoteResult, round_number: int) -> str:
    """One line for free-form answers that a judge rated below the threshold."""
    judged = result.judged if result.judged is not None else result.agreement
    head = (
        f"The answers were free-form, so a judge rated their agreement: {judged:.0%} in "
        f"round {round_number + 1}, short of consensus."
    )
    if result.leader is None:
        return head + " No common answer emerged."
    return head + f" Closest to a common position: {result.leader.display}."


def describe_consensus(result: VoteResult, round_number: int, threshold: float) -> str:
    """One line for a debate that stopped because the table agreed."""
    assert result.leader is not None
    round_number += 1
    if result.judged is not None:
        return (
            f"Consensus: the judge rated the table's agreement {result.judged:.0%} "
            f"(threshold {threshold:.0%}) in round {round_number}; common position: "
            f"{result.leader.display}."
        )
    if result.agreeing == result.voters:
        who = "both seats" if result.voters == 2 else f"all {result.voters} seats"
    else:
        who = f"{result.agreeing} of {result.voters} seats (threshold {threshold:.0%})"
    return f"Consensus: {who} answered {result.leader.display} in round {round_number}."


# ---------------------------------------------------------------- by track record
#: How a track record's answer-kind scope is named: "similar questions" with no task.
KIND_WORDS = {
    AnswerKind.NUMBER.value: "number answers",
    AnswerKind.CHOICE.value: "multiple-choice answers",
    AnswerKind.YESNO.value: "yes/no answers",
    AnswerKind.TEXT.value: "short-text answers",
}


@dataclass(frozen=True, slots=True)
class RecordWeight:
    """One seat's vote weight from its record on the vote's scope (`answers` 0: none)."""

    seat_id: str
    weight: float
    answers: int


def record_weight(correct: int, answers: int) -> float:
    """A seat's vote weight from `correct` of `answers` right: (correct + 1) / (answers + 2).

    Laplace's rule of succession rather than the bare share: a seat with no record
    weighs 0.5 (no evidence either way), and 3 right of 3 (0.8) weighs less than 95 of
    100 (0.94), so a few lucky answers do not outweigh a long record.
    """
    if not 0 <= correct <= answers:
        raise ValueError(f"{correct} right of {answers} answers is not a record")
    return (correct + 1) / (answers + 2)


def record_scope(records: RecordWeights, answers: Sequence[Answer | None]) -> str:
    """What "similar questions" means for this vote: the task the question comes from,
    else the kind most of the answers have (ties: the kind given first in seat order)."""
    if records.scope is not None:
        return records.scope
    kinds = [answer.kind.value for answer in answers if answer is not None]
    if not kinds:
        return AnswerKind.TEXT.value
    return max(dict.fromkeys(kinds), key=lambda kind: (kinds.count(kind), -kinds.index(kind)))


def seat_record_weights(
    records: RecordWeights, seat_ids: Sequence[str], scope: str
) -> list[RecordWeight]:
    """Each seat's weight on `scope`, in the order of `seat_ids`."""
    found = {
        record.seat_id: record
        for record in records.records
        if record.scope == scope and record.answers > 0
    }
    weights = []
    for seat_id in seat_ids:
        record = found.get(seat_id)
        right, answers = (record.correct, record.answers) if record else (0, 0)
        weights.append(RecordWeight(seat_id, record_weight(right, answers), answers))
    return weights


def record_weighted_vote(
    answers: Sequence[Answer | None], weights: Sequence[RecordWeight]
) -> VoteResult:
    """Each seat's answer weighs its track record (`weights[i]` for `answers[i]`)."""
    return _count(answers, [seat.weight for seat in weights])


def describe_record_rule(
    result: VoteResult,
    round_number: int,
    scope: str,
    weights: Sequence[RecordWeight],
    names: Mapping[str, str],
) -> str:
    """One line a person can check: the scope, every seat's weight, and the winner."""
    round_number += 1
    if result.leader is None:
        return f"No seat gave a parseable answer in round {round_number}, so there is no answer."
    where = f"{KIND_WORDS[scope]} across tasks" if scope in KIND_WORDS else scope
    shown = ", ".join(
        f"{names.get(seat.seat_id, seat.seat_id)} {seat.weight:.2f} "
        + (f"(n={seat.answers})" if seat.answers else "(no record)")
        for seat in weights
    )
    total = sum(result.tally.values())
    weight = result.tally[result.leader.display]
    return (
        f"Weighted by track record on {where}, round {round_number} "
        f"(each seat's accuracy alone there, (right + 1)/(n + 2)): {shown}. "
        f"{result.leader.display} won with {weight:.2f} of {total:.2f}."
    )


def _key(answer: Answer) -> str:
    # The kind is part of the key: the number "1" and the text "1" never merge by accident.
    return f"{answer.kind.value}:{answer.value}"


def _rounded(weight: float) -> float:
    return round(weight / _EPSILON) * _EPSILON
