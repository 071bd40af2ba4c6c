"""Stamping and batching the events of one debate as the runner emits them.

`Emitter` gives each event the debate id and the next sequence number (or passes a
copied or replayed stored event on, for forks and resumes); `Coalescer` batches one
turn's streamed text into `TurnDelta` events.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from roundtable.domain import Event, TurnDelta
from roundtable.domain.events import BaseEvent
from roundtable.engine.continuation import restamp

E = TypeVar("E", bound=BaseEvent)


class Emitter:
    """Stamps events with the debate id and the next sequence number, then emits them."""

    def __init__(self, debate_id: str, sink: Callable[[Event], None]) -> None:
        self.debate_id = debate_id
        self._sink = sink
        self._seq = 0

    def __call__(self, cls: type[E], **fields: Any) -> E:
        event = cls(debate_id=self.debate_id, seq=self._seq, **fields)
        self._seq += 1
        self._sink(cast(Event, event))
        return event

    def copy(self, event: Event, *, at: datetime | None = None) -> Event:
        """Emit `event` (copied from a stored debate) as the next event of this one."""
        copied = restamp(event, self.debate_id, self._seq, at)
        self._seq += 1
        self._sink(copied)
        return copied

    def replay(self, event: Event) -> None:
        """Emit one of this debate's own stored events unchanged (a resume), and number
        the events after it from there: the log's numbers have gaps where deltas were."""
        if event.debate_id != self.debate_id:
            raise ValueError(f"event of debate {event.debate_id} replayed in {self.debate_id}")
        self._sink(event)
        self._seq = event.seq + 1


class Coalescer:
    """Batches one turn's text deltas into `TurnDelta` events.

    The first delta goes out at once; later ones wait until `interval` has passed
    since the last event, and a timer makes sure a stream that pauses still shows
    what it has sent. A timer callback cannot raise into the turn, so an error in
    the sink is kept and raised on the turn's next call.
    """

    def __init__(self, emit: Emitter, round_number: int, seat_id: str, interval: float):
        self._emit = emit
        self._round = round_number
        self._seat_id = seat_id
        self._interval = interval
        self._loop = asyncio.get_running_loop()
        self._pending: list[str] = []
        self._last = -math.inf
        self._timer: asyncio.TimerHandle | None = None
        self._error: Exception | None = None

    def add(self, text: str) -> None:
        self._raise_kept_error()
        self._pending.append(text)
        if self._loop.time() - self._last >= self._interval:
            self.flush()
        elif self._timer is None:
            self._timer = self._loop.call_at(self._last + self._interval, self._on_timer)

    def flush(self) -> None:
        self._cancel_timer()
        self._raise_kept_error()
        if self._pending:
            text = "".join(self._pending)
            self._pending.clear()
            self._last = self._loop.time()
            self._emit(TurnDelta, round=self._round, seat_id=self._seat_id, text=text)

    def discard(self) -> None:
        """Forget text not yet emitted (the attempt it belongs to failed)."""
        self._cancel_timer()
        self._pending.clear()

    def close(self) -> None:
        self._cancel_timer()

    def _on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception as exc:  # kept for the turn's task, which can raise it
            self._error = exc

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _raise_kept_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error
