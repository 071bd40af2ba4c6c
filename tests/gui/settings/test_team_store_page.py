"""Settings › Team store: the shared database's URL saved on OK without its password
(which goes to the keyring), the name on your debates, and a bad URL said on the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable.gui.settings.dialog import SettingsDialog
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.paths import data_dir
from roundtable.storage.people import current_user
from roundtable.storage.team_store import SETTING_FILE, saved_team_store, team_store_url

URL = "postgresql+psycopg://ada:pa55word@db.example.com/roundtable"


@pytest.fixture
def dialog(qtbot, qapp, monkeypatch):
    monkeypatch.delenv("ROUNDTABLE_USER", raising=False)
    dlg = SettingsDialog(AppSettings(), page="store")
    qtbot.addWidget(dlg)
    yield dlg
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=5000)


def test_ok_saves_the_url_without_its_password_and_your_name(qtbot, dialog, memory_keyring):
    page = dialog.store_page
    assert dialog.tabs.currentWidget() is page
    qtbot.keyClicks(page.url_edit, URL)
    qtbot.keyClicks(page.name_edit, "Ada Lovelace")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert "pa55word" not in (data_dir() / SETTING_FILE).read_text(encoding="utf-8")
    assert saved_team_store().url == "postgresql+psycopg://ada@db.example.com/roundtable"
    assert team_store_url() == URL  # the password from the keyring
    assert current_user() == "Ada Lovelace"
    reopened = SettingsDialog(AppSettings(), page="store")
    qtbot.addWidget(reopened)
    assert reopened.store_page.url_edit.text() == saved_team_store().url


def test_a_bad_url_keeps_the_dialog_open_on_the_page_saying_why(qtbot, dialog):
    dialog.show_page("providers")
    dialog.store_page.url_edit.setText("my team database")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is dialog.store_page
    assert "not a database URL" in dialog.store_page.url_note.text()
    assert not (data_dir() / SETTING_FILE).exists()
