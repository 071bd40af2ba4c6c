"""A follow-up keeps every seat's colour and place from the debate it follows, also when
a fork before it dropped a seat (the seats after it moved up one place and took its
colour)."""

from __future__ import annotations

import dataclasses

from roundtable.domain import DebateSpec, DebateStarted, Seat
from roundtable.engine.continuation import followup_spec
from roundtable.gui.debate.state import DebateState
from roundtable.gui.style.colours import seat_colour

SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("bob", "Bob", "demo/basil"),
    Seat("cy", "Cy", "demo/cyra"),
)


def _colours(spec: DebateSpec, debate_id: str) -> dict[str, str]:
    state = DebateState()
    state.apply(DebateStarted(debate_id=debate_id, seq=0, spec=spec))
    return {seat_id: seat_colour(view.index).name() for seat_id, view in state.seats.items()}


def test_a_follow_up_of_a_fork_that_dropped_a_seat_keeps_every_colour(qapp):
    fork = dataclasses.replace(
        DebateSpec(question="What is 6 × 7?", seats=SEATS, max_rounds=3), sitting_out=("bob",)
    )
    followup, _ = followup_spec(
        fork, parent_id="fork", question="And 6 × 8?", answer="42", consensus=True
    )
    before, after = _colours(fork, "fork"), _colours(followup, "followup")
    assert after["ada"] == before["ada"]
    assert after["cy"] == before["cy"]
    assert [seat.id for seat in followup.active_seats] == ["ada", "cy"]  # Bob stays away
