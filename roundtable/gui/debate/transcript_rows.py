"""The transcript's rows: which round headings, turns and outcome it shows, in order,
how tall each one is, and where each one starts.

Pure Python (no Qt). The transcript makes widgets only for the rows on screen; the
others are numbers here: a row's height is measured once its widget has been laid out,
and estimated (from its text's length) until then. Positions are running sums of the
heights, so a long debate scrolls through rows that do not exist as widgets.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable

from roundtable.gui.debate.state import DebateState
from roundtable.gui.debate.state_values import Phase, TurnKey

#: A row: ("round", index, "") a heading, ("turn", round, seat id) a turn card,
#: ("outcome", 0, "") the debate's outcome under its last round.
RowKey = tuple[str, int, str]
ROUND, TURN, OUTCOME = "round", "turn", "outcome"
OUTCOME_ROW: RowKey = (OUTCOME, 0, "")


def heading_row(index: int) -> RowKey:
    return (ROUND, index, "")


def turn_row(key: TurnKey) -> RowKey:
    return (TURN, key[0], key[1])


def turn_key(row: RowKey) -> TurnKey:
    return (row[1], row[2])


def rows_of(state: DebateState, seat_filter: str | None) -> list[RowKey]:
    """Every row the state shows, top to bottom: each round's heading then its turns in
    the seats' order at the table (one seat's only, under a filter), then the outcome."""
    order = {seat_id: seat.index for seat_id, seat in state.seats.items()}
    rows: list[RowKey] = []
    for rnd in state.rounds:
        rows.append(heading_row(rnd.index))
        rows.extend(
            (TURN, rnd.index, turn.seat_id)
            for turn in rnd.ordered_turns(order)
            if seat_filter is None or turn.seat_id == seat_filter
        )
    if state.spec is not None:
        rows.append(OUTCOME_ROW)
    return rows


def unsettled_rows(state: DebateState) -> list[RowKey]:
    """Rows whose content may differ from when they were measured: turns not done,
    rounds not finished (a replay's jump back shows them part-way)."""
    rows: list[RowKey] = [OUTCOME_ROW]
    for rnd in state.rounds:
        if not rnd.finished:
            rows.append(heading_row(rnd.index))
        rows += [turn_row(t.key) for t in rnd.turns.values() if t.phase is not Phase.DONE]
    return rows


class TranscriptRows:
    """The rows in order with their heights (each followed by `gap` pixels) and tops."""

    def __init__(self, estimate: Callable[[RowKey], int], gap: int = 8) -> None:
        self._estimate = estimate
        self.gap = gap
        self.keys: list[RowKey] = []
        self._where: dict[RowKey, int] = {}
        self._measured: dict[RowKey, int] = {}
        self._estimated: dict[RowKey, int] = {}
        #: The running sums of heights and gaps (tops[i]: row i's top), valid up to `_valid`.
        self._tops: list[int] = [0]
        self._valid = 0

    # ------------------------------------------------------------ rows
    def set_keys(self, keys: list[RowKey]) -> bool:
        """Show these rows; False when they are the ones shown already."""
        if keys == self.keys:
            return False
        first = next(
            (i for i, (old, new) in enumerate(zip(self.keys, keys, strict=False)) if old != new),
            min(len(self.keys), len(keys)),
        )
        self.keys = keys
        self._where = {key: i for i, key in enumerate(keys)}
        self._invalidate(first)
        return True

    def index(self, key: RowKey) -> int | None:
        return self._where.get(key)

    def __len__(self) -> int:
        return len(self.keys)

    # ------------------------------------------------------------ heights
    def height(self, i: int) -> int:
        """Row `i`'s height without its gap: measured if it has been, else estimated."""
        key = self.keys[i]
        known = self._measured.get(key)
        if known is None:
            known = self._estimated.get(key)
            if known is None:
                known = self._estimated[key] = self._estimate(key)
        return known

    def measured(self, key: RowKey, height: int) -> bool:
        """Its widget was laid out at this height; True when that moved the rows below."""
        if self._measured.get(key) == height:
            return False
        self._measured[key] = height
        self._invalidate(self._where.get(key, 0))
        return True

    def is_measured(self, key: RowKey) -> bool:
        return key in self._measured

    def changed(self, keys: Iterable[RowKey]) -> None:
        """These rows' content changed: what was known of their height no longer holds."""
        for key in keys:
            self._measured.pop(key, None)
            self._estimated.pop(key, None)
            self._invalidate(self._where.get(key, 0))

    def width_changed(self) -> None:
        """A new column width: estimates are redone; measured heights stay as the best
        guess until their rows are laid out again."""
        self._estimated.clear()
        self._invalidate(0)

    def forget(self) -> None:
        """Another debate: nothing known about heights holds any more."""
        self._measured.clear()
        self._estimated.clear()
        self._invalidate(0)

    # ------------------------------------------------------------ positions
    def _invalidate(self, first: int) -> None:
        """Rows from `first` on may have moved."""
        self._valid = min(self._valid, first)

    def _refresh(self) -> None:
        """Redo the running sums from the first row that changed (scrolling a long
        debate measures rows near the view: the sums above it stand)."""
        count = len(self.keys)
        if self._valid >= count and len(self._tops) == count + 1:
            return
        first = min(self._valid, count)
        gap = self.gap
        slots = [self.height(i) + gap for i in range(first, count)]
        self._tops[first + 1 :] = list(itertools.accumulate(slots, initial=self._tops[first]))[1:]
        self._valid = count

    def top(self, i: int) -> int:
        self._refresh()
        return self._tops[i]

    @property
    def total(self) -> int:
        """All rows' heights and gaps together."""
        self._refresh()
        return self._tops[-1]

    def at(self, y: int) -> int:
        """The index of the row at `y` (the first or the last row beyond the ends)."""
        self._refresh()
        if not self.keys:
            return 0
        return min(len(self.keys) - 1, max(0, bisect.bisect_right(self._tops, y) - 1))

    def between(self, top: int, bottom: int) -> range:
        """The indexes of the rows that show between `top` and `bottom`."""
        if not self.keys:
            return range(0)
        return range(self.at(top), self.at(bottom) + 1)
