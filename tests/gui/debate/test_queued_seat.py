"""A seat waiting for its server is shown waiting for it, not thinking; then thinking."""

from __future__ import annotations

from roundtable.domain import (
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnQueued,
    TurnSent,
    TurnStarted,
)
from roundtable.gui.debate.round_table import seat_tooltip
from roundtable.gui.debate.state import DebateState, Phase
from roundtable.gui.debate.view import DebateView

SEATS = tuple(
    Seat(id=f"s{n}", name=f"Seat {n}", model="openai/llama", api_base="http://127.0.0.1:8080/v1")
    for n in (1, 2)
)


def events() -> list[object]:
    spec = DebateSpec(question="What is 6 times 7?", seats=SEATS)
    made: list[object] = [
        DebateStarted(debate_id="d", seq=0, spec=spec),
        RoundStarted(debate_id="d", seq=1, round=0, seat_ids=("s1", "s2")),
        TurnStarted(debate_id="d", seq=2, round=0, seat_id="s1"),
        TurnStarted(debate_id="d", seq=3, round=0, seat_id="s2"),
        TurnQueued(debate_id="d", seq=4, round=0, seat_id="s2", server="localhost:8080"),
    ]
    return made


def test_the_state_says_which_server_a_seat_waits_for_until_it_is_sent():
    state = DebateState()
    for event in events():
        state.apply(event)
    assert state.seats["s1"].phase is Phase.THINKING
    assert state.seats["s2"].phase is Phase.QUEUED
    assert state.seats["s2"].waiting_for == "localhost:8080"
    assert state.turn(0, "s2").waiting_for == "localhost:8080"
    assert state.any_active  # the clock keeps running while a seat waits
    # A small card has room for "waiting for localh…" only: its tooltip says it all.
    assert "State: queued, waiting for localhost:8080" in seat_tooltip(state.seats["s2"])

    state.apply(TurnSent(debate_id="d", seq=5, round=0, seat_id="s2"))
    assert state.seats["s2"].phase is Phase.THINKING
    assert state.seats["s2"].waiting_for == ""


def test_the_waiting_seats_turn_card_names_the_server(qtbot):
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    view.apply_all(events())
    card = view.transcript.card(0, "s2")
    assert card is not None
    assert card.state_label.text() == "queued…"
    assert "Waiting for localhost:8080" in card.notice.text()
