"""What the debate view reads from its state: totals, the latest round's numbers, a turn.

`DebateReadings` is the read-only half of `DebateState` (the reducer in `state` is the
other half, the only writer): values worked out from the folded fields, never stored.
Pure Python (no Qt).
"""

from __future__ import annotations

from datetime import datetime

from roundtable.domain import DebateSpec, DebateStatus, Usage
from roundtable.domain.formatting import simulated_label
from roundtable.gui.debate.state_values import RoundView, SeatView, TurnView


class DebateReadings:
    """Readings of a folded debate; `DebateState` fills in the fields they read."""

    spec: DebateSpec | None
    status: DebateStatus | None
    seats: dict[str, SeatView]
    rounds: list[RoundView]
    final_usage: Usage | None
    started_at: datetime | None
    last_at: datetime | None
    _seat_order: dict[str, int]

    @property
    def seat_order(self) -> dict[str, int]:
        """Seat id -> place at the table (0-based)."""
        return self._seat_order

    @property
    def running(self) -> bool:
        return self.status is DebateStatus.RUNNING

    @property
    def current_round(self) -> RoundView | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def rounds_words(self) -> str:
        """The rounds the table finished, as the history counts them ("1 round"), and
        the round a stop cut short ("round 2 cut short"); a running round counts once
        it finishes."""
        done = sum(1 for rnd in self.rounds if rnd.finished)
        words = f"{done} round" + ("" if done == 1 else "s")
        last = self.current_round
        if last is not None and not last.finished and not self.running:
            words += f" (round {last.index + 1} cut short)"
        return words

    @property
    def latest_agreement(self) -> float | None:
        """Agreement of the latest finished round (the consensus meter's level)."""
        for rnd in reversed(self.rounds):
            if rnd.agreement is not None:
                return rnd.agreement
        return None

    @property
    def latest_leader(self) -> str | None:
        for rnd in reversed(self.rounds):
            if rnd.finished:
                return rnd.leader
        return None

    @property
    def agreement_history(self) -> list[float]:
        """Agreement per finished round, oldest first (the meter's tiny chart)."""
        return [r.agreement for r in self.rounds if r.agreement is not None]

    @property
    def total_tokens(self) -> int:
        if self.final_usage is not None:
            return self.final_usage.total_tokens
        return sum(seat.tokens for seat in self.seats.values())

    @property
    def total_cost_usd(self) -> float | None:
        """Dollars so far; None as soon as any turn's price is unknown (unknown is not free)."""
        if self.final_usage is not None:
            return self.final_usage.cost_usd
        total = 0.0
        for seat in self.seats.values():
            if seat.cost_usd is None:
                return None
            total += seat.cost_usd
        return total

    @property
    def elapsed_s(self) -> float:
        """Seconds from the first event to the latest one (event time, so replays agree)."""
        if self.started_at is None or self.last_at is None:
            return 0.0
        return max(0.0, (self.last_at - self.started_at).total_seconds())

    @property
    def any_active(self) -> bool:
        return any(seat.phase.active for seat in self.seats.values())

    @property
    def final_rankings(self) -> dict[str, float]:
        """The latest round's council rankings (seat id -> average rank), or {}."""
        for rnd in reversed(self.rounds):
            if rnd.rankings:
                return rnd.rankings
        return {}

    @property
    def simulated(self) -> str:
        """ "simulated" (or "partly simulated") when offline demo models sit here, else ""."""
        seats = self.spec.seats if self.spec is not None else ()
        return simulated_label(sum(seat.is_demo for seat in seats), len(seats))

    def seat_name(self, seat_id: str | None) -> str:
        """The seat's name for a person to read (its id if it is not at the table)."""
        seat = self.seats.get(seat_id or "")
        return seat.seat.name if seat is not None else (seat_id or "")

    def turn(self, round_index: int, seat_id: str) -> TurnView | None:
        if 0 <= round_index < len(self.rounds):
            return self.rounds[round_index].turns.get(seat_id)
        return None

    def previous_answer_text(self, seat_id: str, round_index: int) -> str | None:
        """The seat's text in the nearest earlier round it spoke in (for a diff), or None."""
        for earlier in range(min(round_index, len(self.rounds)) - 1, -1, -1):
            turn = self.rounds[earlier].turns.get(seat_id)
            if turn is not None and turn.text:
                return turn.text
        return None
