"""The list of evaluation runs as a Qt model: newest first, one `EvalRunSummary` a row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from roundtable.domain.evaluation import EvalRunSummary
from roundtable.gui.evaluations.report_text import run_description

_Index = QModelIndex | QPersistentModelIndex

#: The row's `EvalRunSummary`.
SummaryRole = Qt.ItemDataRole.UserRole + 1
#: The run's id.
RunIdRole = Qt.ItemDataRole.UserRole + 2


class RunListModel(QAbstractListModel):
    """Stored evaluation runs, as `list_eval_runs` gives them. No signals of its own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs: list[EvalRunSummary] = []

    def set_runs(self, runs: Sequence[EvalRunSummary]) -> None:
        self.beginResetModel()
        self._runs = list(runs)
        self.endResetModel()

    def run(self, row: int) -> EvalRunSummary:
        return self._runs[row]

    def row_of(self, run_id: str) -> int | None:
        for row, run in enumerate(self._runs):
            if run.id == run_id:
                return row
        return None

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() else len(self._runs)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._runs):
            return None
        run = self._runs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return run.task_name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return run_description(run)
        if role == SummaryRole:
            return run
        if role == RunIdRole:
            return run.id
        return None
