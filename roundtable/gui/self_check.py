"""`roundtable --self-check`: proves an installed app works, headless, in seconds.

It does what a first-time user does: the window opens, the demo table is seated with
the sample question, Start is pressed, the offline demo models debate through the
real engine process, and the debate is stored. It prints each step and exits 0, or
1 with what failed. A bundle's smoke test runs it (`make bundle`), and so can anyone
who wants to know whether an install is whole.

It runs in a throwaway data folder (database, settings, logs), so it neither reads
nor changes the user's own; and without a display it uses Qt's offscreen platform.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from roundtable.domain import DebateFinished, Event
from roundtable.domain.events import TERMINAL_EVENTS
from roundtable.headless.display import unusable_display

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from roundtable.gui.main_window import MainWindow
    from roundtable.storage import DebateRecord

#: The whole check, engine start-up included, gives up after this long.
TIMEOUT_S = 120.0
#: The demo models speak this many times faster than a person can read.
DEMO_SPEED = "40"
#: How long the stored debate may lag the engine's last event.
STORED_WAIT_S = 5.0


def run_self_check() -> int:
    """Run the check; the process's exit code (0: the app works)."""
    os.environ.setdefault("ROUNDTABLE_DEMO_SPEED", DEMO_SPEED)
    if unusable_display() is not None:  # none, or a stale one Qt would abort on
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="roundtable-self-check-") as folder:
        # Set before anything reads them; the engine process inherits them.
        os.environ["ROUNDTABLE_DATA_DIR"] = folder
        os.environ.pop("ROUNDTABLE_DB", None)
        return _run(Path(folder))


def _run(folder: Path) -> int:
    from roundtable.gui.app import create_window

    started = time.perf_counter()
    app, window = create_window(sys.argv[:1])
    check = SelfCheck(app, window, started)
    _say(f"data in {folder}")
    QTimer.singleShot(0, window.finish_startup)
    QTimer.singleShot(0, check.window_painted)
    app.exec()
    return check.exit_code


def _say(line: str) -> None:
    print(f"self-check: {line}", flush=True)


class SelfCheck(QObject):
    """Drives the shown window through one demo debate and records the outcome."""

    def __init__(self, app: QApplication, window: MainWindow, started: float) -> None:
        super().__init__(window)
        self._app = app
        self._window = window
        self._started = started
        self._debate_id: str | None = None
        self._stored_deadline = 0.0
        self.exit_code = 1
        #: True once the check passed or failed; it reports only its first outcome.
        self.finished = False
        QTimer.singleShot(int(TIMEOUT_S * 1000), self, self._timed_out)

    def _elapsed(self) -> str:
        return f"{time.perf_counter() - self._started:.1f} s"

    @Slot()
    def window_painted(self) -> None:
        window = self._window
        # Also the CPU this process used since it started (imports included), which a
        # busy machine stretches less than the wall clock, and the wall clock's time.
        took_ms = (time.perf_counter() - self._started) * 1000
        cpu_ms = time.process_time() * 1000
        _say(f"window shown after {took_ms:.0f} ms (cpu {cpu_ms:.0f} ms, clock {time.time():.6f})")
        if not window.isVisible():
            self._fail("the main window is not visible")
            return
        if window.windowIcon().isNull():
            self._fail("the window has no icon (resources/icons missing?)")
            return
        engine = window.engine
        if engine is None:
            self._fail("the window did not start its engine")
            return
        engine.ready.connect(self._engine_ready)
        engine.event_received.connect(self._event)
        engine.crashed.connect(lambda message: self._fail(f"the engine stopped: {message}"))
        engine.error_reported.connect(
            lambda message, _id: self._fail(f"the engine refused the debate: {message}")
        )
        # As a person would: the demo table is seated, press Start before the engine
        # is warm; the window starts the debate once it is.
        window.window_actions.start.trigger()
        if window.shown.waiting_start is None and window.shown.live_id is None:
            self._fail("Start did nothing: the demo table was not seated")

    @Slot()
    def _engine_ready(self) -> None:
        _say(f"engine process ready after {self._elapsed()}")
        self._debate_id = self._window.shown.live_id

    @Slot(object)
    def _event(self, event: Event) -> None:
        if self._debate_id is None:
            self._debate_id = self._window.shown.live_id
        if event.debate_id != self._debate_id or not isinstance(event, TERMINAL_EVENTS):
            return
        if not isinstance(event, DebateFinished):
            self._fail(f"the demo debate ended with {type(event).__name__}")
            return
        _say(f"demo debate {event.debate_id[:8]} finished after {self._elapsed()}")
        self._stored_deadline = time.perf_counter() + STORED_WAIT_S
        self._check_stored()

    @Slot()
    def _check_stored(self) -> None:
        from roundtable.domain import DebateStatus
        from roundtable.storage import load_debate

        database = self._window.database
        if database is None or self._debate_id is None:
            self._fail("the window has no database open")
            return
        record: DebateRecord | None = None
        try:
            record = load_debate(database, self._debate_id)
            reason = f"status {record.summary.status}"
        except Exception as exc:  # any failure to read it is what the check reports
            reason = str(exc)
        if record is not None and record.summary.status == DebateStatus.FINISHED:
            turns = len(record.turns)
            _say(f"stored: {turns} turns in {len(record.round_numbers())} rounds")
            if turns == 0:
                self._fail("the stored debate has no turns")
                return
            _say(f"passed in {self._elapsed()}")
            self._finish(0)
        elif time.perf_counter() < self._stored_deadline:
            QTimer.singleShot(100, self, self._check_stored)
        else:
            self._fail(f"the debate was not stored as finished ({reason})")

    @Slot()
    def _timed_out(self) -> None:
        if self.exit_code != 0:
            self._fail(f"no finished demo debate after {TIMEOUT_S:.0f} s")

    def _fail(self, reason: str) -> None:
        print(f"self-check FAILED: {reason}", file=sys.stderr, flush=True)
        self._finish(1)

    def _finish(self, code: int) -> None:
        if self.finished:
            return
        self.finished = True
        self.exit_code = code
        if code == 0:
            self._window.close()  # as a person quits: the engine and database close cleanly
        # After a failure a debate may still run, and closing would ask whether to stop
        # it, which nobody can answer here; quitting still shuts the engine down.
        self._app.quit()
