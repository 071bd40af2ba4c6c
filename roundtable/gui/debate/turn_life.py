"""How a turn and its seat's card move through their phases, one turn event at a time.

`DebateState` decides which turn an event concerns and reports what changed; the
functions here say what the event does to that turn and to its seat (pure Python, no
Qt). A seat's card shows its latest turn, so both move together.
"""

from __future__ import annotations

from roundtable.domain import TurnFailed, TurnFinished, TurnRetrying
from roundtable.gui.debate.state_values import (
    Phase,
    RoundView,
    SeatView,
    TurnKey,
    TurnView,
    describe_error_kind,
)


def start(turn: TurnView, seat: SeatView) -> None:
    """The seat is called on: it thinks until its first text arrives."""
    turn.phase = seat.phase = Phase.THINKING
    seat.error = seat.error_detail = ""


def queue(turn: TurnView, seat: SeatView, server: str) -> None:
    """The seat's server is busy with other seats: the turn waits in line, not thinking."""
    turn.phase = seat.phase = Phase.QUEUED
    turn.waiting_for = seat.waiting_for = server


def send(turn: TurnView, seat: SeatView) -> None:
    """The turn's request went out: it thinks now."""
    turn.phase = seat.phase = Phase.THINKING
    turn.waiting_for = seat.waiting_for = ""


def stream(turn: TurnView, seat: SeatView, text: str) -> bool:
    """Append streamed `text`; True when the seat's phase changed (its badge must redraw)."""
    was = turn.phase
    turn.phase = seat.phase = Phase.STREAMING
    turn.error = turn.error_detail = ""
    turn.retry_delay_s = None
    turn.text += text
    seat.error = seat.error_detail = ""
    return was is not Phase.STREAMING


def retry(turn: TurnView, seat: SeatView, event: TurnRetrying) -> None:
    """An attempt failed and another is coming: what streamed so far is void."""
    short = f"{describe_error_kind(event.error_kind)}, retrying in {event.delay_s:g} s"
    turn.phase = seat.phase = Phase.RETRYING
    turn.text = ""
    turn.error, turn.error_detail = short, event.message
    turn.retry_delay_s = event.delay_s
    seat.error, seat.error_detail = short, event.message


def finish(turn: TurnView, seat: SeatView, event: TurnFinished) -> None:
    """The turn is done: its full text and answer; the seat's answer and bill grow."""
    turn.phase = seat.phase = Phase.DONE
    turn.text = event.text
    turn.answer = event.answer
    turn.usage = event.usage
    turn.incomplete = event.incomplete
    turn.ending = event.ending
    turn.capitulated = event.capitulated
    turn.ranking = tuple(event.ranking)
    turn.passed = event.passed
    turn.error = turn.error_detail = ""
    turn.retry_delay_s = None
    seat.your_turn = False
    seat.error = seat.error_detail = ""
    if event.answer is not None:
        seat.answer, seat.answer_round = event.answer, event.round
    seat.tokens += event.usage.total_tokens
    if seat.cost_usd is not None:
        # Unknown is not free: one turn of unknown price makes the seat's total unknown.
        cost = event.usage.cost_usd
        seat.cost_usd = None if cost is None else seat.cost_usd + cost


def fail(turn: TurnView, seat: SeatView, event: TurnFailed) -> None:
    """The turn failed for good; whatever text arrived stays readable."""
    turn.phase = seat.phase = Phase.FAILED
    turn.text = event.partial_text or turn.text
    turn.error = turn.error_detail = event.message
    turn.retry_delay_s = None
    seat.error = seat.error_detail = event.message


def stop_running(
    rounds: list[RoundView], seats: dict[str, SeatView], *, waiting_too: bool
) -> tuple[frozenset[str], frozenset[TurnKey]]:
    """Nothing animates once the debate is over: running turns and seats become STOPPED.

    Returns the seats and turns that changed."""
    turns = set()
    for rnd in rounds:
        for turn in rnd.turns.values():
            if turn.phase.active:
                turn.phase = Phase.STOPPED
                turn.retry_delay_s = None
                turns.add(turn.key)
    stopped = set()
    for seat in seats.values():
        if seat.phase.active or (waiting_too and seat.phase is Phase.WAITING):
            seat.phase = Phase.STOPPED
            stopped.add(seat.seat_id)
        if seat.your_turn:
            seat.your_turn = False
            stopped.add(seat.seat_id)
    return frozenset(stopped), frozenset(turns)
