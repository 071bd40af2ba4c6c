"""While a stored debate is replayed, the status line says so and where the replay is."""

from __future__ import annotations

import pytest

from roundtable.gui.debate.view import DebateView
from roundtable.gui.replay.controller import ReplayController
from roundtable.gui.style.formatting import format_seconds
from tests.helpers.debates import bat_and_ball_debate


@pytest.fixture
def replayed(qtbot):
    view = DebateView()
    qtbot.addWidget(view)
    events = bat_and_ball_debate()
    view.apply_all(events)  # opened from the history: its end state
    controller = ReplayController(view)
    controller.set_events(events)
    return view, controller


def test_a_paused_replay_says_where_it_is_not_running(replayed):
    view, controller = replayed
    assert view.status_label.text().startswith("Finished · 2 rounds")
    controller.seek(4)
    status = view.status_label.text()
    assert "Running" not in status
    assert status.startswith("Replay paused · 4 of 6 turns done · round 2 ·")
    # The debate's own time at that point, not the time since it really began (months).
    assert format_seconds(view.state.elapsed_s) in status
    view.tick()  # the window's 1 s timer must not start a wall clock either
    assert view.status_label.text() == status


def test_playing_says_replaying_and_the_end_shows_the_debate_again(replayed):
    view, controller = replayed
    controller.play_from_start()
    assert view.status_label.text().startswith("Replaying · 0 of 6 turns done")
    controller.next_turn()  # a step pauses the replay
    assert view.status_label.text().startswith("Replay paused · 1 of 6 turns done · round 1 ·")
    controller.play()
    assert view.status_label.text().startswith("Replaying · 1 of 6 turns done")
    controller.to_end()
    assert view.status_label.text().startswith("Finished · 2 rounds")
    controller.seek(2)
    controller.stop()  # another debate takes the view: the replay lets go of it
    assert not view.status_label.text().startswith("Replay")


@pytest.mark.parametrize(("width", "wraps"), [(1400, False), (560, True)])
def test_the_status_line_wraps_on_a_narrow_view_only_and_stays_clear_of_show(
    replayed, qtbot, width, wraps
):
    view, controller = replayed
    view.resize(width, 700)
    view.show()
    qtbot.waitExposed(view)
    controller.seek(4)
    qtbot.wait(20)  # laid out
    label = view.status_label
    assert label.wordWrap() == wraps
    lines = label.height() // label.fontMetrics().lineSpacing()
    assert (lines >= 2) == wraps  # all of it shows, on two lines when it must
    assert label.geometry().right() < view.seat_filter.geometry().left()
