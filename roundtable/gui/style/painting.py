"""Small painting helpers shared by the custom-painted widgets and list delegates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """`base` scaled by `factor` (point or pixel sized alike), optionally bold."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    else:
        font.setPixelSize(max(6, round(base.pixelSize() * factor)))
    font.setBold(bold)
    return font


def paint_panel(
    painter: QPainter, rect: QRectF, fill: QColor, pen: QPen, radius: float = 8.0
) -> None:
    """A rounded, filled, outlined panel, painted cheaply.

    Antialiased path filling costs about a millisecond for a transcript-wide card, and
    cards repaint while text streams in: the inside is filled as two plain rectangles
    and only the corners and the outline are drawn antialiased. `fill` must be opaque
    (the rectangles overlap).
    """
    painter.fillRect(rect.adjusted(radius, 0, -radius, 0), fill)
    painter.fillRect(rect.adjusted(0, radius, 0, -radius), fill)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    for x, y in (
        (rect.left() + radius, rect.top() + radius),
        (rect.right() - radius, rect.top() + radius),
        (rect.left() + radius, rect.bottom() - radius),
        (rect.right() - radius, rect.bottom() - radius),
    ):
        painter.drawEllipse(QPointF(x, y), radius, radius)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, radius, radius)


def paint_accent_bar(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """The thin coloured bar inside a card's left edge (seat or provider colour)."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    bar = QRectF(rect.left() + 2.5, rect.top() + 7, 3.5, max(4.0, rect.height() - 14))
    painter.drawRoundedRect(bar, 1.75, 1.75)


@contextmanager
def item_background(
    delegate: QStyledItemDelegate,
    painter: QPainter,
    option: QStyleOptionViewItem,
    index: QModelIndex | QPersistentModelIndex,
) -> Iterator[QStyleOptionViewItem]:
    """Paint a list row's background as the style does (selection, hover), without its
    text or focus frame (the selection says it already), and yield the row's option for
    the delegate's own drawing, with the painter's state saved and antialiasing on."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    opt.text = ""
    opt.state &= ~QStyle.StateFlag.State_HasFocus
    style = opt.widget.style() if opt.widget is not None else QApplication.style()
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        yield opt
    finally:
        painter.restore()
