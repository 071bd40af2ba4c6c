"""The window's keys: each is claimed once wherever focus can be, and the advertised
ones do what they say when pressed for real."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from roundtable import wire
from roundtable.domain import DebateSpec, DebateStarted, RoundStarted, Seat, TurnStarted
from roundtable.gui.main_window import MainWindow
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.debates import BAT_AND_BALL_SEATS as SEATS
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.events import EventBuilder
from tests.helpers.shortcuts import clashes, mnemonic_clashes
from tests.helpers.windows import window_on_history

CTRL = Qt.KeyboardModifier.ControlModifier


def _activate(qtbot, window: MainWindow) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


@pytest.fixture
def window(qtbot, tmp_path):
    with window_on_history(qtbot, tmp_path, bat_and_ball_debate("stored")) as win:
        yield win


def test_no_key_is_claimed_twice_on_the_table_form(window):
    assert window.window_actions.start.isEnabled()
    assert clashes(window) == []
    # Alt+letters too: the menu bar's (Alt+D opens Debate) against the form's labels.
    assert mnemonic_clashes(window) == {}


def test_no_key_is_claimed_twice_on_a_stored_debate_or_in_evaluations(window):
    window.open_debate("stored")
    assert window.replay_bar.isVisible()
    assert clashes(window) == []
    assert mnemonic_clashes(window) == {}
    window.toggle_evaluations()
    assert clashes(window) == []
    assert mnemonic_clashes(window) == {}


def test_no_key_is_claimed_twice_while_a_person_is_asked_for_a_turn(window):
    spec = DebateSpec(question="Q?", seats=(*SEATS[:2], Seat(id="you", name="You", model="human")))
    window.start_debate(spec)
    f = EventBuilder("live-1")
    f.add(DebateStarted, spec=spec)
    f.add(RoundStarted, round=0, seat_ids=("ada", "grace", "you"))
    f.add(TurnStarted, round=0, seat_id="you")
    for event in f.events:
        window._engine_event(event)
    window._human_turn_requested(
        wire.HumanTurnRequested(
            debate_id="live-1", round=0, seat_id="you", seat_name="You", question="Q?", prompt="Q?"
        )
    )
    assert window.human_panel.isVisible()
    assert clashes(window) == []
    assert mnemonic_clashes(window) == {}


@pytest.mark.parametrize(
    ("key", "modifiers"),
    [
        (Qt.Key.Key_Return, CTRL),  # the main Return key, the one people press
        (Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier),
    ],
)
@pytest.mark.parametrize("focus", ["question", "seat list"])
def test_ctrl_return_pressed_in_the_table_form_starts_the_debate(
    window, qtbot, key, modifiers, focus
):
    target = window.setup.question_edit if focus == "question" else window.setup.table.seat_list
    target.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(target.hasFocus)
    qtbot.keyClick(target, key, modifiers)
    assert [call[0] for call in window.engine.calls] == ["start"]
    assert window.shown.live_id == "live-1"
    assert window.pages.currentIndex() == 1, "the debate is on screen"


@pytest.mark.slow
def test_ctrl_return_starts_a_real_debate_on_the_real_engine(qtbot, tmp_path):
    win = MainWindow(AppSettings(), db_location=str(tmp_path / "real.db"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    _activate(qtbot, win)
    win.finish_startup()
    qtbot.waitUntil(lambda: win.engine is not None and win.engine.is_ready, timeout=60_000)
    qtbot.waitUntil(win.setup.is_valid, timeout=20_000)
    win.setup.focus_question()
    qtbot.waitUntil(win.setup.question_edit.hasFocus)
    qtbot.keyClick(win.setup.question_edit, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: win.debate_view.state.spec is not None, timeout=10_000)
    assert win.shown.is_running
    win.stop_debate()
    qtbot.waitUntil(lambda: not win.shown.is_running, timeout=10_000)
    win.close()
