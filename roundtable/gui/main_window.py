"""The main window: history on the left, the table (setup or debate) on the right;
the Evaluations view covers both while it is shown.

It is the one place that wires the pieces together: the engine bridge's events go to
the debate view, the history panel's requests open, replay or re-run debates, and the
actions carry the app's keyboard shortcuts. It holds no debate logic.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from roundtable.domain import DebateSpec, Event
from roundtable.domain.events import TERMINAL_EVENTS, DebateStarted
from roundtable.gui.debate.view import DebateView
from roundtable.gui.evaluations_cover import EvaluationsCover
from roundtable.gui.history.panel import HistoryPanel
from roundtable.gui.live.engine_client import EngineClient
from roundtable.gui.live.engine_status import EngineStatusLabel
from roundtable.gui.live.human_turn import HumanTurnPanel
from roundtable.gui.menus import build_menu_bar
from roundtable.gui.replay.controller import ReplayController
from roundtable.gui.replay.replay_bar import ReplayBar
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.sharing import DebateSharing
from roundtable.gui.shown_debate import Page, ShownDebate
from roundtable.gui.support import messages
from roundtable.gui.support.attention import FinishAlert
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import wait_for_workers
from roundtable.gui.widgets.model_catalogue import ModelCatalogue
from roundtable.gui.window_actions import WindowActions
from roundtable.gui.window_continuations import Continuations
from roundtable.gui.window_startup import DatabaseOpening
from roundtable.wire import HumanTurnRequested

if TYPE_CHECKING:
    from roundtable.gui.evaluations.view import EvaluationsView
    from roundtable.storage import Database

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Roundtable's window: it wires the panels, the engine and the database together."""

    def __init__(self, settings: AppSettings, *, db_location: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.db_location = db_location
        self.database: Database | None = None  # opened after the first paint
        self.engine: EngineClient | None = None
        self.shown = ShownDebate()
        self.setWindowTitle("Roundtable")
        self.resize(1360, 860)
        self.setMinimumSize(900, 600)

        self.history = HistoryPanel()
        #: The models on offer, for the setup form and the fork dialog alike.
        self.catalogue = ModelCatalogue(settings.server_urls, parent=self)
        # The models are listed once the window is on screen (`finish_startup`): the
        # listing's HTTP client would share the GIL with the first paint.
        self.setup = SetupPanel(settings, catalogue=self.catalogue, discover=False)
        self.setup.picker.set_searching()  # says the models are coming, from the first paint
        self.debate_view = DebateView()
        self.replay_bar = ReplayBar()
        self.replay = ReplayController(self.debate_view, self)
        self.replay_bar.set_controller(self.replay)
        self.replay_bar.hide()
        self.human_panel = HumanTurnPanel()

        self.pages = QStackedWidget()
        self.pages.addWidget(self.setup)
        self.pages.addWidget(self._debate_page())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.history)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 1040])
        splitter.setChildrenCollapsible(False)
        #: The table with its history, or the Evaluations view over both.
        self.central = EvaluationsCover(splitter)
        self.setCentralWidget(self.central)

        self.engine_label = EngineStatusLabel()
        self.statusBar().addPermanentWidget(self.engine_label)
        self.sharing = DebateSharing(self, settings)
        # Errors that workers, the engine and the excepthook report are shown here.
        self.messages = messages.MessagePresenter(self)
        # The debate view's status line (tokens, cost, time) ticks between events.
        self._elapsed_timer = QTimer(self, interval=1000)
        self._elapsed_timer.timeout.connect(self.debate_view.tick)

        self.window_actions = WindowActions(self)
        build_menu_bar(self, self.window_actions, self.replay_bar.shortcut_actions())
        self.finish_alert = FinishAlert(self)
        self.database_opening = DatabaseOpening(self)
        self.database_opening.upgrading.connect(self.history.show_upgrading)
        self.database_opening.upgrading.connect(self.engine_label.show_waiting_for_upgrade)
        # The models are listed once the history is (or the database failed): both load
        # libraries on workers, and under one GIL the history waited for the listing.
        self.database_opening.settled.connect(self.setup.refresh_models)
        self.continuations = Continuations(self)
        self._connect_signals()
        self._update_actions()

    # ------------------------------------------------------------------ set-up
    def _debate_page(self) -> QWidget:
        """The debate view, with a person's turn and the replay bar under it."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.debate_view, 1)
        layout.addWidget(self.human_panel)
        layout.addWidget(self.replay_bar)
        return page

    def _connect_signals(self) -> None:
        actions = self.window_actions
        actions.new.triggered.connect(self.show_setup)
        actions.start.triggered.connect(self.setup.request_start)
        actions.stop.triggered.connect(self.stop_debate)
        actions.replay.triggered.connect(self.start_replay)
        actions.resume.triggered.connect(self.continuations.resume)
        actions.export.triggered.connect(self.export_debate)
        actions.settings.triggered.connect(self.open_settings)
        actions.find.triggered.connect(self.history.focus_search)
        actions.evaluations.triggered.connect(self.toggle_evaluations)
        actions.copy_markdown.triggered.connect(self.copy_debate_markdown)
        actions.quit.triggered.connect(self.close)
        actions.about.triggered.connect(self.show_about)
        self.central.debate_open_requested.connect(self.open_debate)
        self.central.switched.connect(self._evaluations_switched)
        self.setup.start_requested.connect(self.start_debate)
        self.setup.validity_changed.connect(lambda _ok: self._update_actions())
        self.history.debate_open_requested.connect(self.open_debate)
        self.history.rerun_requested.connect(self.rerun_debate)
        self.history.debate_deleted.connect(self._debate_deleted)
        self.human_panel.submitted.connect(self._human_turn_submitted)
        self.debate_view.transcript.fork_requested.connect(self.continuations.fork)
        self.debate_view.transcript.followup_requested.connect(self.continuations.follow_up)
        self.debate_view.open_requested.connect(self.open_debate)
        self.debate_view.compare_requested.connect(self.continuations.compare_with_parent)

    @Slot()
    def finish_startup(self) -> None:
        """Make the engine client, list the models, then open the database and start the
        engine (`window_startup`); called once the window is painted."""
        self.engine = EngineClient(self.db_location, parent=self)
        self.engine.ready.connect(self._engine_ready)
        self.engine.event_received.connect(self._engine_event)
        self.engine.error_reported.connect(self._engine_error)
        self.engine.crashed.connect(self._engine_crashed)
        self.engine.human_turn_requested.connect(self._human_turn_requested)
        self.engine.debates_interrupted.connect(lambda _ids: self.history.refresh())
        self.history.connect_writer(self.engine)
        self.setup.load_defaults()
        readers = [
            self._set_database,
            self.history.set_database,
            self.central.set_database,
            self.catalogue.set_database,  # the models' track records, for the picker
        ]
        self.database_opening.start(self.db_location, readers, self.engine)

    def _set_database(self, database: Database) -> None:
        self.database = database

    # ------------------------------------------------------------------ debate flow
    @Slot()
    def show_setup(self) -> None:
        self.replay.stop()
        self._show_page(Page.SETUP)
        self.setup.focus_question()

    @Slot(DebateSpec)
    def start_debate(self, spec: DebateSpec) -> None:
        if self.shown.is_running:
            return
        if self.engine is None or not self.engine.is_ready:
            # Still warming up: remember the start, run it once the engine is ready.
            self.shown.waiting_start = spec
            self.engine_label.show_waiting()
            self._update_actions()
            return
        self.shown.waiting_start = None
        self.show_live(self.engine.start_debate(spec))

    def show_live(self, debate_id: str) -> None:
        """Show the debate the engine was just asked to run (a new one, fork, follow-up)."""
        self.replay.stop()
        self.replay_bar.hide()
        self.debate_view.clear()
        self.shown.went_live(debate_id)
        self._show_page(Page.DEBATE)
        self._elapsed_timer.start()
        self.finish_alert.started()

    @Slot(HumanTurnRequested)
    def _human_turn_requested(self, request: HumanTurnRequested) -> None:
        if not self.shown.is_live(request.debate_id):
            return
        self._show_page(Page.DEBATE)
        self.human_panel.show_request(request)
        self.debate_view.mark_your_turn(request.seat_id, True)

    @Slot(str, int, str, str)
    def _human_turn_submitted(
        self, debate_id: str, round_index: int, seat_id: str, text: str
    ) -> None:
        if self.engine is not None:
            self.engine.send_human_turn(debate_id, round_index, seat_id, text)
        self.debate_view.mark_your_turn(seat_id, False)

    @Slot()
    def stop_debate(self) -> None:
        if self.shown.waiting_start is not None:  # asked for, not started: forget it
            self.shown.waiting_start = None
            self.engine_label.show_starting()
            self.statusBar().showMessage("The debate will not start.", 4000)
            self._update_actions()
        if self.engine is not None and self.shown.live_id is not None:
            self.engine.cancel(self.shown.live_id)
            self.statusBar().showMessage("Stopping…", 2000)

    @Slot(object)
    def _engine_event(self, event: Event) -> None:
        if not self.shown.is_live(event.debate_id):
            return
        if self.shown.shows_live and not self.replay.is_active:
            self.debate_view.apply(event)
        if isinstance(event, DebateStarted):
            self.history.refresh()
        if isinstance(event, TERMINAL_EVENTS):
            self.human_panel.withdraw()
            self.shown.live_ended()
            self.continuations.show_links(event.debate_id)
            self._elapsed_timer.stop()
            self.finish_alert.finished()
            self.history.refresh()
            self._update_actions()

    @Slot(str)
    def open_debate(self, debate_id: str) -> None:
        """Show a stored debate at its end state at once; replay is on demand."""
        from roundtable.storage import load_events

        if self.database is None:
            return
        if self.shown.is_live(debate_id):
            self._show_page(Page.DEBATE)
            return
        self.replay.stop()
        events = load_events(self.database, debate_id)
        self.debate_view.clear()
        self.debate_view.apply_all(events)
        self.replay.set_events(events)
        self.replay_bar.show()
        self.shown.opened(debate_id)
        self.continuations.show_links(debate_id)
        self._show_page(Page.DEBATE)

    @Slot(str)
    def rerun_debate(self, debate_id: str) -> None:
        from roundtable.storage import load_debate

        if self.database is None:
            return
        self.setup.set_from_spec(load_debate(self.database, debate_id).spec)
        self.show_setup()

    @Slot(str)
    def _debate_deleted(self, debate_id: str) -> None:
        if self.shown.forget(debate_id):
            self.debate_view.clear()
            self.show_setup()

    @Slot()
    def start_replay(self) -> None:
        debate_id = self.shown.stored_id
        if debate_id is None:
            return
        if not self.replay.has_events and self.database is not None:
            # A debate that just ran live was drawn from the engine's events; the
            # replay reads the stored ones, as for any debate opened from the history.
            from roundtable.storage import load_events

            self.replay.set_events(load_events(self.database, debate_id))
        self.replay_bar.show()
        self.debate_view.focus_transcript()  # so Space pauses what Ctrl+R started
        self.replay.play_from_start()

    @Slot()
    def export_debate(self) -> None:
        if self.database is not None and self.shown.stored_id:
            self.sharing.export(self.database, self.shown.stored_id)

    @Slot()
    def copy_debate_markdown(self) -> None:
        if self.database is not None and self.shown.stored_id:
            self.sharing.copy_markdown(self.database, self.shown.stored_id)

    @Slot()
    def show_about(self) -> None:
        from roundtable.gui.dialogs.about_dialog import AboutDialog

        where = self.database.location if self.database is not None else "(still opening)"
        AboutDialog(where, self.settings.path(), self).exec()

    @Slot()
    def open_settings(self) -> None:
        from roundtable.gui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.keys_changed.connect(self.setup.refresh_key_status)
        if dialog.exec():
            self.setup.refresh_models()

    # ------------------------------------------------------------------ engine state
    @Slot()
    def _engine_ready(self) -> None:
        self.engine_label.show_ready()
        self._update_actions()
        waiting, self.shown.waiting_start = self.shown.waiting_start, None
        if waiting is not None:
            self.start_debate(waiting)

    @Slot(str, object)
    def _engine_error(self, message: str, debate_id: object) -> None:
        if isinstance(debate_id, str) and self.shown.is_live(debate_id):
            self.shown.live_ended()
            self._elapsed_timer.stop()
            self.show_setup()
        messages.error(message)
        self._update_actions()

    @Slot(str)
    def _engine_crashed(self, _message: str) -> None:  # the client told the person
        gave_up = self.engine is not None and self.engine.gave_up
        self.engine_label.show_crashed(gave_up=gave_up)
        if gave_up:
            self.shown.waiting_start = None
        self._update_actions()

    @property
    def compare_dialog(self) -> QDialog | None:
        """The last fork-and-parent comparison opened (`Continuations`)."""
        return self.continuations.compare_dialog

    # ------------------------------------------------------------------ evaluations
    @property
    def evaluations(self) -> EvaluationsView:
        """The Evaluations view (made the first time it is asked for)."""
        return self.central.evaluations

    @property
    def evaluations_shown(self) -> bool:
        return self.central.evaluations_shown

    @Slot()
    def toggle_evaluations(self) -> None:
        self.central.toggle_evaluations()

    @Slot()
    def leave_evaluations(self) -> None:
        self.central.leave_evaluations()

    @Slot(bool)
    def _evaluations_switched(self, shown: bool) -> None:
        if not shown:
            self.catalogue.refresh_records()  # a run seen there may have added to them
        self._update_actions()

    # ------------------------------------------------------------------ status
    def _show_page(self, page: Page) -> None:
        self.shown.page = page
        self.pages.setCurrentIndex(page.value)
        self.history.select_debate(self.shown.shown_id if page is Page.DEBATE else None)
        self.central.show_main_area()  # a debate opened from an evaluation, New, a live start
        self._update_actions()

    def _update_actions(self) -> None:
        self.window_actions.apply(
            self.shown.actions(
                engine_ready=self.engine is not None and self.engine.is_ready,
                setup_valid=self.setup.is_valid(),
                status=self.debate_view.state.status,
                engine_failed=self.engine is not None and self.engine.gave_up,
            ),
            evaluations_shown=self.evaluations_shown,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.shown.is_running:
            answer = QMessageBox.question(
                self,
                "Stop the debate?",
                "A debate is still running. Stop it and quit? What was said so far is kept.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.engine is not None:
            self.engine.shutdown()
        # A key check or model discovery may still be on a worker thread.
        wait_for_workers(2000)
        if self.database is not None:
            self.database.close()
        self.settings.sync()
        event.accept()
