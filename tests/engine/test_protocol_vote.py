"""`vote`: one round of independent answers; the majority, or the median of numbers."""

from __future__ import annotations

import pytest

from roundtable.domain import DebateFinished, RoundStarted, Seat
from roundtable.engine import parse_answer
from roundtable.engine.voting import median_vote
from tests.engine.protocol_kit import SEATS, conversation, of, run, spec_for
from tests.engine.scripted import ScriptedGateway, answer_text, reply


async def test_one_call_per_seat_and_nobody_sees_anybody() -> None:
    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply(answer_text("42", 0.9, "Ada's reasons.")))
    gateway.enqueue("bob", reply(answer_text("41", 0.9)))
    gateway.enqueue("cy", reply(answer_text("42", 0.9)))

    events = await run(spec_for("vote", max_rounds=3), gateway)

    assert len(of(events, RoundStarted)) == 1
    assert [gateway.calls_of(s.id) for s in SEATS] == [1, 1, 1]
    assert "Ada's reasons" not in conversation(gateway.messages_for("bob"))
    finished = of(events, DebateFinished)[0]
    assert (finished.final_answer, finished.consensus) == ("42", False)
    assert finished.rule == "Majority vote of round 1: 42 from 2 of 3 seats."


async def test_numbers_without_a_majority_take_the_median() -> None:
    seats = (*SEATS, Seat("dee", "Dee", "demo/dee"))
    gateway = ScriptedGateway()
    for seat, value in zip(("ada", "bob", "cy", "dee"), ("120", "80", "1,000", "100"), strict=True):
        gateway.enqueue(seat, reply(answer_text(value, 0.6)))

    events = await run(spec_for("vote", seats=seats), gateway)

    finished = of(events, DebateFinished)[0]
    assert finished.final_answer == "110"  # between 100 and 120; nobody said it
    assert finished.rule == (
        "No answer had a majority in round 1, so the median of the numeric answers "
        "(120, 80, 1,000, 100) was taken: 110."
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["3", "3", "9"], "3"),  # a majority stands
        (["1", "2", "10"], "2"),  # the median resists the outlier
        (["B", "C", "D"], "B"),  # letters have no median: the plurality's first
        (["1", "2", None], "1.5"),  # the median of the readable numbers only
    ],
)
def test_median_vote(answers: list[str | None], expected: str) -> None:
    parsed = [parse_answer(f"Final answer: {a}") if a else None for a in answers]
    vote = median_vote(parsed)
    assert vote.leader is not None
    assert vote.leader.display == expected
