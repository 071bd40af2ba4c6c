"""`FittedTable`: a read-only table of text exactly as tall as its rows and as wide as
its columns.

The report's tables sit in a scrolling page, so a table with its own vertical
scrollbar would be a scroll area inside a scroll area. This one grows to show every
row, its columns fit their contents, and it is no wider than they are (no empty
striped band to its right); only when the page is narrower than the columns does it
scroll sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from roundtable.engine.evaluation.report_text import TextTable

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: Room between columns, in average character widths: numbers must not touch.
_GUTTER_CHARS = 1.0


class FittedTable(QTableWidget):
    """A `TextTable` shown in full. No signals of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def set_table(self, table: TextTable) -> None:
        self.clear()
        self.setColumnCount(len(table.headers))
        self.setRowCount(len(table.rows))
        self.setAccessibleName(table.title)
        for column, title in enumerate(table.headers):
            item = QTableWidgetItem(title)
            item.setTextAlignment(_RIGHT if column >= table.numeric_from else _LEFT)
            self.setHorizontalHeaderItem(column, item)
        for row, cells in enumerate(table.rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(_RIGHT if column >= table.numeric_from else _LEFT)
                if table.tooltips:
                    item.setToolTip(table.tooltips[row][column])
                self.setItem(row, column, item)
        self._fit_columns()

    # ------------------------------------------------------------------ fitting
    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        gutter = round(self.fontMetrics().averageCharWidth() * _GUTTER_CHARS)
        for column in range(self.columnCount()):
            content = max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, content + gutter)
        self.resizeRowsToContents()
        self.updateGeometry()
        self._fit_height()

    def _columns_width(self) -> int:
        return self.horizontalHeader().length() + 2 * self.frameWidth()

    def _fit_height(self) -> None:
        height = self.horizontalHeader().sizeHint().height()
        height += sum(self.rowHeight(row) for row in range(self.rowCount()))
        if self._columns_width() > self.width():  # scrolls sideways: room for the bar
            height += self.horizontalScrollBar().sizeHint().height()
        height += 2 * self.frameWidth()
        if self.height() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(self._columns_width(), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(self._columns_width(), 120), self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_columns()
