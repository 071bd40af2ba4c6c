"""Renaming and deleting a stored debate: asked of the engine, shown once it is done.

The engine process is the database's only writer (DESIGN.md), so the history does not
write: it asks (`HistoryWriter.rename_debate` / `delete_debate`) and changes the list
when the engine confirms, or shows why it refused. The dialogs that come before a
request (is it running? are you sure?) live here too, so the panel only wires.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QMessageBox, QWidget

from roundtable.gui.history.summary_text import display_title
from roundtable.storage.records import DebateSummary
from roundtable.wire import still_running


class HistoryWriter(Protocol):
    """What writes the history for the GUI: the engine client.

    Its signals: `debate_renamed` (debate_id: str, title: str) with the title as
    stored, `debate_deleted` (debate_id: str), `history_edit_refused` (debate_id: str,
    message: str).
    """

    debate_renamed: SignalInstance
    debate_deleted: SignalInstance
    history_edit_refused: SignalInstance

    def rename_debate(self, debate_id: str, title: str) -> None: ...

    def delete_debate(self, debate_id: str) -> None: ...


def confirm_delete(parent: QWidget, summary: DebateSummary) -> bool:
    """Ask before a delete, naming the debate; True when the user said yes."""
    answer = QMessageBox.question(
        parent,
        "Delete debate?",
        f"Delete “{display_title(summary)}”?\n\n"
        "Its transcript, answers and costs are removed from the history. "
        "This cannot be undone.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def explain_running(parent: QWidget, action: str) -> None:
    """A running debate cannot be `action` ("renamed", "deleted"): say so, and how."""
    QMessageBox.information(parent, "Debate still running", still_running(action))


def report_problem(parent: QWidget, message: str) -> None:
    """A refusal or a failure, in words that say why (the engine's or storage's)."""
    QMessageBox.warning(parent, "Roundtable", message)
