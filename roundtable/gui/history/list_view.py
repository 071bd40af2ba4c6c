"""The history's list view: Enter, F2, Delete and a click become requests.

The panel decides what they mean (open, rename in place, confirm and delete); the
view only reports which row the user acted on. A click opens, as in a chat app's
sidebar; arrow keys only move the selection.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget


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
