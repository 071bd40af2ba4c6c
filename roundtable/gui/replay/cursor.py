"""Where a replay stands in a stored debate's log, and the events that take the view there.

Pure Python (no Qt). `ReplayCursor` hands the target (the debate view) the stored events
in order, and the `TurnDelta`s that reveal a running turn's text a little at a time
(`reveal`). A jump (back, or far ahead) restores the nearest checkpoint and folds only
the few events after it (`jump_to`), so every move costs the same whatever the
position in a 1,000-turn debate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from roundtable.domain import Event, TurnDelta, TurnRetrying, TurnStarted
from roundtable.gui.replay.checkpoints import Checkpoints
from roundtable.gui.replay.timeline import (
    ROUND_EVENTS,
    TURN_ENDS,
    Flight,
    Timeline,
    TurnKey,
    flight_for,
)


class ReplayTarget(Protocol):
    """What a replay draws on: the debate view (or a test's recording fake). A target
    may also have `restore_prefix(snapshot, events, since, until)` (show the state after the
    first `until` events from a snapshot of the first `since`: a jump, drawn once) and
    `show_replay(ReplayPosition | None)` (where the replay stands, for its status line)
    and `prepare_ahead(events)` (get ready for the events about to be applied, while idle).
    Without `restore_prefix`, a jump back clears the target and applies the prefix again."""

    def clear(self) -> None: ...

    def apply(self, event: Event) -> object: ...


class ReplayCursor:
    """The stored events applied so far (`index`) and the turns being revealed."""

    def __init__(self, target: ReplayTarget) -> None:
        self._target = target
        self.timeline = Timeline.build(())
        self._checkpoints = Checkpoints(())
        #: How many stored events the target has been given.
        self.index = 0
        #: The round of the latest event applied (0-based, as stored), None before any.
        self.round: int | None = None
        #: The turns started and not ended, revealed as playback runs.
        self.flights: dict[TurnKey, Flight] = {}
        self._last_at: datetime | None = None
        self._last_seq = 0

    def load(self, events: Sequence[Event]) -> None:
        """Take a stored debate's events; the target shows them all (its end state)."""
        self.timeline = Timeline.build(events)
        self._checkpoints = Checkpoints(self.timeline.events)
        self._land(self.timeline.total_turns)

    def prepare(self, snapshots: int) -> bool:
        """Make some checkpoints ahead of the first jump; True once all are made."""
        return self._checkpoints.prepare(snapshots)

    # ------------------------------------------------------------------ reading
    @property
    def events(self) -> tuple[Event, ...]:
        return self.timeline.events

    @property
    def at_end(self) -> bool:
        return self.index >= len(self.timeline.events)

    @property
    def position(self) -> int:
        """Turns ended so far."""
        return self.timeline.position_at(self.index)

    @property
    def revealing(self) -> bool:
        """Some turn shows part of its text: the view is then not an exact prefix of the
        log. A turn's end event replaces what was revealed with the stored text, so
        once every revealed turn has ended (a replay played to its end) it is exact again."""
        return any(flight.shown for flight in self.flights.values())

    def coming(self, turns: int) -> tuple[Event, ...]:
        """The events from here up to the end of the next `turns` turns."""
        events, start = self.timeline.events, self.index
        end, ended = start, 0
        while end < len(events) and ended < turns:
            ended += isinstance(events[end], TURN_ENDS)
            end += 1
        return events[start:end]

    def next_event(self) -> Event | None:
        return None if self.at_end else self.timeline.events[self.index]

    # ------------------------------------------------------------------ moving
    def jump_to(self, position: int) -> None:
        """Show the view exactly as once `position` turns have ended: the nearest
        checkpoint and the few events after it, drawn once."""
        until = self.timeline.boundaries[position]
        restore = getattr(self._target, "restore_prefix", None)
        if callable(restore):
            since, snapshot = self._checkpoints.nearest(until)
            restore(snapshot, self.timeline.events, since, until)
        else:
            self._target.clear()
            for event in self.timeline.events[:until]:
                self._target.apply(event)
        self._land(position)

    def apply_until(self, index: int) -> None:
        """Apply the events up to `index` one by one (a short step: only what changed
        is drawn), revealed turns carrying on from where they are."""
        while self.index < index:
            self.apply_next()

    def apply_next(self) -> None:
        """Apply the next event, keeping the reveal bookkeeping."""
        event = self.timeline.events[self.index]
        index = self.index
        self.index += 1
        self._last_seq, self._last_at = event.seq, event.at
        if isinstance(event, ROUND_EVENTS):
            self.round = event.round
        if isinstance(event, TurnStarted):
            self._take_off(index)
        elif isinstance(event, TurnRetrying):
            flight = self.flights.get((event.round, event.seat_id))
            if flight is not None:  # the view voids the text: reveal it again
                flight.shown, flight.credit = 0, 0.0
        elif isinstance(event, TURN_ENDS):
            self.flights.pop((event.round, event.seat_id), None)
        self._target.apply(event)

    def reveal(self, flight: Flight, replay_s: float) -> None:
        """Show `replay_s` seconds' worth more of a running turn's text."""
        if flight.done:
            return
        if flight.think_s > 0:
            flight.think_s -= replay_s
            return
        flight.credit += flight.chars_per_s * replay_s
        count = int(flight.credit)
        if count <= 0:
            return
        flight.credit -= count
        chunk = flight.text[flight.shown : flight.shown + count]
        flight.shown += len(chunk)
        start = flight.start
        # Debate time moves on with the text, so the view's clock advances as it did live.
        share = flight.shown / len(flight.text)
        at = start.at + (flight.end_at - start.at) * share
        if self._last_at is not None:
            at = max(at, self._last_at)
        self._last_at = at
        self._target.apply(
            TurnDelta(
                debate_id=start.debate_id,
                seq=self._last_seq,
                at=at,
                round=start.round,
                seat_id=start.seat_id,
                text=chunk,
            )
        )

    # ------------------------------------------------------------------ machinery
    def _land(self, position: int) -> None:
        """The bookkeeping of a view that shows exactly `position` turns ended."""
        timeline = self.timeline
        self.index = timeline.boundaries[position]
        self.round = timeline.round_at[position]
        last = timeline.events[self.index - 1] if self.index else None
        self._last_seq, self._last_at = (last.seq, last.at) if last else (0, None)
        self.flights.clear()
        for start in timeline.open_at[position]:
            self._take_off(start)

    def _take_off(self, start_index: int) -> None:
        """The turn started at `start_index` is revealed from its first character."""
        start = self.timeline.events[start_index]
        end_index = self.timeline.end_of_start.get(start_index)
        if end_index is None or not isinstance(start, TurnStarted):
            return
        end = self.timeline.events[end_index]
        assert isinstance(end, TURN_ENDS)
        self.flights[(start.round, start.seat_id)] = flight_for(start, end)
