"""`ActionKeysFirst`: a window action's key wins over a text field's private use of it.

On X11, Qt gives every line edit Emacs's Ctrl+E ("end of line"), and a focused field
takes a key it knows before any shortcut sees it (the ShortcutOverride event). So
with the cursor in the history's search box or the follow-up field, Ctrl+E did not
export. The End key still moves to the end of a line; Ctrl+E, which the app
advertises, exports. Only keys given to `ActionKeysFirst` change hands, and only
while their action is enabled.

The filter sits on the focused widget alone (it moves with the focus), not on the
application: a Python filter on every event would cost the GUI thread on each paint.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget


class ActionKeysFirst(QObject):
    """Lets `actions`' shortcuts through a focused text field of `window`. No signals."""

    def __init__(self, window: QWidget, actions: Sequence[QAction]) -> None:
        super().__init__(window)
        self._window = window
        self._actions = tuple(actions)
        self._watched: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None
        if new is not None and new.window() is self._window:
            new.installEventFilter(self)
            self._watched = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        pressed = QKeySequence(event.keyCombination())
        # Filtered, not accepted: the field never claims the key, and the action runs.
        return any(action.isEnabled() and pressed in action.shortcuts() for action in self._actions)
