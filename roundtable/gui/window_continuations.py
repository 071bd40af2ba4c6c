"""`Continuations`: resume, fork or follow up the debate on screen, and compare a fork
with its parent.

Each asks the window's engine to run on from the stored debate on screen, and the
window shows that run live (`MainWindow.show_live`). They are offered only while
`ShownDebate.can_continue` allows it: a stored debate that has stopped or finished,
and an engine that is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from roundtable.gui.main_window import MainWindow


class Continuations(QObject):
    """The window's ways to go on from the debate it shows."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        #: The last comparison shown (kept, so it stays open: it is not modal).
        self.compare_dialog: QDialog | None = None

    def continuable(self) -> str | None:
        """The id of the debate on screen if it can be continued now, else None."""
        engine = self._window.engine
        ready = engine is not None and engine.is_ready
        return self._window.shown.can_continue(engine_ready=ready)

    @Slot()
    def resume(self) -> None:
        """Continue the stopped debate on screen, under its own id (one transcript)."""
        engine, debate_id = self._window.engine, self.continuable()
        if engine is None or debate_id is None:
            return
        engine.resume(debate_id)
        self._window.show_live(debate_id)

    @Slot(int)
    def fork(self, round_index: int) -> None:
        """ "Fork from here…" on round `round_index` of the debate on screen."""
        from roundtable.gui.lineage.fork_dialog import ForkDialog

        window = self._window
        engine, spec, parent_id = window.engine, window.debate_view.state.spec, self.continuable()
        if engine is None or parent_id is None or spec is None:
            return
        dialog = ForkDialog(spec.active_seats, round_index, window.catalogue.models, window)
        if not dialog.exec():
            return
        window.show_live(
            engine.fork_debate(
                parent_id,
                dialog.from_round,
                add_seats=dialog.add_seats(),
                drop_seats=dialog.drop_seats(),
            )
        )

    @Slot(str)
    def follow_up(self, question: str) -> None:
        """Put a new question to the table of the finished debate on screen."""
        engine, parent_id = self._window.engine, self.continuable()
        if engine is None or parent_id is None:
            return
        self._window.show_live(engine.followup(parent_id, question))

    @Slot()
    def compare_with_parent(self) -> None:
        from roundtable.gui.lineage.links_header import compare_with_parent

        database, debate_id = self._window.database, self._window.shown.stored_id
        if database is not None and debate_id:
            self.compare_dialog = compare_with_parent(database, debate_id, self._window)

    def show_links(self, debate_id: str) -> None:
        """The debate's parent and forks, above its transcript, if it is still on screen."""
        from roundtable.gui.lineage.links_header import load_links

        window = self._window
        if window.database is not None and debate_id == window.shown.shown_id:
            window.debate_view.set_links(load_links(window.database, debate_id))
