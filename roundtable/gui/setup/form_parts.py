"""Parts that keep the setup form in shape from 1000x650 up.

- `SteadyLabel`: a wrapped label as tall as the longest of the texts it may show. The
  protocol's summary changes with the protocol; if its label took each summary's own
  height, the whole form would jump at every choice, the seat list above it with it.
- `Card`: a card whose height does not follow its width (see its docstring).
- `VerticalScrollArea`: the form scrolls up and down, never sideways;
- `form_minimum_height`: what a form's rows need, so they never overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class SteadyLabel(QLabel):
    """A word-wrapped label whose height is that of the tallest of `texts`."""

    def __init__(self, texts: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = [text for text in texts if text]
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right() - 2 * self.margin())
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        tallest = max(
            (
                metrics.boundingRect(QRect(0, 0, inner, 100_000), flags, t).height()
                for t in self._texts
            ),
            default=metrics.height(),
        )
        shown = super().heightForWidth(width)
        return max(tallest + margins.top() + margins.bottom() + 2 * self.margin(), shown)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The minimum follows the width: a layout short of room squeezes a label to its
        # minimum, and a wrapped text needs more lines as the width shrinks.
        needed = self.heightForWidth(event.size().width())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)


def short_summary(summary: str) -> str:
    """The summary without the paper it follows (that goes in the tooltip): two lines
    less on a small screen."""
    return summary.split("\nBased on:", 1)[0]


class Card(QFrame):
    """A card of the form. Its height does not follow its width: a wrapped label inside
    would otherwise make the card claim its preferred height as its minimum and squeeze
    the card beside it below its own minimum, until fields overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("card", True)

    def hasHeightForWidth(self) -> bool:
        return False


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: as narrow as its content allows, never narrower."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A frame, not a stop of its own on Tab: the fields inside are (and Tab to one
        # scrolls it into view).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The content's minimum changes after it is set (a style sheet, a longer text):
        # ask the panel's layout again, or the content is cut at the right.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(content.minimumSizeHint().width() + bar, super().minimumSizeHint().height())


def form_minimum_height(form: QFormLayout) -> int:
    """The height `form`'s rows need at their present widths, wrapped text included.

    QFormLayout's own minimum counts a wrapped label at its one-or-two-line minimum,
    so a form given exactly that height laid its rows over each other (Temperature on
    Persona). A widget that calls this from `resizeEvent` and takes the result as its
    minimum height keeps its rows apart."""
    heights = []
    for row in range(form.rowCount()):
        tallest = 0
        for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
            item = form.itemAt(row, role)
            if item is None or item.isEmpty():
                continue
            widget = item.widget()
            needed = item.minimumSize().height()
            if widget is not None and widget.hasHeightForWidth() and widget.width() > 0:
                needed = max(needed, widget.heightForWidth(widget.width()))
            tallest = max(tallest, needed)
        if tallest:
            heights.append(tallest)
    margins = form.contentsMargins()
    spacing = max(form.verticalSpacing(), 0) * max(len(heights) - 1, 0)
    return sum(heights) + spacing + margins.top() + margins.bottom()
