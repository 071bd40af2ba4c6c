"""Settings › Team gateway: the proxy's address saved on OK, its virtual key in the
keyring only, and a test that lists its models with their prices."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable.gui.settings.dialog import SettingsDialog
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.paths import data_dir
from roundtable.providers.team_gateway import saved_gateway_url
from tests.fakes.openai_server import FakeOpenAIServer

VIRTUAL_KEY = "sk-team-virtual-0123456789abcdef"


@pytest.fixture
def dialog(qtbot, qapp):
    dlg = SettingsDialog(AppSettings(), page="gateway")
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.gateway_page.status_loaded, timeout=3000):
        pass
    yield dlg
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=5000)


def test_the_key_goes_to_the_keyring_the_test_lists_prices_and_ok_saves_the_address(
    qtbot, dialog, memory_keyring
):
    page = dialog.gateway_page
    assert dialog.tabs.currentWidget() is page
    with FakeOpenAIServer.like_litellm_proxy(
        VIRTUAL_KEY, models=["team-gpt", "team-mini"]
    ) as proxy:
        proxy.model_info = {"team-gpt": (2e-6, 8e-6)}
        qtbot.keyClicks(page.url_edit, proxy.url)
        qtbot.keyClicks(page.key_edit, VIRTUAL_KEY)
        with qtbot.waitSignal(dialog.keys_changed, timeout=3000):
            qtbot.mouseClick(page.save_key_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.key_status.text().startswith("key set"), timeout=3000)
        assert page.key_edit.text() == ""
        with qtbot.waitSignal(page.test_finished, timeout=5000) as blocker:
            qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)

    assert blocker.args == [True, "OK — 2 models"]
    listed = [page.models_list.item(i).text() for i in range(page.models_list.count())]
    assert listed == [
        "team-gpt — $2.00 / $8.00 per M tokens in / out",
        "team-mini — no price given",
    ]
    assert memory_keyring.store[("roundtable", "litellm_proxy")] == VIRTUAL_KEY
    dialog.accept()
    assert saved_gateway_url() == proxy.url
    for written in data_dir().rglob("*"):  # settings.ini, team_gateway.json, prices
        if written.is_file():
            assert VIRTUAL_KEY not in written.read_text(encoding="utf-8", errors="replace")


def test_an_address_that_is_not_one_keeps_the_dialog_open_and_says_why(qtbot, dialog):
    dialog.show()
    page = dialog.gateway_page
    page.url_edit.setText("ftp://10.0.0.5")

    dialog.accept()

    assert dialog.isVisible()
    assert "not an http:// or https:// address" in page.url_note.text()
    assert saved_gateway_url() is None


def test_the_variable_naming_a_gateway_is_said_to_win(qtbot, qapp, monkeypatch):
    monkeypatch.setenv("LITELLM_PROXY_API_BASE", "http://127.0.0.1:4000")
    dlg = SettingsDialog(AppSettings(), page="gateway")
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.gateway_page.status_loaded, timeout=3000):
        pass

    assert "LITELLM_PROXY_API_BASE is set (http://127.0.0.1:4000)" in (
        dlg.gateway_page.url_note.text()
    )
    assert dlg.gateway_page.test_button.isEnabled()
