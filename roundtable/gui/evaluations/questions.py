"""The run's questions: one row each, right or wrong, and the way into its debate.

`QuestionTable` turns a double-click or Enter on a row into `open_requested` with the
question's debate id; the Evaluations view hands that to the window, which opens the
debate exactly as the history does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from roundtable.engine.evaluation.report import QuestionRow
from roundtable.gui.evaluations.report_text import (
    QUESTION_HEADERS,
    question_cells,
    question_tooltip,
)
from roundtable.gui.style.theme import semantic_colours

_Index = QModelIndex | QPersistentModelIndex

#: The question's debate id ("" when it was not stored).
DebateIdRole = Qt.ItemDataRole.UserRole + 1
#: Columns whose numbers line up on the right.
_NUMERIC = {0, 5, 6}
_RIGHT_COLUMN = QUESTION_HEADERS.index("right")
_QUESTION_COLUMN = QUESTION_HEADERS.index("question")
#: A question is never squeezed below this many average characters.
_MIN_QUESTION_CHARS = 24


class QuestionModel(QAbstractTableModel):
    """A run's `QuestionRow`s, in the run's order. No signals of its own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[QuestionRow] = []
        self._cells: list[tuple[str, ...]] = []

    def set_questions(self, rows: Sequence[QuestionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [question_cells(row) for row in rows]
        self.endResetModel()

    def question(self, row: int) -> QuestionRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QUESTION_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QUESTION_HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return question_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole and column == _RIGHT_COLUMN:
            colours = semantic_colours()
            return colours.success if row.correct else colours.error
        if role == DebateIdRole:
            return row.debate_id
        return None


def _alignment(column: int) -> Qt.AlignmentFlag:
    side = Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
    return side | Qt.AlignmentFlag.AlignVCenter


class QuestionTable(QTableView):
    """The questions list: Enter or a double-click opens a question's debate.

    Signals:
    """

    #: (debate_id: str) the person asked to see this question's debate
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions = QuestionModel(self)
        self.setModel(self.questions)
        self.setAccessibleName("Questions of the run")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_QUESTION_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.doubleClicked.connect(self._open)

    def set_questions(self, rows: Sequence[QuestionRow]) -> None:
        self.questions.set_questions(rows)
        if rows:
            self.setCurrentIndex(self.questions.index(0, 0))
        self._fit_question_column()

    def _fit_question_column(self) -> None:
        """The question is as wide as the longest one, up to the room the other columns
        leave (longer ones are elided; the tooltip has them whole), never so wide that
        the answers drift far from their questions on a wide window."""
        header = self.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(self.questions.columnCount())
            if column != _QUESTION_COLUMN
        )
        room = self.viewport().width() - others
        wanted = self.sizeHintForColumn(_QUESTION_COLUMN) + 16
        least = self.fontMetrics().averageCharWidth() * _MIN_QUESTION_CHARS
        header.resizeSection(_QUESTION_COLUMN, max(least, min(wanted, room)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_question_column()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        debate_id = index.data(DebateIdRole)
        if isinstance(debate_id, str) and debate_id:
            self.open_requested.emit(debate_id)
