"""The box where the question for the table is typed."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPlainTextEdit


class QuestionEdit(QPlainTextEdit):
    """The question box: about six lines tall unless the window has room to spare."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        lines = self.fontMetrics().lineSpacing() * 6
        return QSize(hint.width(), lines + 2 * self.frameWidth() + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().lineSpacing() * 3)
