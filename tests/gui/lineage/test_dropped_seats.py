"""A seat a fork dropped: its copied turns stay, but it no longer looks as if it played on."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.gui.debate.round_table import describe_table, seat_tooltip
from roundtable.gui.debate.state import DebateState, Phase
from roundtable.gui.debate.view import DebateView
from roundtable.gui.lineage.compare_dialog import column_html
from tests.helpers.events import EventBuilder, answer, usage

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada"),
    Seat(id="basil", name="Basil", model="demo/basil"),
    Seat(id="cyra", name="Cyra", model="demo/cyra"),
)


def _round(log: EventBuilder, number: int, seat_ids: tuple[str, ...]) -> None:
    log.add(RoundStarted, round=number, seat_ids=seat_ids)
    for seat_id in seat_ids:
        log.add(TurnStarted, round=number, seat_id=seat_id)
        log.add(
            TurnFinished,
            round=number,
            seat_id=seat_id,
            text="Final answer: 391",
            answer=answer("391", 0.9),
            usage=usage(10, 10),
        )
    log.add(RoundFinished, round=number, tally={"391": 2.0}, agreement=1.0, leader="391")


def fork_dropping_basil() -> list[Event]:
    """Round 1 copied from the parent (three seats), round 2 played without Basil."""
    log = EventBuilder("fork")
    spec = DebateSpec(question="What is 17*23?", seats=SEATS, sitting_out=("basil",))
    log.add(DebateStarted, spec=spec, parent_id="parent", forked_from_round=1, relation="fork")
    _round(log, 0, ("ada", "basil", "cyra"))
    _round(log, 1, ("ada", "cyra"))
    log.add(
        DebateFinished,
        final_answer="391",
        consensus=True,
        rule="all agreed",
        tally={"391": 1.8},
        usage=usage(60, 60),
        rounds=2,
    )
    return log.events


@pytest.fixture
def state() -> DebateState:
    folded = DebateState()
    for event in fork_dropping_basil():
        folded.apply(event)
    return folded


def test_a_dropped_seat_sits_out_from_the_first_round_played_without_it():
    state = DebateState()
    events = fork_dropping_basil()
    second_round = next(
        i for i, e in enumerate(events) if isinstance(e, RoundStarted) and e.round == 1
    )
    for event in events[:second_round]:  # the copied round: Basil spoke in it
        state.apply(event)
    assert state.seats["basil"].phase is Phase.DONE
    state.apply(events[second_round])
    assert state.seats["basil"].phase is Phase.SAT_OUT
    for event in events[second_round + 1 :]:
        state.apply(event)
    basil = state.seats["basil"]
    assert basil.phase is Phase.SAT_OUT
    assert not basil.phase.active
    assert basil.sat_out_from == 1
    assert [s.phase for s in state.seats.values()] == [Phase.DONE, Phase.SAT_OUT, Phase.DONE]


def test_the_card_and_its_tooltip_say_the_seat_left(state, qtbot):
    assert "Basil: sat out" in describe_table(state)
    tip = seat_tooltip(state.seats["basil"])
    assert "State: sat out" in tip
    assert "left after round 1" in tip
    view = DebateView()  # paints the sat-out card (a smoke check of the painter)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.apply_all(fork_dropping_basil())
    view.table.grab()


def test_compare_with_parent_leaves_a_dropped_seat_out_of_the_forks_table(state):
    text = column_html("Fork", state)
    assert "Table: Ada, Cyra<br>" in text
    assert "Sat out (dropped by the fork): Basil" in text


def test_a_follow_up_of_the_fork_shows_the_dropped_seat_sitting_out_from_the_start():
    log = EventBuilder("followup")
    spec = DebateSpec(question="And 17*24?", seats=SEATS, sitting_out=("basil",))
    log.add(DebateStarted, spec=spec, parent_id="fork", relation="followup")
    _round(log, 0, ("ada", "cyra"))
    state = DebateState()
    for event in log.events:
        state.apply(event)
    basil = state.seats["basil"]
    assert (basil.phase, basil.sat_out_from, basil.answer) == (Phase.SAT_OUT, 0, None)
    assert "it sits out" in seat_tooltip(basil)
