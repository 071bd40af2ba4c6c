"""Help › About Roundtable: the version, the licence, and where the app keeps its files.

The places are what a person asks for when backing up, moving to another machine or
reporting a bug: the database, the settings file and the log folder. Each can be
selected and copied.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from roundtable import __version__
from roundtable.paths import data_dir

LICENCE = "MIT licence"
SUMMARY = (
    "Seat several language models at a round table, ask one question, and watch them "
    "answer, critique each other and revise toward a consensus."
)


def about_text(database: str, settings_file: str) -> str:
    """The dialog's body, as rich text."""
    places = (
        ("Database", database),
        ("Settings", settings_file),
        ("Logs", str(Path(data_dir()) / "logs")),
    )
    rows = "".join(
        f"<tr><td><b>{name}</b>&nbsp;&nbsp;</td><td>{html.escape(where)}</td></tr>"
        for name, where in places
    )
    return (
        f"<h3>Roundtable {html.escape(__version__)}</h3>"
        f"<p>{html.escape(SUMMARY)}</p>"
        f"<p>{LICENCE}. API keys stay in your system keyring, never in these files.</p>"
        f"<table>{rows}</table>"
    )


class AboutDialog(QDialog):
    """The About box. No signals."""

    def __init__(self, database: str, settings_file: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Roundtable")
        self.text = QLabel(about_text(database, settings_file))
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
