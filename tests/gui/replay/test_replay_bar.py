"""Replay of a stored debate: what the view is fed, step by step and while playing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from roundtable.domain import (
    Answer,
    ConsensusReached,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    Usage,
)
from roundtable.gui.debate.state import DebateState
from roundtable.gui.replay.controller import TICK_MS, ReplayController
from roundtable.gui.replay.replay_bar import ReplayBar, position_text
from roundtable.gui.replay.timeline import Timeline
from tests.helpers.events import EventBuilder, answer
from tests.helpers.sinks import RecordingSink

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada"),
    Seat(id="basil", name="Basil", model="demo/basil"),
    Seat(id="cyra", name="Cyra", model="demo/cyra"),
)
T0 = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def _text(seat: Seat, round_index: int, value: str) -> str:
    return (
        f"{seat.name} in round {round_index + 1}: let me work through this carefully. "
        f"Sixteen times two is thirty-two, and adding ten gives {value}. "
        f"I checked it twice, once forwards and once backwards.\n\n"
        f"Final answer: {value}\nConfidence: 0.8"
    )


def _answer(value: str) -> Answer:
    return answer(value, 0.8)


USAGE = Usage(
    prompt_tokens=120, completion_tokens=60, cost_usd=0.0, latency_s=1.2, first_token_s=0.3
)


def stored_debate(debate_id: str = "replay-1") -> list[Event]:
    """Two rounds of three seats, with a retry, a failed turn and a consensus."""
    log = EventBuilder(debate_id, start=T0, step_s=0.5)
    spec = DebateSpec(question="What is 16 * 2 + 10?", seats=SEATS, max_rounds=2)
    log.add(DebateStarted, spec=spec)
    ids = tuple(seat.id for seat in SEATS)
    log.add(RoundStarted, round=0, seat_ids=ids)
    for seat in SEATS:
        log.add(TurnStarted, round=0, seat_id=seat.id)
    log.add(
        TurnRetrying,
        round=0,
        seat_id="cyra",
        attempt=1,
        delay_s=1.0,
        error_kind="rate_limit",
        message="slow down",
    )
    values = {"ada": "42", "basil": "42", "cyra": "41"}
    for seat in SEATS:
        value = values[seat.id]
        log.add(
            TurnFinished,
            round=0,
            seat_id=seat.id,
            text=_text(seat, 0, value),
            answer=_answer(value),
            usage=USAGE,
        )
    log.add(RoundFinished, round=0, tally={"42": 1.0, "41": 0.5}, agreement=2 / 3, leader="42")
    log.add(RoundStarted, round=1, seat_ids=ids)
    for seat in SEATS:
        log.add(TurnStarted, round=1, seat_id=seat.id)
    log.add(
        TurnFinished,
        round=1,
        seat_id="ada",
        text=_text(SEATS[0], 1, "42"),
        answer=_answer("42"),
        usage=USAGE,
    )
    log.add(
        TurnFailed,
        round=1,
        seat_id="basil",
        error_kind="timeout",
        message="Basil timed out",
        partial_text="Basil in round 2: I was about to agree with",
    )
    log.add(
        TurnFinished,
        round=1,
        seat_id="cyra",
        text=_text(SEATS[2], 1, "42"),
        answer=_answer("42"),
        usage=USAGE,
    )
    log.add(RoundFinished, round=1, tally={"42": 1.6}, agreement=1.0, leader="42")
    log.add(ConsensusReached, round=1, answer="42", value="42")
    log.add(
        DebateFinished,
        final_answer="42",
        consensus=True,
        rule="confidence-weighted vote",
        tally={"42": 1.6},
        usage=USAGE + USAGE,
        rounds=2,
    )
    return log.events


def snapshot(state: DebateState) -> dict[str, Any]:
    """What a person sees of a debate view's state: every turn, the rounds, the result."""
    return {
        "status": state.status,
        "final": state.final_answer,
        "consensus": state.consensus,
        "rounds": [
            (
                rnd.finished,
                rnd.agreement,
                {
                    seat_id: (turn.phase, turn.text, turn.answer, turn.error)
                    for seat_id, turn in rnd.turns.items()
                },
            )
            for rnd in state.rounds
        ],
        "seats": {sid: (seat.phase, seat.answer, seat.tokens) for sid, seat in state.seats.items()},
    }


def let_ticks_pass(qtbot, ticks: int) -> None:
    """Let the event loop run `ticks` of the playback timer's intervals (counted, not slept):
    a playback timer still running would fire as often."""
    probe = QTimer()
    probe.setInterval(TICK_MS)
    probe.start()
    for _ in range(ticks):
        with qtbot.waitSignal(probe.timeout, timeout=5000):
            pass
    probe.stop()


def applied(events: list[Event]) -> DebateState:
    state = DebateState()
    for event in events:
        state.apply(event)
    return state


@pytest.fixture
def events() -> list[Event]:
    return stored_debate()


@pytest.fixture
def view() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def controller(qtbot, view, events) -> ReplayController:
    ctl = ReplayController(view)
    ctl.set_events(events)
    return ctl


def _ends(events: list[Event]) -> list[TurnFinished | TurnFailed]:
    return [e for e in events if isinstance(e, TurnFinished | TurnFailed)]


def test_opening_shows_the_end_and_the_bar_counts_every_turn(qtbot, controller, view):
    bar = ReplayBar()
    qtbot.addWidget(bar)
    bar.set_controller(controller)
    # The window shows the end state itself; the controller must not redraw it.
    assert view.events == []
    assert view.clears == 0
    assert controller.state == "ended"
    assert not controller.is_active
    assert (controller.position, controller.total_turns) == (6, 6)
    assert bar.position_label.text() == "Turn 6 of 6 · Round 2"
    assert bar.slider.maximum() == 6
    assert bar.slider.value() == 6
    assert not bar.next_action.isEnabled()
    assert bar.previous_action.isEnabled()


def test_stepping_turn_by_turn_feeds_the_stored_turns_in_order(qtbot, controller, view, events):
    controller.to_start()
    assert view.clears == 1
    assert view.turn_ends() == []
    assert isinstance(view.events[0], DebateStarted)  # the empty table is visible at once
    positions = []
    controller.position_changed.connect(lambda pos, total: positions.append((pos, total)))
    for _ in range(6):
        controller.next_turn()
    shown = [
        (e.round, e.seat_id, getattr(e, "text", None), getattr(e, "answer", None))
        for e in view.turn_ends()
    ]
    stored = [
        (e.round, e.seat_id, getattr(e, "text", None), getattr(e, "answer", None))
        for e in _ends(events)
    ]
    assert shown == stored
    assert [p for p, _ in positions] == [1, 2, 3, 4, 5, 6]
    assert controller.state == "ended"
    # Stepping applies whole turns: no synthetic streaming in between.
    assert not any(isinstance(e, TurnDelta) for e in view.events)
    assert view.events == events


def test_next_round_stops_right_after_each_round_result(qtbot, controller, view):
    controller.to_start()
    controller.next_round()
    assert isinstance(view.events[-1], RoundFinished)
    assert view.events[-1].round == 0
    assert controller.position == 3
    assert controller.current_round == 0
    assert controller.state == "paused"
    controller.next_round()
    # The last round's result is followed by the consensus and the final answer.
    assert isinstance(view.events[-1], DebateFinished)
    assert controller.position == 6
    assert controller.state == "ended"


def test_step_back_shows_exactly_the_previous_turn_boundary(qtbot, events):
    state = DebateState()
    ctl = ReplayController(state)
    ctl.set_events(events)
    ctl.to_start()
    for _ in range(4):
        ctl.next_turn()
    ctl.previous_turn()
    assert ctl.position == 3
    bounds = Timeline.build(events).boundaries
    assert snapshot(state) == snapshot(applied(events[: bounds[3]]))


def test_scrubbing_to_the_middle_then_the_end_matches_the_whole_debate(qtbot, events):
    state = DebateState()
    ctl = ReplayController(state)
    ctl.set_events(events)
    ctl.seek(3)
    middle = snapshot(state)
    assert [rnd[0] for rnd in middle["rounds"]] == [True]  # round 1 done, round 2 not begun
    assert middle["final"] is None
    ctl.seek(6)
    assert snapshot(state) == snapshot(applied(events))
    assert ctl.state == "ended"


def test_play_at_8x_streams_every_turn_and_ends_with_the_full_text(qtbot, events):
    state = DebateState()
    deltas: list[TurnDelta] = []

    class Spy:
        def clear(self) -> None:
            state.clear()

        def apply(self, event: Event) -> None:
            if isinstance(event, TurnDelta):
                deltas.append(event)
            state.apply(event)

    ctl = ReplayController(Spy())
    ctl.set_events(events)
    ctl.set_speed(8)
    with qtbot.waitSignal(ctl.state_changed, timeout=5000, check_params_cb=lambda s: s == "ended"):
        ctl.play_from_start()
    assert snapshot(state) == snapshot(applied(events))
    stored_text = {(e.round, e.seat_id): e.text for e in events if isinstance(e, TurnFinished)}
    for (round_index, seat_id), text in stored_text.items():
        assert state.turn(round_index, seat_id).text == text
    # The text appeared progressively, several chunks per turn, as when it was live.
    streamed = {(d.round, d.seat_id) for d in deltas}
    assert set(stored_text) <= streamed
    assert len(deltas) >= 3 * len(stored_text)
    assert not ctl.is_active


def test_pause_stops_all_further_updates(qtbot, controller, view):
    controller.play_from_start()
    qtbot.waitUntil(lambda: any(isinstance(e, TurnDelta) for e in view.events), timeout=3000)
    controller.pause()
    count = len(view.events)
    let_ticks_pass(qtbot, 6)
    assert len(view.events) == count
    assert controller.state == "paused"
    assert controller.is_active
    with qtbot.waitSignal(controller.position_changed, timeout=3000):
        controller.play()  # and it carries on from there
    assert controller.state == "playing"


def test_retried_turn_is_revealed_again_after_its_text_is_voided(qtbot, events):
    state = DebateState()
    ctl = ReplayController(state)
    ctl.set_events(events)
    ctl.seek(0)
    # Drive playback without a timer: half a second of debate time at a time.
    while ctl.position < 3:
        ctl.advance(0.1)
    cyra = state.turn(0, "cyra")
    assert cyra.text == _text(SEATS[2], 0, "41")
    assert cyra.answer == _answer("41")


def test_bar_keys_and_buttons_drive_the_replay(qtbot, controller, view):
    page = QWidget()
    qtbot.addWidget(page)
    reading = QTextBrowser()  # stands in for the transcript of the debate view
    reading.setPlainText("Ada: 42")
    bar = ReplayBar()
    layout = QVBoxLayout(page)
    layout.addWidget(reading)
    layout.addWidget(bar)
    bar.set_controller(controller)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    bar.start_action.trigger()
    assert bar.position_label.text() == "Start · 6 turns"
    assert not bar.previous_action.isEnabled()
    # The keys work from anywhere on the page, not only from the bar.
    reading.setFocus()
    qtbot.waitUntil(reading.hasFocus)
    qtbot.keyClick(reading, Qt.Key.Key_Space)
    assert controller.state == "playing"
    bar.play_action.trigger()
    bar.start_action.trigger()
    bar.slider.setFocus()
    qtbot.waitUntil(bar.slider.hasFocus)
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert bar.position_label.text() == "Turn 1 of 6 · Round 1"
    qtbot.keyClick(bar.slider, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert controller.position == 3
    qtbot.keyClick(bar.slider, Qt.Key.Key_Left)
    assert controller.position == 2
    qtbot.keyClick(bar.slider, Qt.Key.Key_End)
    assert controller.state == "ended"
    assert bar.slider.value() == 6
    qtbot.keyClick(bar.slider, Qt.Key.Key_Space)
    assert controller.state == "playing"
    assert bar.play_action.text() == "Pause"
    bar.speed_combo.setCurrentIndex(bar.speed_combo.findData(8.0))
    assert controller.speed == 8.0
    bar.play_action.trigger()
    assert controller.state == "paused"
    assert bar.play_action.text() == "Play"


def test_dragging_the_slider_scrubs_without_animation(qtbot, controller, view):
    bar = ReplayBar(controller)
    qtbot.addWidget(bar)
    bar.slider.setValue(2)
    qtbot.waitUntil(lambda: controller.position == 2, timeout=1000)
    assert [e.seat_id for e in view.turn_ends()] == ["ada", "basil"]
    assert not any(isinstance(e, TurnDelta) for e in view.events)
    assert bar.position_label.text() == "Turn 2 of 6 · Round 1"


def test_stop_lets_go_of_the_view(qtbot, controller, view):
    controller.play_from_start()
    controller.stop()
    count = len(view.events)
    let_ticks_pass(qtbot, 3)
    assert len(view.events) == count
    assert not controller.is_active
    assert controller.total_turns == 0


def test_a_long_jump_is_drawn_once_from_a_checkpoint_when_the_view_can(qtbot, events):
    class RestoringView(RecordingSink):
        def __init__(self) -> None:
            super().__init__()
            self.restored: list[tuple[int, int]] = []

        def restore_prefix(self, snapshot, log: list[Event], since: int, until: int) -> None:
            self.restored.append((since, until))
            self.events = list(log[:until])

    view = RestoringView()
    ctl = ReplayController(view)
    ctl.set_events(events)
    ctl.seek(4)
    assert view.restored == [(0, Timeline.build(events).boundaries[4])]  # drawn once
    ctl.next_turn()  # a short step is drawn event by event
    assert len(view.restored) == 1
    assert view.events == events[: Timeline.build(events).boundaries[5]]


def test_position_text_reads_naturally():
    assert position_text(0, 9, None) == "Start · 9 turns"
    assert position_text(4, 9, 1) == "Turn 4 of 9 · Round 2"
    assert position_text(0, 0, None) == "No turns to replay"


def test_the_real_debate_view_replays_to_the_same_end_state(qtbot, events):
    debate_view = pytest.importorskip("roundtable.gui.debate.view")
    live = debate_view.DebateView()
    replayed = debate_view.DebateView()
    for widget in (live, replayed):
        qtbot.addWidget(widget)
        widget.resize(1100, 760)
        widget.show()
    for event in events:
        live.apply(event)
    ctl = ReplayController(replayed)
    ctl.set_events(events)
    ctl.set_speed(8)
    with qtbot.waitSignal(ctl.state_changed, timeout=5000, check_params_cb=lambda s: s == "ended"):
        ctl.play_from_start()
    assert snapshot(replayed.state) == snapshot(live.state)
    ctl.seek(2)  # scrubbing back rebuilds the real view too
    bounds = Timeline.build(events).boundaries
    assert snapshot(replayed.state) == snapshot(applied(events[: bounds[2]]))
    ctl.to_end()
    assert snapshot(replayed.state) == snapshot(live.state)
