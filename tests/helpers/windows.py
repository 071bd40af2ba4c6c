"""The main window on a stored history, with a fake engine that is ready at once.

For window tests that need no engine process (seconds each): what the window asks
of the engine is in `window.engine.calls`; events are fed to `window._engine_event`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QApplication

from roundtable.domain import Event
from roundtable.gui.main_window import MainWindow
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.engine import FakeEngine


def record(location: str, events: Iterable[Event]) -> None:
    """Store `events` in the database at `location`, as the engine would."""
    from roundtable.storage import Recorder, open_database

    database = open_database(location)
    recorder = Recorder(database)
    for event in events:
        recorder(event)
    recorder.close()
    database.close()


@contextmanager
def window_on_history(  # type: ignore[no-untyped-def]
    qtbot, folder: Path, events: Iterable[Event] = (), *, engine_ready: bool = True
) -> Iterator[MainWindow]:
    """A shown, active window over a database holding `events`; closed afterwards."""
    from roundtable.storage import open_database

    location = str(folder / "window.db")
    record(location, events)
    database = open_database(location)
    window = MainWindow(AppSettings(), db_location=location)
    window.database = database
    window.history.set_database(database)
    window.engine = FakeEngine(ready=engine_ready)  # type: ignore[assignment]
    window.setup.load_defaults()
    window.resize(1280, 860)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(window.setup.is_valid)
    window._update_actions()
    try:
        yield window
    finally:
        window.engine = None
        window.shown.live_id = None  # else closing asks whether to stop it
        window.close()
        window.deleteLater()
