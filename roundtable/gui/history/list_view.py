"""The history's list view: Enter, F2, Delete, a click and the context menu become
requests.

The panel decides what they mean (open, rename in place, confirm and delete, set the
table up again); the view only reports which row the user acted on. A click opens,
as in a chat app's sidebar; arrow keys only move the selection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QWidget

from roundtable.domain import DebateStatus
from roundtable.gui.history.model import HistoryModel, SummaryRole
from roundtable.storage.records import DebateSummary


class DebateList(QListView):
    """The list itself: turns Enter, F2, Delete and a click into requests.

    Signals:
    """

    #: the index to open (Enter or a left click)
    open_requested = Signal(QModelIndex)
    #: the index to rename (F2)
    rename_requested = Signal(QModelIndex)
    #: the index to delete (Delete)
    delete_requested = Signal(QModelIndex)
    #: the index whose question and table to set up again (context menu)
    rerun_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pressed: QModelIndex | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        key = event.key()
        if index.isValid() and self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_requested.emit(index)
                return
            if key == Qt.Key.Key_F2:
                self.rename_requested.emit(index)
                return
            if key == Qt.Key.Key_Delete:
                self.delete_requested.emit(index)
                return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        left = event.button() == Qt.MouseButton.LeftButton
        self._pressed = self.indexAt(event.position().toPoint()) if left else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        index = self.indexAt(event.position().toPoint())
        pressed, self._pressed = self._pressed, None
        if (
            event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
            and pressed is not None
            and pressed == index
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.open_requested.emit(index)

    def context_menu(self, index: QModelIndex) -> QMenu:
        """The menu for one debate (built apart from showing it, so it can be tested)."""
        summary = index.data(SummaryRole)
        running = isinstance(summary, DebateSummary) and summary.status is DebateStatus.RUNNING
        menu = QMenu(self)
        menu.addAction("Open", self._later(self.open_requested, summary))
        rename = menu.addAction("Rename…", self._later(self.rename_requested, summary))
        rename.setShortcut(QKeySequence(Qt.Key.Key_F2))
        rename.setEnabled(not running)
        menu.addAction("Re-run with the same table", self._later(self.rerun_requested, summary))
        menu.addSeparator()
        delete = menu.addAction("Delete…", self._later(self.delete_requested, summary))
        delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete.setEnabled(not running)
        return menu

    def _later(self, request: SignalInstance, summary: object) -> Callable[[], None]:
        """A request about `summary`'s row as it is when the action is chosen: the list
        may have been refreshed while the menu was open."""

        def emit() -> None:
            model = self.model()
            if isinstance(model, HistoryModel) and isinstance(summary, DebateSummary):
                index = model.index_of(summary.id)
                if index.isValid():
                    request.emit(index)

        return emit

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        menu = self.context_menu(index)
        menu.exec(event.globalPos())
        menu.deleteLater()
