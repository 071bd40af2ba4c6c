"""Settings › Local servers: how many requests each server takes at once, saved and used
by the next debate."""

from __future__ import annotations

from PySide6.QtCore import Qt

from roundtable.domain.concurrency import ServerLimit
from roundtable.gui.settings.dialog import SettingsDialog
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models


def open_servers(qtbot) -> SettingsDialog:
    dialog = SettingsDialog(AppSettings(), page="servers")
    qtbot.addWidget(dialog)
    return dialog


def test_a_local_server_shows_one_at_a_time_and_a_set_limit_reaches_the_next_debate(qtbot, qapp):
    dialog = open_servers(qtbot)
    page = dialog.servers_page
    page.url_list.setCurrentRow(0)  # Ollama, on this machine
    assert page.limit_spin.value() == 1
    assert "llama-cpp-python cuts the reply in progress" in page.limit_hint.text()
    assert page.add_url("https://models.example.com/v1")
    page.url_list.setCurrentRow(page.url_list.count() - 1)
    assert page.limit_spin.text() == "no limit"  # a server elsewhere: none by default
    assert page.add_url("192.168.1.20:8000/v1")
    page.url_list.setCurrentRow(page.url_list.count() - 1)
    page.limit_spin.setFocus()
    qtbot.keyClick(page.limit_spin, Qt.Key.Key_Up)
    qtbot.keyClick(page.limit_spin, Qt.Key.Key_Up)
    assert page.limit_spin.value() == 3
    dialog.accept()

    saved = AppSettings().server_limits()
    assert saved == (ServerLimit("http://192.168.1.20:8000", 3),)
    again = open_servers(qtbot)
    again.servers_page.url_list.setCurrentRow(again.servers_page.url_list.count() - 1)
    assert again.servers_page.limit_spin.value() == 3

    panel = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(panel)
    assert panel.spec().server_limits == saved
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def test_a_hand_edited_limit_that_makes_no_sense_is_ignored(qapp):
    settings = AppSettings()
    settings._store.setValue("servers/concurrency", '{"localhost:8080": "many", "h:1": 2}')
    assert settings.server_limits() == (ServerLimit("http://h:1", 2),)
    settings._store.setValue("servers/concurrency", "not json")
    assert settings.server_limits() == ()
