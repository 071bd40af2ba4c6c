"""`EvaluationsCover`: the table with its history, or the Evaluations view over both.

The window's central widget. The Evaluations view (run list, report, charts) is made
the first time it is asked for: nobody sees it in the first paint, and its modules
cost a launch a tenth of a second or more. Leaving it puts the table back as it was,
the focus included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

if TYPE_CHECKING:
    from roundtable.gui.evaluations.view import EvaluationsView
    from roundtable.storage import Database


class EvaluationsCover(QStackedWidget):
    """`main_area` (the table and its history), or the Evaluations view over it.

    Signals:
        debate_open_requested(str): a debate listed in an evaluation is to be opened.
        switched(bool): the Evaluations view was shown (True) or left (False).
    """

    #: (debate_id: str) open this debate on the table
    debate_open_requested = Signal(str)
    #: (shown: bool) the Evaluations view now covers the table, or no longer does
    switched = Signal(bool)

    def __init__(self, main_area: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_area = main_area
        self.addWidget(main_area)
        self._view: EvaluationsView | None = None
        self._database: Database | None = None
        self._focus_before: QWidget | None = None

    @property
    def evaluations(self) -> EvaluationsView:
        """The Evaluations view, made on first use."""
        if self._view is None:
            from roundtable.gui.evaluations.view import EvaluationsView

            view = EvaluationsView()
            view.back_requested.connect(self.leave_evaluations)
            view.debate_open_requested.connect(self.debate_open_requested)
            if self._database is not None:
                view.set_database(self._database)
            self.addWidget(view)
            self._view = view
        return self._view

    @property
    def evaluations_shown(self) -> bool:
        return self._view is not None and self.currentWidget() is self._view

    def set_database(self, database: Database) -> None:
        """The database the Evaluations view reads its runs from (now or once made)."""
        self._database = database
        if self._view is not None:
            self._view.set_database(database)

    def toggle_evaluations(self) -> None:
        """Cover the table with the Evaluations view (it reads the runs again), or go back."""
        if self.evaluations_shown:
            self.leave_evaluations()
            return
        self._focus_before = QApplication.focusWidget()
        self.setCurrentWidget(self.evaluations)
        self.switched.emit(True)

    def leave_evaluations(self) -> None:
        """Back to the table as it was, focus included."""
        self.show_main_area()
        focus, self._focus_before = self._focus_before, None
        if focus is not None and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.switched.emit(False)

    def show_main_area(self) -> None:
        """Show the table (a debate opened from an evaluation, New, a live start)."""
        if self.evaluations_shown:
            self.setCurrentWidget(self.main_area)
