"""Searching the history off the GUI thread.

Measured on this machine with 1,000 stored debates (tools/screenshots/history_and_replay.py
--measure): a search whose words occur in most debates took 30-50 ms for 100 hits
(FTS5 ranking and snippets), 6-18 ms for 20; a rare word 1-3 ms. Anything above
~10 ms is a visible hitch while typing, so searches run on one worker thread.

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

    #: (text, list[SearchHit]): the answer to the latest search
    found = Signal(str, object)
    #: (text, message for the user): the latest search failed
    failed = Signal(str, str)
    #: from the worker thread: (request number, text, hits, error message or None)
    _answered = Signal(int, str, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One worker: searches are sequential by nature (each supersedes the last).
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-search")
        self._latest = 0
        self._answered.connect(self._deliver)

    def search(self, db: Database, text: str, *, limit: int) -> None:
        """Start searching; the answer arrives through `found` or `failed`."""
        self._latest += 1
        self._executor.submit(self._work, self._latest, db, text, limit)

    def cancel(self) -> None:
        """Forget every search under way: their answers will not be delivered."""
        self._latest += 1

    def _work(self, request: int, db: Database, text: str, limit: int) -> None:
        # Runs on the worker thread: no Qt object but this one's signal is touched.
        if request != self._latest:
            return  # a newer search was asked for while this one waited
        hits: list[SearchHit] = []
        error: str | None = None
        try:
            from roundtable.storage import search_debates

            hits = search_debates(db, text, limit=limit)
        except RoundtableError as exc:
            error = str(exc)
        with contextlib.suppress(RuntimeError):  # the panel was closed while it ran
            self._answered.emit(request, text, hits, error)

    @Slot(int, str, object, object)
    def _deliver(self, request: int, text: str, hits: object, error: object) -> None:
        if request != self._latest:
            return
        if isinstance(error, str):
            self.failed.emit(text, error)
        else:
            self.found.emit(text, hits)
