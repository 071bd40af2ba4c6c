"""Debates built to order for the training-export tests: seats, turns round by round.

events = debate("d1", [{"ada": says("6*7 = 42.", "42", 0.9), "bea": None}],
                final="42", consensus=True)
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    Exchange,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from tests.helpers.events import EventBuilder, answer, usage

SEATS = (
    Seat(id="ada", name="Ada", model="openai/gpt-4o"),
    Seat(id="bea", name="Bea", model="anthropic/claude-sonnet-4-5"),
    Seat(id="cy", name="Cy", model="mistral/mistral-large-latest"),
)

#: A seat's turn: (its text, its answer, its confidence); None: the turn failed.
Turn = tuple[str, str, float | None] | None


def debate(
    debate_id: str,
    rounds: Sequence[dict[str, Turn]],
    *,
    final: str | None,
    consensus: bool,
    question: str = "What is 6*7?",
    context: tuple[Exchange, ...] = (),
    incomplete: frozenset[tuple[int, str]] = frozenset(),
    seats: tuple[Seat, ...] = SEATS,
) -> list[Event]:
    """A finished debate at `seats` with the given turns, round by round."""
    log = EventBuilder(debate_id)
    log.add(DebateStarted, spec=DebateSpec(question=question, seats=seats, context=context))
    for number, turns in enumerate(rounds):
        log.add(RoundStarted, round=number, seat_ids=tuple(turns))
        for seat_id, turn in turns.items():
            log.add(TurnStarted, round=number, seat_id=seat_id)
            if turn is None:
                log.add(TurnFailed, round=number, seat_id=seat_id, error_kind="x", message="x")
                continue
            text, value, confidence = turn
            log.add(
                TurnFinished,
                round=number,
                seat_id=seat_id,
                text=text,
                answer=answer(value, confidence),
                usage=usage(10, 10),
                incomplete=(number, seat_id) in incomplete,
            )
        log.add(RoundFinished, round=number, tally={}, agreement=1.0, leader=final)
    log.add(
        DebateFinished,
        final_answer=final,
        consensus=consensus,
        rule="test",
        tally={},
        usage=usage(10, 10),
        rounds=len(rounds),
    )
    return log.events


def says(
    reasoning: str, value: str, confidence: float | None = None
) -> tuple[str, str, float | None]:
    """A turn whose text is `reasoning` and the two answer lines."""
    return (f"{reasoning}\n\nFinal answer: {value}\nConfidence: {confidence}", value, confidence)
