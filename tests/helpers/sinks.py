"""`RecordingSink`: a consumer of the event stream that remembers what it was given.

Everything downstream of the engine consumes one stream (DESIGN.md): a sink is called
with each event (`sink(event)`), a view is fed (`view.apply(event)`, `view.clear()`).
One recorder stands in for either, so engine, replay and provider tests ask the same
questions of what came out: which events of a kind (`of`), what a viewer saw of a
turn's text (`streamed`), which turns ended (`turn_ends`), and when (`times`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from roundtable.domain import Event, TurnDelta, TurnFailed, TurnFinished, TurnRetrying

__all__ = ["RecordingSink"]

E = TypeVar("E", bound=Event)


class RecordingSink:
    """Keeps every event it is given, and the `clock`'s reading when it was given.

    Pass the loop's clock (`asyncio.get_running_loop().time`) to time events on a
    virtual clock; the default is the wall clock.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.events: list[Event] = []
        self.times: list[float] = []
        #: How many times a view was told to start again from nothing.
        self.clears = 0

    # ---------------------------------------------------------------- as a sink, as a view
    def __call__(self, event: Event) -> None:
        self.events.append(event)
        self.times.append(self._clock())

    def apply(self, event: Event) -> None:
        self(event)

    def clear(self) -> None:
        self.clears += 1
        self.events = []
        self.times = []

    # ---------------------------------------------------------------- what came out
    def of(self, cls: type[E], **match: Any) -> list[E]:
        """The events of type `cls` whose fields equal `match`, in order."""
        return [
            e
            for e in self.events
            if isinstance(e, cls) and all(getattr(e, k) == v for k, v in match.items())
        ]

    def kinds(self, *, deltas: bool = False) -> list[str]:
        """The type names in order (text deltas left out unless asked for)."""
        return [type(e).__name__ for e in self.events if deltas or not isinstance(e, TurnDelta)]

    def streamed(self, seat_id: str, round_index: int = 0) -> str:
        """What a viewer saw of a turn: its deltas since its last `TurnRetrying`."""
        text = ""
        for event in self.events:
            if getattr(event, "seat_id", None) != seat_id or getattr(event, "round", None) != (
                round_index
            ):
                continue
            if isinstance(event, TurnRetrying):
                text = ""
            elif isinstance(event, TurnDelta):
                text += event.text
        return text

    def turn_ends(self) -> list[TurnFinished | TurnFailed]:
        """Every turn's end, finished or failed, in the order they came."""
        return [e for e in self.events if isinstance(e, TurnFinished | TurnFailed)]

    def time_of(self, event: Event) -> float:
        """When `event` (this very object) was given to the sink."""
        for seen, at in zip(self.events, self.times, strict=True):
            if seen is event:
                return at
        raise LookupError(f"{type(event).__name__} #{event.seq} was never given to this sink")
