"""A seat's persona shows where the seat does: hovering its card at the table says who
it was told to be (escaped: a persona is the user's text, not markup)."""

from __future__ import annotations

from roundtable.domain import DebateSpec, DebateStarted, Seat
from roundtable.gui.debate.round_table import seat_tooltip
from roundtable.gui.debate.state import DebateState

PERSONA = "You are a careful <statistician> who checks every step twice."


def test_a_seat_card_tooltip_shows_its_persona():
    seats = (
        Seat("ada", "Ada", "demo/ada", persona=PERSONA),
        Seat("bob", "Bob", "demo/basil"),
    )
    state = DebateState()
    state.apply(DebateStarted(debate_id="d", seq=0, spec=DebateSpec(question="Q?", seats=seats)))
    tooltip = seat_tooltip(state.seats["ada"])
    assert (
        "Persona: <i>You are a careful &lt;statistician&gt; who checks every step twice.</i>"
        in tooltip
    )
    assert "Persona" not in seat_tooltip(state.seats["bob"])  # none set, no empty line


def test_a_long_persona_is_cut_in_the_tooltip():
    seats = (
        Seat("ada", "Ada", "demo/ada", persona="word " * 200),
        Seat("bob", "Bob", "demo/basil"),
    )
    state = DebateState()
    state.apply(DebateStarted(debate_id="d", seq=0, spec=DebateSpec(question="Q?", seats=seats)))
    line = next(
        x for x in seat_tooltip(state.seats["ada"]).split("<br>") if x.startswith("Persona")
    )
    assert line.endswith("…</i>")
    assert len(line) < 300
