"""Folded states of a stored debate every few events, so a replay's jump costs the same
at turn 10 as at turn 1,000.

Pure Python (no Qt). `Checkpoints` folds the log into a private `DebateState` of its
own, as far as it was asked, and keeps a `StateSnapshot` every `CHECKPOINT_EVERY`
events. A jump back (or far ahead) restores the nearest snapshot at or before the
target and folds only the few events after it. Snapshots share the rounds nobody
changed since, so all of them together hold about one more copy of the debate's state.
"""

from __future__ import annotations

from collections.abc import Sequence

from roundtable.domain import Event
from roundtable.gui.debate.state import DebateState, StateSnapshot

#: Events between two snapshots: at most this many are folded after a restore (a
#: 1,000-turn debate of 2,252 events keeps 36 snapshots; folding 63 events is ~0.2 ms).
CHECKPOINT_EVERY = 64


class Checkpoints:
    """Snapshots of the fold of `events`, one every `every` events (the first: before any)."""

    def __init__(self, events: Sequence[Event], every: int = CHECKPOINT_EVERY) -> None:
        self._events = events
        self._every = max(1, every)
        self._fold = DebateState()
        self._snapshots: list[StateSnapshot] = [self._fold.snapshot()]

    def nearest(self, count: int) -> tuple[int, StateSnapshot]:
        """The latest snapshot taken at or before the first `count` events: (how many
        events it has folded, the snapshot). Folds on from the last snapshot made, once,
        if the log was not folded that far yet."""
        count = min(max(0, count), len(self._events))
        wanted = count // self._every
        while len(self._snapshots) <= wanted:
            self._fold_on()
        return wanted * self._every, self._snapshots[wanted]

    @property
    def complete(self) -> bool:
        """Every snapshot the log has is made."""
        return len(self._snapshots) > len(self._events) // self._every

    def prepare(self, snapshots: int) -> bool:
        """Make up to `snapshots` more snapshots ahead of need (in idle time, so the
        first jump back does not fold the whole log); True once all are made."""
        for _ in range(snapshots):
            if self.complete:
                break
            self._fold_on()
        return self.complete

    def _fold_on(self) -> None:
        start = (len(self._snapshots) - 1) * self._every
        for event in self._events[start : start + self._every]:
            self._fold.apply(event)
        self._snapshots.append(self._fold.snapshot())

    def __len__(self) -> int:
        """Snapshots made so far."""
        return len(self._snapshots)
