"""Getting the transcript's rows ready before they scroll into view.

A turn's card costs 10-15 ms to make the first time (its Markdown converted, a dozen
child widgets built and polished under the app's style sheet, its text laid out),
against ~10 ms for a frame that only scrolls. Made in the frame in which the card comes
into view, two of them took a frame past 33 ms. So the rows within a screen or so of
the view are made on the event loop's idle passes instead, nearest first in the
direction the reader is going, one piece of work at a time and no more per pass than a
small budget: a card scrolled to is already made, measured and placed.

`rows_to_prepare` says which rows, in which order (pure); `IdleWork` runs the work.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer

from roundtable.gui.debate.transcript_rows import TranscriptRows

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
