"""`CopyButton`: "Copy" with a menu of two forms, Markdown (the click) or plain text.

A turn's text is Markdown as the model wrote it; pasted into a chat or a document
that is usually what a person wants, and into a mail or a form the plain text is.
The button says "Copied" for a moment, so a click is seen to have done something.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu, QToolButton, QWidget

#: How long the button says "Copied" after a copy.
COPIED_MS = 1500


class CopyButton(QToolButton):
    """Copies what `markdown()` or `plain()` returns. No signals."""

    def __init__(
        self,
        markdown: Callable[[], str],
        plain: Callable[[], str],
        what: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._markdown, self._plain = markdown, plain
        self.setText("Copy")
        self.setAccessibleName(f"Copy {what}")
        self.setToolTip(f"Copy {what} as Markdown; the arrow offers plain text")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self)
        self.markdown_action = menu.addAction("Copy as Markdown", self.copy_markdown)
        self.plain_action = menu.addAction("Copy as plain text", self.copy_plain)
        self.setMenu(menu)
        self.clicked.connect(self.copy_markdown)
        self._reset = QTimer(self, singleShot=True, interval=COPIED_MS)
        self._reset.timeout.connect(lambda: self.setText("Copy"))

    def copy_markdown(self) -> None:
        self._copy(self._markdown())

    def copy_plain(self) -> None:
        self._copy(self._plain())

    def _copy(self, text: str) -> None:
        QApplication.clipboard().setText(text)
        self.setText("Copied")
        self._reset.start()
