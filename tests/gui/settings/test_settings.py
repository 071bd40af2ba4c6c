"""Preferences that survive a restart, and the Settings dialog a person uses."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from roundtable.gui.settings.dialog import SettingsDialog
from roundtable.gui.settings.providers_page import describe_source
from roundtable.gui.style.theme import apply_theme, is_dark
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from tests.fakes.openai_server import FakeOpenAIServer

SECRET = "sk-test-0123456789abcdefghijklmnop"


@pytest.fixture
def settings(qapp):
    return AppSettings()


@pytest.fixture
def dialog(qtbot, settings):
    """A Settings dialog whose key statuses have been read."""
    apply_theme(qapp_instance(), "light", 10)
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.providers_page.status_loaded, timeout=3000):
        pass
    yield dlg
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=5000)
    apply_theme(qapp_instance(), "light", 10)


def qapp_instance() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def visible_texts(widget) -> str:
    """Every text a person could read in the widget (labels, fields, buttons)."""
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [edit.text() for edit in widget.findChildren(QLineEdit)]
    parts += [button.text() for button in widget.findChildren(QAbstractButton)]
    parts += [label.toolTip() for label in widget.findChildren(QLabel)]
    return "\n".join(parts)


# ------------------------------------------------------------------ AppSettings
def test_settings_survive_a_new_appsettings(settings, isolated_user_dirs):
    settings.set_theme("dark")
    settings.set_font_size(14)
    settings.set_default_protocol("roundtable")
    settings.set_rounds(5)
    settings.set_temperature(0.4)
    settings.set_turn_timeout_s(90)
    settings.set_server_urls(["http://127.0.0.1:8000/v1/"])  # one URL: the INI list trap
    settings.set_last_table('[[seat]]\nmodel = "demo/ada"\n')

    again = AppSettings()
    assert again.theme() == "dark"
    assert again.font_size() == 14
    assert again.rounds() == 5
    assert again.temperature() == pytest.approx(0.4)
    assert again.turn_timeout_s() == 90
    assert again.server_urls() == ["http://127.0.0.1:8000/v1"]
    assert "demo/ada" in (again.last_table() or "")
    assert (isolated_user_dirs / "settings.ini").exists()


def test_fresh_settings_have_sensible_defaults(settings):
    assert settings.theme() == "system"
    assert settings.rounds() == 3
    assert settings.temperature() is None
    assert settings.server_urls() == []
    assert settings.last_table() is None


def test_a_hand_edited_file_with_nonsense_falls_back_to_defaults(isolated_user_dirs, qapp):
    isolated_user_dirs.mkdir(parents=True, exist_ok=True)
    (isolated_user_dirs / "settings.ini").write_text(
        "[appearance]\ntheme=purple\nfont_size=huge\n"
        "[debate]\nrounds=999\ntemperature=warm\n[servers]\nurls=not json\n",
        encoding="utf-8",
    )
    settings = AppSettings()
    assert settings.theme() == "system"
    assert settings.font_size() == 10
    assert settings.rounds() == 20  # clamped to the most the engine accepts
    assert settings.temperature() is None
    assert settings.server_urls() == []


def test_changed_is_emitted_only_when_a_value_really_changes(settings, qtbot):
    with qtbot.waitSignal(settings.changed, timeout=500) as blocker:
        settings.set_rounds(4)
    assert blocker.args == ["debate/rounds"]
    with qtbot.assertNotEmitted(settings.changed):
        settings.set_rounds(4)
    with pytest.raises(ValueError, match="theme must be one of"):
        settings.set_theme("purple")


# ------------------------------------------------------------------ Providers page
def test_provider_rows_say_where_each_key_comes_from(qtbot, settings, monkeypatch, memory_keyring):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    memory_keyring.set_password("roundtable", "anthropic", "sk-ant-stored")
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    page = dlg.providers_page
    qtbot.waitUntil(lambda: page.keyring_available is True, timeout=3000)
    rows = page.rows
    assert rows["openai"].status_label.text() == "from environment (OPENAI_API_KEY)"
    assert rows["anthropic"].status_label.text() == "key set"
    assert rows["mistral"].status_label.text() == "no key"
    assert rows["anthropic"].remove_button.isEnabled()
    assert not rows["mistral"].remove_button.isEnabled()
    texts = visible_texts(dlg)
    assert SECRET not in texts
    assert "sk-ant-stored" not in texts


def test_saving_a_key_stores_it_says_key_set_and_empties_the_field(qtbot, dialog, memory_keyring):
    row = dialog.providers_page.rows["mistral"]
    assert not row.save_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(row.key_edit, SECRET)
    assert row.key_edit.echoMode() == row.key_edit.EchoMode.Password
    assert row.save_button.isEnabled()
    with qtbot.waitSignal(dialog.keys_changed, timeout=3000):
        qtbot.mouseClick(row.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.status_label.text() == "key set", timeout=3000)
    assert row.key_edit.text() == ""
    assert memory_keyring.store[("roundtable", "mistral")] == SECRET
    assert SECRET not in visible_texts(dialog)

    with qtbot.waitSignal(dialog.keys_changed, timeout=3000):
        qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.status_label.text() == "no key", timeout=3000)
    assert ("roundtable", "mistral") not in memory_keyring.store


def test_enter_in_a_key_field_saves_the_key_instead_of_closing(qtbot, dialog, memory_keyring):
    dialog.show()
    qtbot.waitExposed(dialog)
    row = dialog.providers_page.rows["groq"]
    row.key_edit.setFocus()
    qtbot.keyClicks(row.key_edit, SECRET)
    qtbot.keyClick(row.key_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: row.status_label.text() == "key set", timeout=3000)
    assert dialog.isVisible()
    assert memory_keyring.store[("roundtable", "groq")] == SECRET


def test_without_a_keyring_the_page_explains_environment_variables(qtbot, settings):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dlg = SettingsDialog(settings)
    qtbot.addWidget(dlg)
    page = dlg.providers_page
    qtbot.waitUntil(lambda: page.keyring_available is False, timeout=3000)
    assert "No system keyring is available" in page.note_label.text()
    assert "OPENAI_API_KEY" in page.note_label.text()
    row = page.rows["anthropic"]
    assert "ANTHROPIC_API_KEY" in row.status_label.text()
    row.key_edit.setText(SECRET)
    assert not row.save_button.isEnabled()
    assert not row.key_edit.isEnabled()


# ------------------------------------------------------------------ Local servers page
def test_test_connection_lists_the_models_of_a_running_server(qtbot, dialog):
    page = dialog.servers_page
    with FakeOpenAIServer() as server:
        page.url_edit.setText(server.base_url)
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
        assert page.urls() == [server.base_url]
        with qtbot.waitSignal(page.test_finished, timeout=5000) as blocker:
            qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    url, ok, _message = blocker.args
    assert (url, ok) == (server.base_url, True)
    assert page.result_label.text().startswith(f"{server.base_url}: OK — ")
    assert " models: " in page.result_label.text() or " model: " in page.result_label.text()
    assert page.models_list.count() >= 1


def test_test_connection_to_a_closed_port_says_what_to_check(qtbot, dialog):
    page = dialog.servers_page
    with FakeOpenAIServer() as server:
        closed = server.base_url  # the server stops at the end of the block
    page.add_url(closed)
    page.url_list.setCurrentRow(page.url_list.count() - 1)
    with qtbot.waitSignal(page.test_finished, timeout=5000) as blocker:
        page.test_selected()
    assert blocker.args[1] is False
    assert "could not connect" in page.result_label.text()
    assert "is the server running?" in page.result_label.text()


def test_builtin_servers_cannot_be_removed_and_ok_saves_added_ones(qtbot, dialog, settings):
    page = dialog.servers_page
    page.url_list.setCurrentRow(0)  # Ollama
    assert "Ollama" in page.url_list.currentItem().text()
    assert not page.remove_button.isEnabled()
    assert page.add_url("192.168.1.20:8000/v1")
    assert page.add_url("http://10.0.0.5:1234/v1")
    page.url_list.setCurrentRow(page.url_list.count() - 1)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert AppSettings().server_urls() == ["http://192.168.1.20:8000/v1"]


# ------------------------------------------------------------------ Defaults and Appearance
def test_ok_saves_defaults_and_cancel_forgets_them(qtbot, settings):
    dlg = SettingsDialog(settings, page="defaults")
    qtbot.addWidget(dlg)
    assert dlg.tabs.currentWidget() is dlg.defaults_page
    dlg.defaults_page.rounds_spin.setValue(6)
    dlg.defaults_page.temperature_spin.setValue(0.7)
    dlg.defaults_page.timeout_spin.setValue(120)
    dlg.accept()
    assert (settings.rounds(), settings.temperature(), settings.turn_timeout_s()) == (6, 0.7, 120)

    again = SettingsDialog(settings, page="defaults")
    qtbot.addWidget(again)
    assert again.defaults_page.rounds_spin.value() == 6  # the dialog shows what is saved
    again.defaults_page.rounds_spin.setValue(2)
    again.reject()
    assert settings.rounds() == 6


def test_theme_is_previewed_live_and_cancel_puts_the_old_look_back(qtbot, settings):
    app = qapp_instance()
    settings.set_theme("light")
    apply_theme(app, "light", 10)
    dlg = SettingsDialog(settings, page="appearance")
    qtbot.addWidget(dlg)
    page = dlg.appearance_page
    page.theme_combo.setCurrentIndex(page.theme_combo.findData("dark"))
    assert is_dark(app)  # applied before OK
    page.font_spin.setValue(12)
    assert app.font().pointSize() == 12
    dlg.reject()
    assert not is_dark(app)
    assert app.font().pointSize() == 10
    assert settings.theme() == "light"

    second = SettingsDialog(settings, page="appearance")
    qtbot.addWidget(second)
    combo = second.appearance_page.theme_combo
    combo.setCurrentIndex(combo.findData("dark"))
    second.accept()
    assert settings.theme() == "dark"
    assert is_dark(app)
    apply_theme(app, "light", 10)


def test_escape_closes_the_dialog_without_saving(qtbot, settings):
    dlg = SettingsDialog(settings, page="defaults")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.defaults_page.rounds_spin.setValue(9)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()
    assert dlg.result() == QDialog.DialogCode.Rejected
    assert settings.rounds() == 3


def test_every_control_has_an_accessible_name(qtbot, dialog):
    missing = []
    for widget in dialog.findChildren(QWidget):
        takes_focus = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        if not takes_focus or widget.inherits("QScrollBar") or widget.inherits("QTabBar"):
            continue
        parent = widget.parent()
        if parent is not None and parent.inherits("QAbstractSpinBox"):
            continue  # the line edit inside a spin box is named by its spin box
        if (
            parent is not None
            and parent.parent() is not None
            and parent.parent().inherits("QComboBox")
        ):
            continue  # a combo box's popup list
        if isinstance(widget, QAbstractButton) and widget.text():
            continue  # a button's text is its accessible name
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    assert missing == []


def test_describe_source_wording():
    assert describe_source(None) == "no key"
    assert describe_source("keyring") == "key set"
    assert describe_source("GROQ_API_KEY") == "from environment (GROQ_API_KEY)"
