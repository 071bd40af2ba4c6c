"""`StatusNotice`: a note in the status bar that offers one thing to do about it.

"Exported debate.html · Open folder": `QStatusBar.showMessage` shows text only, so the
notice is a label and a link-like button that sit in the bar for a while, then go.
A later status message covers it (Qt hides a bar's normal widgets under a temporary
message), and a later notice replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget

from roundtable.gui.support.messages import STATUS_MESSAGE_MS

#: A notice with something to do stays longer than a plain message: time to reach it.
NOTICE_MS = 2 * STATUS_MESSAGE_MS


class StatusNotice(QWidget):
    """The status bar's notice with one action; hidden while there is none."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.label = QLabel()
        self.button = QPushButton()
        self.button.setFlat(True)
        self.button.setProperty("link", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        layout.addStretch(1)
        self._timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._timer.timeout.connect(self.hide)
        self._action: Callable[[], object] | None = None
        self.button.clicked.connect(self._act)
        bar.addWidget(self, 1)
        self.hide()

    def show_notice(self, text: str, action_text: str, action: Callable[[], object]) -> None:
        """Show `text` with a button `action_text` that calls `action`."""
        self._action = action
        self.label.setText(text)
        self.button.setText(action_text)
        self.button.setAccessibleName(action_text)
        bar = self.parentWidget()
        if isinstance(bar, QStatusBar):
            bar.clearMessage()  # else the notice would sit under the last message
        self.show()
        self._timer.start()

    def _act(self) -> None:
        if self._action is not None:
            self._action()
        self.hide()


def open_folder(folder: Path) -> bool:
    """Show `folder` in the desktop's file manager; False when none would open it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
