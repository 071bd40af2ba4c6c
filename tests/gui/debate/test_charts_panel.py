"""The Charts tab of the debate view: it follows a live debate, a replay, and leads back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable.domain import RoundFinished
from roundtable.gui.debate.view import DebateView
from tests.helpers.debates import bat_and_ball_debate


@pytest.fixture
def view(qtbot) -> DebateView:
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _agreement(view: DebateView) -> list[float]:
    chart = view.charts.views[0].chart
    assert chart is not None
    return [point.y for _, point in chart.points()]


def _round_ends(events) -> list[int]:
    return [i for i, event in enumerate(events) if isinstance(event, RoundFinished)]


def test_the_charts_wait_unseen_until_their_tab_is_opened(view: DebateView):
    for event in bat_and_ball_debate():
        view.apply(event)
    assert view.charts.views == []  # nothing drawn, matplotlib not needed yet
    view.tabs.setCurrentWidget(view.charts)
    assert [v.accessibleName() for v in view.charts.views] == [
        "Agreement by round",
        "Each seat's answer by round",
        "Votes of the final round",
    ]
    assert _agreement(view) == [2 / 3, 1.0]


def test_a_live_debate_adds_each_round_as_it_finishes(view: DebateView, qtbot):
    events = bat_and_ball_debate()
    view.tabs.setCurrentWidget(view.charts)
    first_round_end, second_round_end = _round_ends(events)
    for event in events[: first_round_end + 1]:
        view.apply(event)
    qtbot.waitUntil(lambda: _agreement(view) == [2 / 3])
    for event in events[first_round_end + 1 : second_round_end + 1]:
        view.apply(event)
    qtbot.waitUntil(lambda: _agreement(view) == [2 / 3, 1.0])


def test_a_replay_position_shows_the_charts_of_that_moment(view: DebateView):
    events = bat_and_ball_debate()
    view.tabs.setCurrentWidget(view.charts)
    view.clear()
    view.apply_all(events[: _round_ends(events)[0] + 1])
    view.charts.refresh()
    assert _agreement(view) == [2 / 3]
    votes = view.charts.views[2].chart
    assert votes is not None
    assert votes.title == "Votes after round 1"
    view.clear()
    view.charts.refresh()
    assert _agreement(view) == []


def test_clicking_a_seats_answer_shows_that_turn_in_the_transcript(view: DebateView, qtbot):
    view.apply_all(bat_and_ball_debate())
    view.tabs.setCurrentWidget(view.charts)
    answers = view.charts.views[1]
    grace_round_2 = next(i for i, p in enumerate(answers.points()) if p.link == "turn:1:grace")
    qtbot.mouseClick(
        answers.canvas, Qt.MouseButton.LeftButton, pos=answers.point_position(grace_round_2)
    )
    assert view.tabs.currentWidget() is view.transcript
    card = view.transcript.card(1, "grace")
    assert card is not None
    qtbot.waitUntil(lambda: not card.visibleRegion().isEmpty())
