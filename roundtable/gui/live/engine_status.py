"""`EngineStatusLabel`: the status bar's word on the engine process, for a person.

The engine loads the model libraries once when Roundtable opens, which takes a few
seconds; the label says so, says that a debate started meanwhile waits for it, and
says when the engine is ready, restarting after a crash, or stopped for good.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

STARTING = "Engine: starting (loading the model libraries)…"
STARTING_TIP = (
    "Debates run in a separate engine process, which loads the model libraries once "
    "when Roundtable opens; that takes a few seconds. Set the table meanwhile: "
    "Start waits for the engine."
)
WAITING = "Engine: starting… your debate begins as soon as it is ready"
READY = "Engine: ready"
UPGRADING = "Engine: waits for the database upgrade…"
RESTARTING = "Engine: restarting…"
STOPPED = "Engine: stopped"


class EngineStatusLabel(QLabel):
    """One line in the status bar: starting, waiting, ready, restarting or stopped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(STARTING, parent)
        self.setToolTip(STARTING_TIP)

    def show_starting(self) -> None:
        """Starting, and no debate waits for it (any more)."""
        self.setText(STARTING)

    def show_waiting(self) -> None:
        """Starting, and the debate the person started runs once it is ready."""
        self.setText(WAITING)

    def show_waiting_for_upgrade(self, notice: str) -> None:
        """The engine starts once the database is upgraded (it opens the same file)."""
        self.setText(UPGRADING)
        self.setToolTip(notice)

    def show_ready(self) -> None:
        self.setText(READY)
        self.setToolTip("")

    def show_crashed(self, *, gave_up: bool) -> None:
        """The engine process died: restarting, or stopped after too many tries."""
        self.setText(STOPPED if gave_up else RESTARTING)
