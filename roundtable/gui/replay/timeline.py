"""Where a stored debate's turns begin and end, and how a turn is revealed in replay.

Pure Python (no Qt): `Timeline` indexes the stored events of one debate by turn
boundary, and `Flight` is one turn being revealed during playback, at the speed its
model streamed (from the stored usage) within readable bounds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    Event,
    RoundFinished,
    RoundStarted,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)

#: Characters a second a turn is revealed at when its usage says nothing useful.
DEFAULT_CHARS_PER_S = 320.0
#: Bounds on a turn's reveal rate at 1x: slower is tedious, faster is unreadable.
MIN_CHARS_PER_S, MAX_CHARS_PER_S = 120.0, 900.0
#: The wait before a turn's first characters ("thinking"), at most this, at 1x.
MAX_THINK_S = 1.0

#: The events that end a turn; position k is "k of these applied".
TURN_ENDS = (TurnFinished, TurnFailed)
#: Events that belong to the boundary after a turn's end: round results, the finish.
TRAILING = (
    RoundFinished,
    ConsensusReached,
    DebateFinished,
    DebateCancelled,
    DebateInterrupted,
    DebateFailed,
)
#: Events that carry a round number (for the bar's "Round 2").
ROUND_EVENTS = (RoundStarted, TurnStarted, RoundFinished, TurnFinished, TurnFailed)
#: (round, seat id): one seat's turn in one round.
TurnKey = tuple[int, str]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The stored events of one debate and where its turn boundaries fall."""

    events: tuple[Event, ...]
    #: boundaries[k] = how many events are applied at position k (k turns ended).
    boundaries: tuple[int, ...]
    #: For each TurnStarted's index, the index of the event that ends that turn.
    end_of_start: dict[int, int]
    #: open_at[k] = indexes of the TurnStarted events whose turn is still running at
    #: position k (a round's turns start together and end one by one).
    open_at: tuple[tuple[int, ...], ...]
    #: round_at[k] = the round of the latest event carrying one at position k.
    round_at: tuple[int | None, ...]

    @classmethod
    def build(cls, events: Sequence[Event]) -> Timeline:
        stored = tuple(e for e in events if not isinstance(e, TurnDelta))
        ends = [i for i, e in enumerate(stored) if isinstance(e, TURN_ENDS)]
        if not ends:
            return cls(stored, (len(stored),), {}, ((),), (_last_round(stored),))
        first = next(i for i, e in enumerate(stored) if isinstance(e, ROUND_EVENTS))
        bounds = [first]
        for end in ends:
            after = end + 1
            while after < len(stored) and isinstance(stored[after], TRAILING):
                after += 1
            bounds.append(after)
        # The last position is always the whole log: the end state the user opened.
        bounds[-1] = len(stored)
        end_of_start: dict[int, int] = {}
        open_turns: dict[TurnKey, int] = {}
        open_at: list[tuple[int, ...]] = []
        round_at: list[int | None] = []
        current: int | None = None
        k = 0
        for i, event in enumerate((*stored, None)):
            while k < len(bounds) and bounds[k] == i:  # the state after the first i events
                open_at.append(tuple(sorted(open_turns.values())))
                round_at.append(current)
                k += 1
            if isinstance(event, ROUND_EVENTS):
                current = event.round
            if isinstance(event, TurnStarted):
                open_turns[(event.round, event.seat_id)] = i
            elif isinstance(event, TURN_ENDS):
                start = open_turns.pop((event.round, event.seat_id), None)
                if start is not None:
                    end_of_start[start] = i
        return cls(stored, tuple(bounds), end_of_start, tuple(open_at), tuple(round_at))

    @property
    def total_turns(self) -> int:
        return len(self.boundaries) - 1

    def position_at(self, cursor: int) -> int:
        """The last boundary at or before `cursor` (events applied)."""
        return max(0, bisect.bisect_right(self.boundaries, cursor) - 1)


def _last_round(events: Sequence[Event]) -> int | None:
    return next((e.round for e in reversed(events) if isinstance(e, ROUND_EVENTS)), None)


@dataclass(slots=True)
class Flight:
    """A turn being revealed: its final text, how much is shown, when it may start."""

    start: TurnStarted
    text: str
    end_at: datetime
    chars_per_s: float
    think_s: float
    shown: int = 0
    credit: float = 0.0

    @property
    def done(self) -> bool:
        return self.shown >= len(self.text)


def flight_for(start: TurnStarted, end: TurnFinished | TurnFailed) -> Flight:
    """How the turn opened by `start` is revealed: the text `end` carries, at the rate
    its model streamed it (characters over streaming seconds), kept readable."""
    if isinstance(end, TurnFinished):
        text = end.text
        streaming_s = end.usage.latency_s - (end.usage.first_token_s or 0.0)
        rate = len(text) / streaming_s if streaming_s > 0.05 else DEFAULT_CHARS_PER_S
        think = min(MAX_THINK_S, end.usage.first_token_s or 0.0)
    else:
        text, rate, think = end.partial_text, DEFAULT_CHARS_PER_S, 0.0
    rate = min(MAX_CHARS_PER_S, max(MIN_CHARS_PER_S, rate))
    return Flight(start, text, end.at, rate, think)
