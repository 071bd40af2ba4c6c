"""A replay's step or jump redraws what it changed: on the round table the seat that
spoke and the table's centre, not all the seats' cards (eight cost ~10 ms a paint);
the seat the transcript is filtered to stays chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from roundtable.domain import Event
from roundtable.gui.debate import round_table
from roundtable.gui.debate.view import DebateView
from roundtable.gui.replay.controller import ReplayController
from tests.gui.replay.test_replay_checkpoints import generated_debate


def replaying(qtbot) -> tuple[DebateView, ReplayController, list[Event]]:
    """A shown debate view over a generated 6-round debate, and its replay."""
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    events = generated_debate(6)
    view.apply_all(events)
    controller = ReplayController(view)
    controller.set_events(events)
    return view, controller, events


def test_a_step_repaints_the_seat_that_spoke_not_the_whole_table(qtbot, monkeypatch):
    view, controller, _events = replaying(qtbot)
    controller.seek(7)  # three of round 2's four turns have ended
    for _ in range(3):
        QApplication.processEvents()
    painted: list[str] = []
    paint = round_table.SeatCardPainter.paint

    def counting(self, rect, seat, look):
        painted.append(seat.seat_id)
        return paint(self, rect, seat, look)

    monkeypatch.setattr(round_table.SeatCardPainter, "paint", counting)
    before = {seat_id: seat.phase for seat_id, seat in view.state.seats.items()}
    controller.next_turn()
    for _ in range(3):
        QApplication.processEvents()
    changed = {s for s, seat in view.state.seats.items() if seat.phase != before[s]}
    assert len(changed) == 1  # the last seat of the round spoke
    assert not view.table.animating  # nobody works any more: the dots stopped
    assert set(painted) == changed


def test_stepping_back_keeps_the_transcript_filtered_to_the_chosen_seat(qtbot):
    view, controller, _events = replaying(qtbot)
    controller.seek(10)
    view.set_seat_filter("s1")  # a person follows one seat through the debate
    controller.previous_turn()
    controller.seek(3)
    assert view.transcript.seat_filter == "s1"
    assert view.seat_filter.currentText() == "Seat 1"
    assert view.table.selected_seat == "s1"


def test_a_paused_replay_holds_the_thinking_seats_dots_still(qtbot):
    view, controller, _events = replaying(qtbot)
    controller.seek(6)  # round 2 half-way: two seats still thinking
    assert any(seat.phase.active for seat in view.state.seats.values())
    assert not view.table.animating  # paused: nothing moves, nothing repaints
    controller.play()
    assert view.table.animating
    controller.pause()
    assert not view.table.animating


def test_once_a_step_is_drawn_the_next_turns_text_is_made_ready(qtbot, monkeypatch):
    # Converting a turn's Markdown is the costliest part of making its card: done while
    # the person reads, the step that shows the turn does not pay for it.
    from roundtable.domain import TurnFailed, TurnFinished
    from roundtable.gui.debate import turn_card

    _view, controller, events = replaying(qtbot)
    controller.seek(3)
    converted: list[str] = []
    monkeypatch.setattr(
        turn_card, "render_markdown", lambda markdown, dark=False: converted.append(markdown)
    )

    controller.next_turn()
    assert converted == []  # not inside the step itself
    for _ in range(3):
        QApplication.processEvents()

    assert controller.position == 4
    ends = [e for e in events if isinstance(e, (TurnFinished, TurnFailed))]
    coming = [e for e in ends[4:6] if isinstance(e, TurnFinished)]  # the next two turns
    assert coming
    assert len(converted) == len(coming)
    for markdown, turn in zip(converted, coming, strict=True):
        assert turn.text.strip().splitlines()[0] in markdown
