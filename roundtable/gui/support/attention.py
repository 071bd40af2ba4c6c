"""`FinishAlert`: ask for the person's attention when a long debate ends unseen.

A debate of a few minutes is something people leave running while they work in
another window. When one ends while Roundtable is in the background, the window
asks the desktop for attention (`QApplication.alert`: a flashing taskbar entry, an
urgent hint). A debate that ended quickly, or one the person is watching, does not.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication, QWidget

#: A debate that ran at least this long (seconds) is worth an alert when it ends.
LONG_DEBATE_S = 20.0


class FinishAlert:
    """Times the live debate; `finished()` alerts when it was long and not watched."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._started: float | None = None

    def started(self) -> None:
        self._started = time.monotonic()

    def finished(self) -> bool:
        """The live debate ended: True when the window asked for attention."""
        started, self._started = self._started, None
        if started is None or time.monotonic() - started < LONG_DEBATE_S:
            return False
        if self._window.isActiveWindow():
            return False
        QApplication.alert(self._window)
        return True
