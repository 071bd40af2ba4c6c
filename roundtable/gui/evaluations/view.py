"""`EvaluationsView`: the stored evaluation runs, and the report of the one selected.

    ┌ ← Back   Evaluations   3 runs                              Refresh ┐
    │ arithmetic        85 % │ arithmetic · run 5aaafa8c                  │
    │ 20 of 20 · finished    │ ...the report (`ReportView`)...            │
    │ roundtable · Ada, ...  │                                            │
    └────────────────────────┴────────────────────────────────────────────┘

Runs are made in a terminal (`roundtable eval`), possibly while the app is open, so
the list is read again each time the view is shown (and with F5). Everything is read
on a worker thread (`RunReader`): the view never waits on the database.

Keys: Up/Down choose a run; Tab moves into its report; Enter on a question opens its
debate; Esc (or Back) leaves the view. Esc is taken before the window's shortcuts see
it, so it never stops a debate running out of sight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain.evaluation import EvalRunSummary
from roundtable.gui.evaluations.empty_state import EmptyState
from roundtable.gui.evaluations.reading import RunReader, ShownRun
from roundtable.gui.evaluations.report_view import ReportView
from roundtable.gui.evaluations.runs_delegate import RunDelegate
from roundtable.gui.evaluations.runs_model import RunIdRole, RunListModel
from roundtable.gui.style.painting import scaled_font
from roundtable.gui.style.theme import set_role

if TYPE_CHECKING:
    from roundtable.storage import Database

OPENING_TEXT = "Opening the database…"
READING_TEXT = "Reading the run…"
BACK_TIP = "Back to the table (Esc)"
#: The list of runs' width at first; the report gets the rest.
RUNS_WIDTH = 230


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setContentsMargins(24, 24, 24, 24)
    set_role(label, "muted")
    return label


def _run_list(model: RunListModel) -> QListView:
    runs = QListView()
    runs.setModel(model)
    runs.setItemDelegate(RunDelegate(runs))
    runs.setAccessibleName("Evaluation runs")
    runs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    runs.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    runs.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    runs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    runs.setFrameShape(QFrame.Shape.NoFrame)
    runs.setUniformItemSizes(True)
    return runs


class EvaluationsView(QWidget):
    """The Evaluations page of the window.

    Signals:
    """

    #: () the person wants to leave the view (Esc or Back)
    back_requested = Signal()
    #: (debate_id: str) the person asked to see a question's debate
    debate_open_requested = Signal(str)
    #: (count: int) the list of runs was read and is on screen
    runs_shown = Signal(int)
    #: (run_id: str) a run's report is on screen
    run_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluations-view")
        self.database: Database | None = None
        self.reader = RunReader(self)
        self._focus_on_list = False

        self.back_button = QPushButton("← Back")
        self.back_button.setToolTip(BACK_TIP)
        self.back_button.setAccessibleName("Back")
        self.count_label = QLabel()
        set_role(self.count_label, "muted")
        self.refresh_action = QAction("Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.refresh_action)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the runs again (F5): runs made in a terminal show up")

        self.runs = RunListModel(self)
        self.run_list = _run_list(self.runs)
        self.report = ReportView()
        self.report_message = _message_label()
        self.report_pages = QStackedWidget()
        self.report_pages.addWidget(self.report_message)
        self.report_pages.addWidget(self.report)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.run_list)
        self.splitter.addWidget(self.report_pages)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([RUNS_WIDTH, 1000])

        self.empty = EmptyState()
        self.message = _message_label()
        self.message.setText(OPENING_TEXT)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.splitter)
        self._lay_out()
        self._connect_signals()

    def _lay_out(self) -> None:
        heading = QLabel("Evaluations")
        heading.setFont(scaled_font(self.font(), 1.2, bold=True))
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 12, 6)
        top.setSpacing(10)
        top.addWidget(self.back_button)
        top.addWidget(heading)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(rule)
        layout.addWidget(self.pages, 1)

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self.back_requested)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_action.triggered.connect(self.refresh)
        self.run_list.selectionModel().currentChanged.connect(self._current_changed)
        self.reader.runs_listed.connect(self._runs_listed)
        self.reader.run_read.connect(self._run_read)
        self.reader.failed.connect(self._failed)
        self.report.debate_open_requested.connect(self.debate_open_requested)

    # ------------------------------------------------------------------ public API
    def set_database(self, database: Database | None) -> None:
        self.database = database
        if self.isVisible():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the list of runs again (and then the selected run's report)."""
        if self.database is None:
            self.message.setText(OPENING_TEXT)
            self.pages.setCurrentWidget(self.message)
            return
        self.reader.list_runs(self.database)

    def current_run_id(self) -> str | None:
        index = self.run_list.currentIndex()
        return str(index.data(RunIdRole)) if index.isValid() else None

    def select_run(self, run_id: str) -> bool:
        row = self.runs.row_of(run_id)
        if row is None:
            return False
        self.run_list.setCurrentIndex(self.runs.index(row, 0))
        return True

    # ------------------------------------------------------------------ reading
    @Slot(object)
    def _runs_listed(self, runs: list[EvalRunSummary]) -> None:
        selected = self.current_run_id()
        self.runs.set_runs(runs)
        self.count_label.setText(f"{len(runs)} run{'s' if len(runs) != 1 else ''}" if runs else "")
        if not runs:
            self.pages.setCurrentWidget(self.empty)
            self.report.shown = None
            self.runs_shown.emit(0)
            return
        self.pages.setCurrentWidget(self.splitter)
        # The same run stays chosen (its report is read again: it may have grown);
        # else the newest.
        if selected is None or not self.select_run(selected):
            self.run_list.setCurrentIndex(self.runs.index(0, 0))
        if self._focus_on_list:
            self._focus_on_list = False
            self.run_list.setFocus(Qt.FocusReason.OtherFocusReason)
        self.runs_shown.emit(len(runs))

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.database is None:
            return
        if self.report.shown is None:
            # Nothing to keep on screen meanwhile; a run already shown stays until the
            # next arrives, so clicking through runs does not flash.
            self.report_message.setText(READING_TEXT)
            self.report_pages.setCurrentWidget(self.report_message)
        self.reader.read(self.database, str(current.data(RunIdRole)))

    @Slot(object)
    def _run_read(self, shown: ShownRun) -> None:
        if shown.report.run_id != self.current_run_id():
            return  # the person has moved on; their choice is being read
        self.report.show_run(shown)
        self.report_pages.setCurrentWidget(self.report)
        self.run_shown.emit(shown.report.run_id)

    @Slot(str)
    def _failed(self, message: str) -> None:
        if self.pages.currentWidget() is self.splitter:
            self.report.shown = None
            self.report_message.setText(message)
            self.report_pages.setCurrentWidget(self.report_message)
        else:
            self.message.setText(message)
            self.pages.setCurrentWidget(self.message)

    # ------------------------------------------------------------------ Qt
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            # Focus inside the view at once, so Esc reaches it (and not the window's Stop).
            shown = self.pages.currentWidget()
            first: QWidget = self
            if shown is self.splitter:
                first = self.run_list
            elif shown is self.empty:
                first = self.empty.copy_button
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._focus_on_list = True
            self.refresh()

    def event(self, event: QEvent) -> bool:
        # Esc means "back" here: take it before the window's Esc (Stop) shortcut does.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)
