"""Desktop habits: a menu bar with every action and its key, Ctrl+Q, About, the whole
debate copied as Markdown, and an alert when a long debate ends in the background."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from roundtable import __version__
from roundtable.domain import DebateFinished, DebateSpec, DebateStarted, Seat
from roundtable.gui.dialogs.about_dialog import AboutDialog
from roundtable.gui.support import attention
from tests.helpers.debates import BAT_AND_BALL_QUESTION, bat_and_ball_debate
from tests.helpers.events import EventBuilder, usage
from tests.helpers.windows import window_on_history


@pytest.fixture
def window(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as win:
        yield win


def _menus(window) -> dict[str, list[QAction]]:  # type: ignore[no-untyped-def]
    return {
        menu_action.text().replace("&", ""): menu_action.menu().actions()
        for menu_action in window.menuBar().actions()
    }


def test_the_menu_bar_lists_every_window_action_with_its_key(window):
    menus = _menus(window)
    assert list(menus) == ["File", "Edit", "View", "Debate", "Help"]
    in_menus = {id(action) for actions in menus.values() for action in actions}
    actions = window.window_actions
    every = [value for value in vars(actions).values() if isinstance(value, QAction)]
    assert len(every) >= 12
    missing = [action.text() for action in every if id(action) not in in_menus]
    assert missing == []
    toolbar = [a for a in actions.toolbar.actions() if not a.isSeparator()]
    assert all(id(action) in in_menus for action in toolbar), "the toolbar's are the menus'"
    keys = {a.text(): a.shortcut().toString() for a in every if not a.shortcut().isEmpty()}
    assert keys["Quit"] == "Ctrl+Q"
    assert keys["Start"] == "Ctrl+Return"
    assert keys["Copy debate as Markdown"] == "Ctrl+Shift+C"
    assert [a.text() for a in menus["Debate"] if not a.isSeparator()] == [
        "Start",
        "Stop",
        "Replay",
        "Resume",
        "Replay &controls",
    ]
    controls = menus["Debate"][-1].menu().actions()
    assert [a.shortcut().toString() for a in controls] == [
        "Space",
        "Left",
        "Right",
        "Shift+Right",
        "Home",
        "End",
    ]
    assert controls == window.replay_bar.shortcut_actions(), "the replay bar's own actions"


def test_ctrl_q_quits(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_about_says_the_version_the_licence_and_where_the_database_is(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self.text.text()))
    window.window_actions.about.trigger()
    text = shown[0]
    assert f"Roundtable {__version__}" in text
    assert "MIT" in text
    assert window.database.location in text
    assert window.settings.path() in text


def test_the_whole_debate_is_copied_as_markdown(window):
    copy = window.window_actions.copy_markdown
    assert not copy.isEnabled(), "nothing to copy on the setup form"
    window.open_debate("stored")
    assert copy.isEnabled()
    QApplication.clipboard().clear()
    copy.trigger()
    markdown = QApplication.clipboard().text()
    assert markdown.startswith("# ")
    assert BAT_AND_BALL_QUESTION in markdown
    assert "Copied the debate as Markdown" in window.statusBar().currentMessage()


def _run_to_the_end(window) -> None:  # type: ignore[no-untyped-def]
    spec = DebateSpec(
        question="Q?",
        seats=(Seat(id="a", name="Ada", model="demo/a"), Seat(id="b", name="Bo", model="demo/b")),
    )
    window.start_debate(spec)
    f = EventBuilder("live-1")
    f.add(DebateStarted, spec=spec)
    f.add(
        DebateFinished,
        final_answer="5",
        consensus=True,
        rule="vote",
        tally={"5": 2.0},
        usage=usage(10, 10, 0.0),
        rounds=1,
    )
    for event in f.events:
        window._engine_event(event)


@pytest.mark.parametrize("watched", [False, True])
def test_a_long_debate_ending_in_the_background_asks_for_attention(
    window, qtbot, monkeypatch, watched
):
    alerts: list[QWidget] = []
    monkeypatch.setattr(attention.QApplication, "alert", lambda widget, ms=0: alerts.append(widget))
    monkeypatch.setattr(attention, "LONG_DEBATE_S", 0.0)
    other = QWidget()
    qtbot.addWidget(other)
    if not watched:
        other.show()
        other.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    _run_to_the_end(window)
    assert alerts == ([] if watched else [window])


def test_a_short_debate_does_not_ask_for_attention(window, monkeypatch):
    alerts: list[QWidget] = []
    monkeypatch.setattr(attention.QApplication, "alert", lambda widget, ms=0: alerts.append(widget))
    monkeypatch.setattr(QWidget, "isActiveWindow", lambda self: False)
    _run_to_the_end(window)
    assert alerts == []


def test_listing_the_replay_keys_in_a_menu_does_not_make_them_window_wide(window, qtbot):
    window.open_debate("stored")
    history = window.history.list
    history.setFocus()
    qtbot.waitUntil(history.hasFocus)
    state = window.replay.state
    qtbot.keyClick(history, Qt.Key.Key_Space)
    assert window.replay.state == state, "Space in the history list is the list's"
