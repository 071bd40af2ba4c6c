"""`ElidedLabel`: a one-line label that gives up width before the layout does.

A plain `QLabel` is never narrower than its text, so one long model id or answer in
a row set the whole column's minimum width, and the transcript scrolled sideways
with the final answer cut off. This label may shrink to a few characters; what does
not fit ends in "…" (the caller puts the whole text in the tooltip). `text()` stays
the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStyleOption, QWidget

#: The narrowest the label gets, in average characters ("claud…").
MIN_CHARS = 6


class ElidedLabel(QLabel):
    """A plain-text, one-line label that elides at the right instead of widening."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        least = self.fontMetrics().averageCharWidth() * MIN_CHARS
        least += margins.left() + margins.right()
        return QSize(min(hint.width(), least), hint.height())

    def is_elided(self) -> bool:
        """Whether the text is cut short at the present width."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, area.width()
        )
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawItemText(
            painter,
            area,
            int(self.alignment()),
            option.palette,
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
        painter.end()


__all__ = ["ElidedLabel"]
