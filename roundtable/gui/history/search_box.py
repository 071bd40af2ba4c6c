"""Searching the history off the GUI thread.

Measured at 10,000 stored debates (benchmarks/search_scale.py, BENCHMARKS.md): a page
of results takes tens of milliseconds, a common word's prefix as typed more. Anything
above ~10 ms is a visible hitch while typing, so searches, and the next page of
results as the list scrolls, run on one worker thread.

Only the latest request counts: a request made while an older one runs makes the
older one's answer void, and a request still queued when a newer one arrives is
skipped without touching the database. The worker never touches a widget: its
answer crosses to the GUI thread as a queued signal.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from roundtable.domain import RoundtableError
from roundtable.storage.records import SearchHit

if TYPE_CHECKING:
    from roundtable.storage import Database


class SearchRunner(QObject):
    """Runs `search_debates` on a worker thread and reports the latest answer.

    Signals:
    """

    #: (text, offset, list[SearchHit]): the answer to the latest search (a page of
    #: results from `offset`)
    found = Signal(str, int, object)
    #: (text, message for the user): the latest search failed
    failed = Signal(str, str)
    #: from the worker thread: (request number, text, offset, hits, error message or None)
    _answered = Signal(int, str, int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One worker: searches are sequential by nature (each supersedes the last).
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-search")
        self._latest = 0
        self._answered.connect(self._deliver)

    def search(self, db: Database, text: str, *, limit: int, offset: int = 0) -> None:
        """Start searching (results `offset` to `offset + limit`); the answer arrives
        through `found` or `failed`."""
        self._latest += 1
        self._executor.submit(self._work, self._latest, db, text, limit, offset)

    def cancel(self) -> None:
        """Forget every search under way: their answers will not be delivered."""
        self._latest += 1

    def _work(self, request: int, db: Database, text: str, limit: int, offset: int) -> None:
        # Runs on the worker thread: no Qt object but this one's signal is touched.
        if request != self._latest:
            return  # a newer search was asked for while this one waited
        hits: list[SearchHit] = []
        error: str | None = None
        try:
            from roundtable.storage import search_debates

            hits = search_debates(db, text, limit=limit, offset=offset)
        except RoundtableError as exc:
            error = str(exc)
        with contextlib.suppress(RuntimeError):  # the panel was closed while it ran
            self._answered.emit(request, text, offset, hits, error)

    @Slot(int, str, int, object, object)
    def _deliver(self, request: int, text: str, offset: int, hits: object, error: object) -> None:
        if request != self._latest:
            return
        if isinstance(error, str):
            self.failed.emit(text, error)
        else:
            self.found.emit(text, offset, hits)
