"""What has happened so far in one debate, as the protocols need to read it.

The runner appends to a `Transcript` as turns finish or fail; protocols only read it
to decide who speaks, what each seat is shown, and when to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from roundtable.domain import Answer, DebateSpec, Seat, TurnComplete, Usage
from roundtable.domain.endings import LENGTH, REFUSED, reply_ending
from roundtable.engine.parsing import parse_answer


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """One finished turn: a seat's full text in one round and the answer read from it."""

    seat_id: str
    round: int
    text: str
    answer: Answer | None
    usage: Usage
    incomplete: bool = False
    #: How the reply ended when it is not a plain answer (`domain.endings`).
    ending: str = ""


@dataclass(frozen=True, slots=True)
class SeatFailure:
    """Why a seat left the table: the round it failed in and the provider's error."""

    seat_id: str
    round: int
    error_kind: str
    message: str


@dataclass(slots=True)
class Transcript:
    """The finished turns of every round so far, and the seats that dropped out."""

    spec: DebateSpec
    rounds: list[dict[str, TurnRecord]] = field(default_factory=list)
    failures: dict[str, SeatFailure] = field(default_factory=dict)
    #: Calls that are not turns (a judge rating agreement), so the totals include them.
    side_usage: list[Usage] = field(default_factory=list)

    # ------------------------------------------------------------ written by the runner
    def start_round(self) -> int:
        self.rounds.append({})
        return len(self.rounds) - 1

    def add_turn(self, turn: TurnRecord) -> None:
        self.rounds[turn.round][turn.seat_id] = turn

    def add_failure(self, failure: SeatFailure) -> None:
        self.failures[failure.seat_id] = failure

    def add_side_usage(self, usage: Usage) -> None:
        self.side_usage.append(usage)

    # ------------------------------------------------------------ read by protocols
    @property
    def standing(self) -> tuple[Seat, ...]:
        """Seats that have not failed (nor sit out the rest of a fork), in table order."""
        return tuple(seat for seat in self.spec.active_seats if seat.id not in self.failures)

    def turns(self, round_number: int) -> list[TurnRecord]:
        """The finished turns of a round, in table order (failed seats are absent)."""
        if not 0 <= round_number < len(self.rounds):
            return []
        by_seat = self.rounds[round_number]
        return [by_seat[seat.id] for seat in self.spec.seats if seat.id in by_seat]

    def latest_turn(self, seat_id: str, before_round: int | None = None) -> TurnRecord | None:
        """The seat's most recent finished turn, optionally before a given round."""
        last = len(self.rounds) if before_round is None else min(before_round, len(self.rounds))
        for round_number in range(last - 1, -1, -1):
            turn = self.rounds[round_number].get(seat_id)
            if turn is not None:
                return turn
        return None

    def others_latest(self, seat_id: str, before_round: int) -> list[tuple[Seat, TurnRecord]]:
        """Every other standing seat's most recent finished turn before `before_round`,
        in table order: what a seat reads in a discussion round."""
        others = []
        for other in self.standing:
            turn = self.latest_turn(other.id, before_round=before_round)
            if other.id != seat_id and turn is not None:
                others.append((other, turn))
        return others

    def usage(self) -> Usage:
        """The sum over every finished turn and side call; cost is None if any is unknown."""
        total = Usage()
        for by_seat in self.rounds:
            for turn in by_seat.values():
                total = total + turn.usage
        for usage in self.side_usage:
            total = total + usage
        return total


def turn_record(
    seat_id: str, round_number: int, text: str, usage: Usage, complete: TurnComplete | None
) -> TurnRecord:
    """A model's finished turn, with its answer and how its reply ended."""
    answer = parse_answer(text)
    # A stream that ended without its TurnComplete was cut: keep what arrived.
    cut = complete is None or complete.incomplete
    if complete is None or complete.incomplete:
        ending = complete.ending if complete is not None else ""  # the deadline, say
    else:
        ending = reply_ending(text, complete.finish_reason)
    if ending == REFUSED:
        answer = None  # a refusal casts no vote, whatever it said before it was stopped
    return TurnRecord(
        seat_id,
        round_number,
        text,
        answer,
        usage,
        incomplete=cut or ending == LENGTH,
        ending=ending,
    )
