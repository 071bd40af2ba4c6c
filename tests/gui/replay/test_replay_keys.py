"""The replay keys work wherever the focus is in the debate view while a replay is loaded."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from roundtable.gui.debate.view import DebateView
from roundtable.gui.main_window import MainWindow
from roundtable.gui.replay.controller import ReplayController
from roundtable.gui.replay.replay_bar import ReplayBar
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.debates import bat_and_ball_debate


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def _press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a person's keyboard sends it."""
    target = _focus()
    assert target is not None, "the focus was lost: every key press goes nowhere"
    qtbot.keyClick(target, key, modifier)
    qtbot.wait(20)  # what the press deleted is deleted (a rebuilt transcript's turns)


@pytest.fixture
def page(qtbot):
    """The window's debate page: the debate view with the replay bar under it."""
    page = QWidget()
    qtbot.addWidget(page)
    view = DebateView()
    bar = ReplayBar()
    layout = QVBoxLayout(page)
    layout.addWidget(view)
    layout.addWidget(bar)
    controller = ReplayController(view, page)
    bar.set_controller(controller)
    events = bat_and_ball_debate()
    view.apply_all(events)
    controller.set_events(events)
    page.resize(1200, 800)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    return view, controller


def test_after_a_click_in_a_turn_every_arrow_press_steps_back(qtbot, page):
    view, controller = page
    controller.set_speed(8)
    controller.play_from_start()
    while controller.state != "ended":  # played to the end, as a person would watch it
        controller.advance(0.5)
    total = controller.total_turns
    last_round = view.state.rounds[-1]
    body = view.transcript.card(last_round.index, list(last_round.turns)[-1]).body
    body.setFocus(Qt.FocusReason.MouseFocusReason)  # a click in the turn's text
    qtbot.waitUntil(body.hasFocus)
    for expected in (total - 1, total - 2, total - 3):
        _press(qtbot, Qt.Key.Key_Left)
        assert controller.position == expected
        assert view.isAncestorOf(_focus()), "the focus left the debate view"
    _press(qtbot, Qt.Key.Key_Right)
    assert controller.position == total - 2
    _press(qtbot, Qt.Key.Key_Space)
    assert controller.state == "playing"
    _press(qtbot, Qt.Key.Key_Space)
    assert controller.state == "paused"
    _press(qtbot, Qt.Key.Key_Home)
    assert controller.position == 0


@pytest.fixture
def window(qtbot, tmp_path):
    from roundtable.storage import Recorder, open_database

    location = str(tmp_path / "replay.db")
    database = open_database(location)
    recorder = Recorder(database)
    for event in bat_and_ball_debate("stored"):
        recorder(event)
    recorder.close()
    win = MainWindow(AppSettings(), db_location=location)
    win.database = database
    win.history.set_database(database)
    win.resize(1280, 860)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    win.close()
    win.deleteLater()


def test_space_pauses_the_replay_that_ctrl_r_started_from_the_history(qtbot, window):
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    window.history.list.setFocus()
    window.history.list.setCurrentIndex(window.history.model.index(0, 0))
    _press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.replay.has_events)
    window.history.list.setFocus()  # opening a debate leaves the focus in the history
    qtbot.waitUntil(window.history.list.hasFocus)
    _press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.replay.state == "playing"
    _press(qtbot, Qt.Key.Key_Space)
    assert window.replay.state == "paused"
    _press(qtbot, Qt.Key.Key_Right)
    assert window.replay.position >= 1
