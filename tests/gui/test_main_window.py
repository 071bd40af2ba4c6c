"""The whole window with its real engine child process, as a person uses it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable.domain import DebateSpec, DebateStatus, Seat
from roundtable.gui.live.engine_client import EngineClient
from roundtable.gui.main_window import MainWindow
from roundtable.gui.support import messages
from roundtable.gui.support.settings_store import AppSettings
from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.slow

QUESTION = "What is 12+17*23+4-9*14?"


@pytest.fixture
def demo_speed():
    return "40"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, demo_speed):
    monkeypatch.setenv("ROUNDTABLE_DEMO_SPEED", demo_speed)  # read by the engine process
    win = MainWindow(AppSettings(), db_location=str(tmp_path / "window.db"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.finish_startup()
    qtbot.waitUntil(lambda: win.engine is not None and win.engine.is_ready, timeout=60_000)
    yield win
    win.close()


def demo_spec(question: str = QUESTION) -> DebateSpec:
    return DebateSpec(
        question=question,
        seats=(
            Seat(id="ada", name="Ada", model="demo/ada"),
            Seat(id="basil", name="Basil", model="demo/basil"),
            Seat(id="cyra", name="Cyra", model="demo/cyra"),
        ),
    )


def test_a_demo_debate_started_from_the_window_finishes_and_is_found(window, qtbot):
    qtbot.waitUntil(window.setup.is_valid, timeout=20_000)  # the demo table is seated
    assert window.window_actions.start.isEnabled()
    window.setup.set_question(QUESTION)
    window.window_actions.start.trigger()
    state = window.debate_view.state
    qtbot.waitUntil(lambda: state.status is DebateStatus.RUNNING, timeout=10_000)
    assert window.window_actions.stop.isEnabled()
    assert not window.window_actions.start.isEnabled()
    # The table follows the events: some seat is thinking or streaming, later all done.
    qtbot.waitUntil(lambda: any(seat.phase.active for seat in state.seats.values()))
    qtbot.waitUntil(lambda: window.shown.live_id is None, timeout=120_000)
    assert state.status is DebateStatus.FINISHED
    assert state.final_answer == str(12 + 17 * 23 + 4 - 9 * 14)
    assert all(not seat.phase.active for seat in state.seats.values())
    # It is in the history, and full-text search finds it by a word of a turn.
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    assert window.history.model.summary(0).final_answer == state.final_answer
    window.history.search_box.setText("step")
    qtbot.waitUntil(lambda: window.history.shown_query == "step", timeout=5_000)
    assert window.history.model.rowCount() == 1
    assert window.window_actions.replay.isEnabled()
    assert window.window_actions.export.isEnabled()

    # Replay right after the live run plays this debate's stored turns, from the first.
    window.window_actions.replay.trigger()
    assert window.replay_bar.isVisible()
    assert window.replay.total_turns == 9
    assert window.replay.position < window.replay.total_turns

    # Re-run puts the stored table and question back on the form.
    window.setup.set_question("Something else?")
    window.rerun_debate(window.shown.shown_id)
    assert window.pages.currentWidget() is window.setup
    assert window.setup.spec().question == QUESTION


@pytest.mark.parametrize("demo_speed", ["2"])  # slow enough to stop mid-round
def test_stop_mid_debate_keeps_a_cancelled_debate_that_resume_finishes(window, qtbot):
    window.start_debate(demo_spec())
    state = window.debate_view.state
    qtbot.waitUntil(
        lambda: any(turn.text for rnd in state.rounds for turn in rnd.turns.values()),
        timeout=20_000,
    )
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # Stop
    qtbot.waitUntil(lambda: window.shown.live_id is None, timeout=5_000)
    assert state.status is DebateStatus.CANCELLED
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    assert window.history.model.summary(0).status is DebateStatus.CANCELLED
    stopped_id = window.shown.shown_id

    # Resume continues the same debate from its last complete round, to the end.
    assert window.window_actions.resume.isEnabled()
    window.window_actions.resume.trigger()
    qtbot.waitUntil(lambda: window.shown.live_id is None, timeout=60_000)
    assert window.shown.shown_id == stopped_id
    assert state.status is DebateStatus.FINISHED
    assert state.final_answer is not None
    window.history.refresh()
    qtbot.waitUntil(
        lambda: window.history.model.summary(0).status is DebateStatus.FINISHED, timeout=5_000
    )
    assert window.history.model.rowCount() == 1, "one transcript, not a copy"


def test_a_seat_whose_key_is_refused_shows_why_while_the_others_finish(window, qtbot):
    with FakeOpenAIServer() as server:
        spec = DebateSpec(
            question="Which number?",
            seats=(
                Seat(id="a", name="Alpha", model="openai/answer-7", api_base=server.base_url),
                Seat(id="b", name="Beta", model="openai/answer-7", api_base=server.base_url),
                Seat(id="c", name="Gamma", model="openai/fail-401", api_base=server.base_url),
            ),
            max_rounds=2,
        )
        window.start_debate(spec)
        qtbot.waitUntil(lambda: window.shown.live_id is None, timeout=60_000)
    state = window.debate_view.state
    assert state.status is DebateStatus.FINISHED
    assert state.final_answer == "7"
    failed = state.seats["c"]
    assert "key" in failed.error_detail.lower()
    card = window.debate_view.transcript.card(0, "c")
    assert card is not None
    assert "key" in card.notice.text().lower()
    assert card.notice.isVisibleTo(window)


def test_an_engine_that_cannot_start_is_told_once_and_the_label_says_stopped(qtbot, tmp_path):
    win = MainWindow(AppSettings(), db_location=str(tmp_path / "w.db"))
    qtbot.addWidget(win)
    win.engine = EngineClient(command=["/nonexistent/python-for-roundtable"], max_restarts=0)
    win.engine.crashed.connect(win._engine_crashed)
    told: list[str] = []

    def tell(text: str, _detail: str) -> None:
        told.append(text)

    messages.bridge().error_reported.connect(tell)
    try:
        with qtbot.waitSignal(win.engine.crashed, timeout=5_000):
            win.engine.start()
        qtbot.waitUntil(lambda: bool(told), timeout=2_000)
        qtbot.wait(100)  # a second report would be queued by now
    finally:
        messages.bridge().error_reported.disconnect(tell)
    assert len(told) == 1
    assert "could not be started" in told[0]
    assert win.engine_label.text() == "Engine: stopped"
