"""The surface the transcript's rows sit on, as it scrolls.

Rows are made as they scroll into view, no more per pass than fit in a frame; a turn
whose card is still to be made is painted here as an empty card for that frame, so
nothing pops in from blank space.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from roundtable.gui.style import colours
from roundtable.gui.style.painting import paint_panel


class TranscriptCanvas(QWidget):
    """The scrolled surface; `waiting(top, bottom)` says where cards are still to come."""

    def __init__(self, parent: QWidget, waiting: Callable[[int, int], list[QRectF]]) -> None:
        super().__init__(parent)
        self._waiting = waiting

    def paintEvent(self, event: QPaintEvent) -> None:
        waiting = self._waiting(event.rect().top(), event.rect().bottom())
        if not waiting:
            return
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for rect in waiting:
            paint_panel(
                painter,
                rect.adjusted(0.5, 0.5, -0.5, -0.5),
                palette.color(QPalette.ColorRole.Base),
                QPen(colours.border(palette), 1.0),
            )
        painter.end()
