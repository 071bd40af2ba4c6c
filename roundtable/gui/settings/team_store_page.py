"""Settings › Team store: the shared PostgreSQL database, and the name on your debates.

Saved on OK to `<data dir>/team_store.json` (`roundtable.storage.team_store`), which
the app, its engine process and every command read; a password typed in the URL goes
to the OS keyring instead, never to that file. The store is opened at start, so a new
one takes effect the next time Roundtable starts.
"""

from __future__ import annotations

import getpass
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from roundtable.gui.style.theme import set_role

DB_VAR = "ROUNDTABLE_DB"
_NOTE = (
    "A password in the URL is moved to the OS keyring on OK, never written to a file "
    "(or leave it out and use PGPASSWORD or ~/.pgpass). Takes effect the next time "
    "Roundtable starts. Empty: your own history on this computer."
)


class TeamStorePage(QWidget):
    """The team store's URL and the display name debates you start carry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from roundtable.storage.team_store import saved_team_store

        saved = saved_team_store()
        intro = QLabel(
            "One history for the team: a <b>PostgreSQL</b> database everyone's app and "
            "<code>roundtable</code> commands use. <code>roundtable db copy --to URL</code> "
            "brings your own history into it."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.url_edit = QLineEdit(saved.url)
        self.url_edit.setAccessibleName("Team store database URL")
        self.url_edit.setPlaceholderText("postgresql+psycopg://you@db.example.com/roundtable")
        self.url_note = QLabel(_NOTE)
        self.url_note.setWordWrap(True)
        set_role(self.url_note, "muted")
        self.name_edit = QLineEdit(saved.user)
        self.name_edit.setAccessibleName("Your name on the debates you start")
        self.name_edit.setPlaceholderText(_login_name())
        self.name_edit.setMaxLength(80)
        name_note = QLabel(
            "Recorded with each debate you start: the history's Only mine lists yours."
        )
        name_note.setWordWrap(True)
        set_role(name_note, "muted")
        self.env_note = QLabel("")
        self.env_note.setWordWrap(True)
        set_role(self.env_note, "warning")
        if os.environ.get(DB_VAR):
            self.env_note.setText(f"{DB_VAR} is set, so this app uses it, not the URL here.")
        self.env_note.setVisible(bool(self.env_note.text()))
        form = QFormLayout()
        url_label = QLabel("Database &URL:")
        url_label.setBuddy(self.url_edit)
        form.addRow(url_label, self.url_edit)
        form.addRow("", self.url_note)
        name_label = QLabel("Your &name:")
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow("", name_note)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.env_note)
        layout.addStretch(1)

    def save(self) -> None:
        """Save (OK). ConfigError, said on the page, when the URL is not a database URL
        or its password cannot be kept safely."""
        from roundtable.domain import ConfigError
        from roundtable.storage.team_store import save_team_store, split_password

        try:
            save_team_store(self.url_edit.text(), self.name_edit.text())
        except ConfigError as exc:
            self.url_note.setText(str(exc))
            set_role(self.url_note, "error")
            raise
        # The password has left for the keyring: the field keeps the URL without it.
        self.url_edit.setText(split_password(self.url_edit.text().strip())[0])


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "your login name"
