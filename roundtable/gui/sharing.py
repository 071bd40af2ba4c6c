"""Taking a stored debate out of the app: a file (the export dialog) or the clipboard.

After an export the status bar says where the file went and offers to open its
folder; the folder is remembered for the next export (in the app's settings). "Copy
debate as Markdown" puts the same Markdown the export writes on the clipboard.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMainWindow

from roundtable.gui.support.messages import STATUS_MESSAGE_MS
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.status_notice import StatusNotice, open_folder

if TYPE_CHECKING:
    from roundtable.storage import Database


class DebateSharing:
    """Export and copy for the window. No signals."""

    def __init__(self, window: QMainWindow, settings: AppSettings) -> None:
        self._window = window
        self._settings = settings
        #: "Exported NAME · Open folder" in the window's status bar.
        self.notice = StatusNotice(window.statusBar())

    def export(self, database: Database, debate_id: str) -> Path | None:
        """Ask where, write the file, confirm it; the file, or None when cancelled."""
        from roundtable.gui.dialogs.export_dialog import export_with_dialog

        folder = self._settings.export_folder()
        target = export_with_dialog(self._window, database, debate_id, folder=folder)
        if target is not None:
            self._settings.set_export_folder(target.parent)
            self.notice.show_notice(
                f"Exported {target.name}", "Open folder", lambda: open_folder(target.parent)
            )
        return target

    def copy_markdown(self, database: Database, debate_id: str) -> None:
        """The whole debate, as the Markdown export writes it, to the clipboard."""
        from roundtable.export import export_debate
        from roundtable.storage import load_debate, load_events

        record = load_debate(database, debate_id)
        markdown = export_debate(record, load_events(database, debate_id), "md")
        QApplication.clipboard().setText(markdown)
        self._window.statusBar().showMessage("Copied the debate as Markdown.", STATUS_MESSAGE_MS)
