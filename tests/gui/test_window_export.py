"""Exporting from the window says where the file went, offers to open its folder, and
the next export starts in that folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFileDialog

from roundtable.gui.support import status_notice
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.windows import window_on_history


@pytest.fixture
def window(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as win:
        win.open_debate("stored")
        yield win


def test_an_export_is_confirmed_with_open_folder_and_its_folder_remembered(
    window, qtbot, tmp_path, monkeypatch
):
    offered: list[str] = []
    chosen = tmp_path / "exports" / "ball.html"
    chosen.parent.mkdir()

    def save_dialog(parent, caption, start, filters):  # type: ignore[no-untyped-def]
        offered.append(start)
        return str(chosen), ""

    opened: list[QUrl] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(status_notice.QDesktopServices, "openUrl", opened.append)

    window.window_actions.export.trigger()
    assert chosen.exists()
    assert Path(offered[0]).parent == Path.home(), "the first export starts at home"
    notice = window.sharing.notice
    assert notice.isVisible()
    assert notice.label.text() == "Exported ball.html"
    assert notice.button.text() == "Open folder"
    notice.button.click()
    assert opened == [QUrl.fromLocalFile(str(chosen.parent))]
    assert not notice.isVisible()

    window.window_actions.export.trigger()
    assert Path(offered[1]).parent == chosen.parent, "the next one starts where the last went"
    assert AppSettings().export_folder() == chosen.parent, "and so does the next session"


def test_a_remembered_folder_that_is_gone_falls_back_to_home(tmp_path):
    settings = AppSettings()
    gone = tmp_path / "gone"
    gone.mkdir()
    settings.set_export_folder(gone)
    assert settings.export_folder() == gone
    gone.rmdir()
    assert settings.export_folder() == Path.home()
