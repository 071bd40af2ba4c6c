"""Getting the transcript's rows ready before they scroll into view.

A turn's card costs 10-15 ms to make the first time (its Markdown converted, a dozen
child widgets built and polished under the app's style sheet, its text laid out),
against ~10 ms for a frame that only scrolls. Made in the frame in which the card comes
into view, two of them took a frame past 33 ms. So the rows within a screen or so of
the view are made on the event loop's idle passes instead, nearest first in the
direction the reader is going, one piece of work at a time and no more per pass than a
small budget: a card scrolled to is already made, measured and placed.

`rows_to_prepare` says which rows, in which order (pure); `IdleWork` runs the work;
`RowsAhead` says what the next piece of work is and keeps what it got ready.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QPalette

from roundtable.gui.debate.state import DebateState
from roundtable.gui.debate.state_values import Phase
from roundtable.gui.debate.transcript_rows import OUTCOME, ROUND, RowKey, TranscriptRows, turn_key
from roundtable.gui.debate.turn_card import TurnCard, convert_markdown_ahead

#: A job: one piece of preparation (convert one turn's Markdown, make one row's widget).
Job = Callable[[], object]


def rows_to_prepare(
    rows: TranscriptRows, top: int, bottom: int, reach: int, *, downward: bool
) -> Iterator[int]:
    """Indexes of the rows within `reach` pixels beyond [top, bottom], nearest first:
    those ahead of the reader (below when going `downward`) before those behind."""
    if not rows.keys:
        return
    below = range(rows.at(bottom), rows.at(bottom + reach) + 1)
    above = range(rows.at(top), rows.at(max(0, top - reach)) - 1, -1)
    ahead, behind = (below, above) if downward else (above, below)
    yield from itertools.chain(ahead, behind)


class IdleWork(QObject):
    """Runs the jobs `next_job()` hands out on the event loop's passes, as many per pass
    as fit in `budget_s` (at least one; another only while one as long as the longest
    so far still fits), until it has none left. `wake()` after anything
    that may have made new work (the view moved, rows changed)."""

    def __init__(self, next_job: Callable[[], Job | None], budget_s: float, parent: QObject):
        super().__init__(parent)
        self._next_job = next_job
        self._budget_s = budget_s
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_pass)
        #: Jobs done by the last pass (for tests and benchmarks).
        self.last_pass_jobs = 0

    def wake(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def pending(self) -> bool:
        """A pass is due (there may be work left)."""
        return self._timer.isActive()

    def _run_pass(self) -> None:
        started = time.perf_counter()
        self.last_pass_jobs = 0
        longest = 0.0  # another job as long as the longest so far must still fit
        while (job := self._next_job()) is not None:
            begun = time.perf_counter()
            job()
            self.last_pass_jobs += 1
            now = time.perf_counter()
            longest = max(longest, now - begun)
            if now - started + longest > self._budget_s:
                self._timer.start()  # the rest on the next pass: this frame is spent
                return


class AheadHost(Protocol):
    """What `RowsAhead` needs of the transcript."""

    def span(self) -> tuple[int, int, int] | None:
        """The rows' pixels in view (top, bottom) and how far ahead to reach; None while
        the transcript is busy placing rows (it wakes the work again when done)."""

    def place_due(self) -> Job | None:
        """A pass placing the rows that has to come first (the rows moved), if any."""

    def has_widget(self, key: RowKey) -> bool: ...

    def new_card(self, key: RowKey) -> TurnCard: ...

    def make_row(self, key: RowKey) -> bool:
        """Make row `key`'s widget, measure and place it; False if it cannot be made."""

    def palette(self) -> QPalette: ...


class RowsAhead(QObject):
    """The rows near the view made ahead of need, in three steps for a turn's card (its
    Markdown converted; the card built, hidden; then filled, shown and measured) and one
    for a round's heading. `downward`: the way the reader last scrolled."""

    #: Cards built ahead kept at most (one or two are waiting for their next step).
    MOST_BUILT = 4

    def __init__(
        self,
        host: AheadHost,
        rows: TranscriptRows,
        state: DebateState,
        budget_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._rows = rows
        self._state = state
        self.work = IdleWork(self._next_job, budget_s, self)
        self.downward = True
        #: Turns whose Markdown was converted ahead (a hint: the cache may drop them).
        self._converted: set[RowKey] = set()
        #: Rows whose widget could not be made (not tried again until rows change).
        self._unmade: set[RowKey] = set()
        self._built: dict[RowKey, TurnCard] = {}

    def take_built(self, key: RowKey) -> TurnCard | None:
        """The card built ahead for `key`, now the transcript's to fill and show (None if
        there is none, or it was built for a seat the debate no longer has)."""
        card = self._built.pop(key, None)
        seat = self._state.seats.get(key[2])
        if card is not None and (seat is None or card.seat != seat.seat):
            card.deleteLater()
            return None
        return card

    def rows_changed(self) -> None:
        self._unmade.clear()

    def drop_built(self, keep: int = 0) -> None:
        """Beyond `keep` cards built ahead, let go of the oldest (the reader went elsewhere)."""
        while len(self._built) > keep:
            self._built.pop(next(iter(self._built))).deleteLater()

    def _next_job(self) -> Job | None:
        """The nearest row ahead still to be made: its Markdown first, then its widget."""
        first = self._host.place_due()
        if first is not None:
            return first
        span = self._host.span()
        if span is None:
            return None
        top, bottom, reach = span
        for i in rows_to_prepare(self._rows, top, bottom, reach, downward=self.downward):
            key = self._rows.keys[i]
            if key in self._unmade or self._host.has_widget(key):
                continue
            turn = self._state.turn(*turn_key(key)) if key[0] not in (ROUND, OUTCOME) else None
            if turn is not None and key not in self._converted:
                return lambda: self._convert(key)
            if turn is not None and key not in self._built:
                return lambda: self._build(key)
            return lambda: self._make(key)
        return None

    def _convert(self, key: RowKey) -> None:
        if len(self._converted) > 256:
            self._converted.clear()
        self._converted.add(key)
        seat, turn = self._state.seats.get(key[2]), self._state.turn(*turn_key(key))
        if seat is not None and turn is not None and turn.phase is Phase.DONE:
            convert_markdown_ahead(turn.text, seat.seat, self._host.palette())

    def _build(self, key: RowKey) -> None:
        if key[2] not in self._state.seats:
            self._unmade.add(key)
            return
        self._built[key] = self._host.new_card(key)
        self.drop_built(keep=self.MOST_BUILT)

    def _make(self, key: RowKey) -> None:
        if not self._host.make_row(key):
            self._unmade.add(key)
