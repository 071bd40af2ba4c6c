"""The pieces of the debate view's state: seats, turns, rounds, and what changed.

Pure Python (no Qt), so the reducer in `state` and its tests run without a
display. `DebateState.apply` is the only writer; widgets read.
"""

from __future__ import annotations

import enum
from copy import copy
from dataclasses import dataclass, field, replace
from typing import Any

from roundtable.domain import Answer, Seat, Usage

#: A turn is one seat speaking in one round.
TurnKey = tuple[int, str]

#: Short words for the provider error kinds (`ProviderError.kind`), for a seat card.
_ERROR_WORDS = {
    "rate_limit": "rate limited",
    "timeout": "timed out",
    "unavailable": "provider unavailable",
    "stream_cut": "stream cut",
    "bad_response": "bad response",
    "auth": "key refused",
}


def describe_error_kind(kind: str) -> str:
    """A few words for an error kind ("rate_limit" -> "rate limited")."""
    return _ERROR_WORDS.get(kind, kind.replace("_", " ") or "error")


class Phase(enum.StrEnum):
    """Where a seat (or one turn) stands; the badge a person sees on its card."""

    WAITING = "waiting"
    #: Its turn has begun, but its server is busy with other seats' requests.
    QUEUED = "queued"
    THINKING = "thinking"
    STREAMING = "streaming"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"
    #: The debate ended (cancelled, interrupted, failed) while this turn was running.
    STOPPED = "stopped"
    #: A seat a fork dropped: it spoke in the copied rounds and takes no further turn.
    SAT_OUT = "sat out"

    @property
    def active(self) -> bool:
        """True while something is happening that deserves an animated indicator."""
        return self in (Phase.QUEUED, Phase.THINKING, Phase.STREAMING, Phase.RETRYING)


@dataclass(slots=True)
class TurnView:
    """One seat's turn in one round, as the transcript shows it."""

    round: int
    seat_id: str
    phase: Phase = Phase.THINKING
    text: str = ""
    answer: Answer | None = None
    usage: Usage | None = None
    incomplete: bool = False
    #: How the reply ended when it is not a plain answer (`domain.endings`).
    ending: str = ""
    #: Short line for the card ("rate limited, retrying in 4 s"); the full text is `error_detail`.
    error: str = ""
    error_detail: str = ""
    #: Seconds until the next attempt, while `phase` is RETRYING.
    retry_delay_s: float | None = None
    #: Switched to the majority's answer without a new argument (conformity).
    capitulated: bool = False
    #: A council review's ranking: seat ids, best first.
    ranking: tuple[str, ...] = ()
    #: A person passed this turn.
    passed: bool = False
    #: The server this turn waits for ("localhost:8080") while `phase` is QUEUED.
    waiting_for: str = ""

    @property
    def key(self) -> TurnKey:
        return (self.round, self.seat_id)


@dataclass(slots=True)
class SeatView:
    """One seat's card at the table."""

    seat: Seat
    index: int
    phase: Phase = Phase.WAITING
    #: The latest parsed answer and the round it came from (kept while a new turn runs).
    answer: Answer | None = None
    answer_round: int | None = None
    error: str = ""
    error_detail: str = ""
    tokens: int = 0
    #: Dollars so far; None once any of its turns had an unknown price.
    cost_usd: float | None = 0.0
    #: A person sits here and the engine waits for their turn now.
    your_turn: bool = False
    #: The first round this seat sat out (a fork dropped it), None while it takes part.
    sat_out_from: int | None = None
    #: The server its turn waits for ("localhost:8080") while `phase` is QUEUED.
    waiting_for: str = ""

    @property
    def seat_id(self) -> str:
        return self.seat.id

    @property
    def confidence(self) -> float | None:
        return self.answer.confidence if self.answer else None


@dataclass(slots=True)
class RoundView:
    """One round: its turns in table order and, once it finished, how the table stood."""

    index: int
    #: What the debate's protocol calls this round ("discussion", "stage 2 · peer review").
    kind: str = ""
    seat_ids: tuple[str, ...] = ()
    turns: dict[str, TurnView] = field(default_factory=dict)
    finished: bool = False
    agreement: float | None = None
    tally: dict[str, float] = field(default_factory=dict)
    leader: str | None = None
    #: The agreed answer when the engine declared consensus in this round.
    consensus: str | None = None
    #: Council: seat id -> average rank from the peer review, best first.
    rankings: dict[str, float] = field(default_factory=dict)
    #: A judge's verdict, the points it found disputed, and the judging seat's id.
    verdict: str = ""
    disputed: tuple[str, ...] = ()
    judged_by: str | None = None

    def ordered_turns(self, seat_order: dict[str, int]) -> list[TurnView]:
        """Turns sorted by the seats' places at the table, not by arrival."""
        return sorted(self.turns.values(), key=lambda t: seat_order.get(t.seat_id, 1_000))


def copy_round(rnd: RoundView) -> RoundView:
    """A copy of `rnd` to change without touching `rnd` (its turns copied too; the
    values in them are immutable)."""
    return replace(
        rnd,
        turns={seat_id: replace(turn) for seat_id, turn in rnd.turns.items()},
        tally=dict(rnd.tally),
        rankings=dict(rnd.rankings),
    )


class StateSnapshot:
    """A `DebateState` as it was when `DebateState.snapshot()` was called, for
    `DebateState.restore`. Its rounds are shared with the state, which copies a round
    before it writes to it; seats change in place with nearly every event, so each side
    has its own; the other values are replaced, never changed in place."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self._fields = fields

    @classmethod
    def taken(cls, fields: dict[str, Any]) -> StateSnapshot:
        """A snapshot of a state's fields (`vars(state)`)."""
        return cls(_copied(fields))

    def fields(self) -> dict[str, Any]:
        """The fields to give a state back (copies it may change)."""
        return _copied(self._fields)


def _copied(fields: dict[str, Any]) -> dict[str, Any]:
    copied = {name: value for name, value in fields.items() if name != "_own"}
    copied["seats"] = {seat_id: copy(seat) for seat_id, seat in fields["seats"].items()}
    copied["rounds"] = list(fields["rounds"])
    return copied


@dataclass(frozen=True, slots=True)
class Change:
    """What one event changed, so each widget updates only that.

    `appended` is set for a streamed delta only: the new text of the single turn in
    `turns`, to append rather than redraw.
    """

    reset: bool = False
    seats: frozenset[str] = frozenset()
    turns: frozenset[TurnKey] = frozenset()
    appended: str = ""
    rounds: frozenset[int] = frozenset()
    debate: bool = False

    @property
    def empty(self) -> bool:
        return not (self.reset or self.seats or self.turns or self.rounds or self.debate)
