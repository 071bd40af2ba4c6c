"""The roundtable protocol's stop rule and final decision, on a hand-built transcript."""

from __future__ import annotations

import pytest

from roundtable.domain import ConsensusRule, DebateSpec, Seat, Usage
from roundtable.engine import get_protocol, parse_answer
from roundtable.engine.transcript import SeatFailure, Transcript, TurnRecord

SEATS = tuple(Seat(s, s.title(), f"demo/{s}") for s in ("ada", "bob", "cy"))


def round_0(texts: list[str], threshold: float = 1.0) -> Transcript:
    spec = DebateSpec(question="Q?", seats=SEATS, consensus=ConsensusRule(threshold))
    transcript = Transcript(spec)
    transcript.start_round()
    for seat, text in zip(SEATS, texts, strict=True):
        transcript.add_turn(TurnRecord(seat.id, 0, text, parse_answer(text), Usage()))
    return transcript


@pytest.mark.parametrize(
    ("texts", "threshold", "agreed"),
    [
        (["Final answer: 42", "Final answer: 42.0", "Final answer: forty-two"], 1.0, True),
        (["Final answer: 42", "Final answer: 42", "No idea."], 1.0, False),  # unparsed disagrees
        (["Final answer: 42", "Final answer: 42", "No idea."], 0.6, True),
        (["Final answer: 42", "Final answer: 41", "Final answer: 40"], 0.3, False),  # lone seats
        (["Final answer: B", "Final answer: (b)", "Final answer: C"], 0.7, False),
    ],
)
def test_consensus_needs_the_threshold_and_at_least_two_agreeing_seats(
    texts: list[str], threshold: float, agreed: bool
) -> None:
    protocol = get_protocol("roundtable")
    transcript = round_0(texts, threshold)
    vote = protocol.count(0, transcript)
    assert protocol.is_consensus(vote, transcript.spec) is agreed


def test_without_consensus_the_final_answer_is_the_weighted_vote() -> None:
    protocol = get_protocol("roundtable")
    transcript = round_0(
        [
            "Final answer: 7\nConfidence: 1.0",
            "Final answer: 8\nConfidence: 0.5",
            "Final answer: 8\nConfidence: 0.6",
        ]
    )
    vote = protocol.count(0, transcript)
    decision = protocol.decide(0, vote, transcript, consensus=False)
    assert decision.answer is not None
    assert decision.answer.display == "7"
    assert decision.consensus is False
    assert decision.tally == {"7": 1.0, "8": pytest.approx(0.2)}


def test_every_seat_still_standing_speaks() -> None:
    transcript = round_0(["Final answer: 1", "Final answer: 1", "Final answer: 1"])
    transcript.add_failure(SeatFailure("bob", 0, "auth", "refused"))
    speakers = get_protocol("roundtable").speakers(1, transcript)
    assert [seat.id for seat in speakers] == ["ada", "cy"]
