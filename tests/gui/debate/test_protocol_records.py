"""What the protocols record, as the debate view draws it: council rankings and verdict,
capitulation, and a turn a person passed."""

from __future__ import annotations

import pytest

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    RoundFinished,
    RoundStarted,
    TurnFinished,
    TurnStarted,
)
from roundtable.gui.debate.turn_card import CAPITULATED_TIP
from roundtable.gui.debate.view import DebateView
from tests.helpers.debates import BAT_AND_BALL_SEATS as SEATS
from tests.helpers.events import EventBuilder, answer, usage


def council_events() -> list:
    f = EventBuilder("council-1")
    spec = DebateSpec(question="Which database?", seats=SEATS, protocol="council", max_rounds=2)
    f.add(DebateStarted, spec=spec)
    f.add(RoundStarted, round=0, seat_ids=("ada", "grace", "linus"))
    for seat, said in (("ada", "5"), ("grace", "5"), ("linus", "10")):
        f.add(TurnStarted, round=0, seat_id=seat)
        f.add(
            TurnFinished,
            round=0,
            seat_id=seat,
            text=f"Final answer: {said}",
            answer=answer(said, 0.8),
            usage=usage(50, 50),
        )
    f.add(RoundFinished, round=0, tally={"5": 2, "10": 1}, agreement=2 / 3, leader="5")
    f.add(RoundStarted, round=1, seat_ids=("ada", "grace", "linus"))
    f.add(TurnStarted, round=1, seat_id="ada")
    f.add(
        TurnFinished,
        round=1,
        seat_id="ada",
        text="Response B is best.",
        answer=None,
        usage=usage(40, 40),
        ranking=("grace", "ada", "linus"),
    )
    f.add(TurnStarted, round=1, seat_id="linus")
    f.add(
        TurnFinished,
        round=1,
        seat_id="linus",
        text="Fine, 5.\nFinal answer: 5",
        answer=answer("5", 0.6),
        usage=usage(30, 30),
        capitulated=True,
    )
    f.add(
        RoundFinished,
        round=1,
        tally={"5": 3},
        agreement=1.0,
        leader="5",
        rankings={"grace": 1.33, "ada": 1.67, "linus": 3.0},
        verdict="agreement 0.9: all say 5",
        disputed=("whether rounding matters",),
        judged_by="ada",
    )
    f.add(
        DebateFinished,
        final_answer="5",
        consensus=True,
        rule="Chair's synthesis",
        tally={"5": 3},
        usage=usage(250, 250),
        rounds=2,
    )
    return f.events


@pytest.fixture
def view(qtbot):
    widget = DebateView()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def test_council_rankings_verdict_and_capitulation_are_drawn(view, qapp):
    view.apply_all(council_events())
    qapp.processEvents()  # new sections are shown from the event loop
    section = view.transcript.heading(1)
    notes = section.notes.text()
    assert section.notes.isVisibleTo(view)
    assert notes.index("Grace") < notes.index("Ada") < notes.index("Linus")  # best first
    assert "1.33" in notes
    assert "Average rank" in notes
    assert "agreement 0.9: all say 5" in notes
    assert "whether rounding matters" in notes
    outcome = view.transcript.outcome.rankings
    assert outcome.isVisibleTo(view)
    assert "Grace" in outcome.text()

    review = view.transcript.card(1, "ada")
    assert review.ranking_label.isVisibleTo(view)
    assert "Grace › Ada › Linus" in review.ranking_label.text()
    flagged = view.transcript.card(1, "linus")
    assert flagged.capitulated_label.isVisibleTo(view)
    assert flagged.capitulated_label.toolTip() == CAPITULATED_TIP
    assert not view.transcript.card(0, "linus").capitulated_label.isVisibleTo(view)


def test_a_passed_turn_says_passed(view):
    f = EventBuilder("p")
    f.add(DebateStarted, spec=DebateSpec(question="Q?", seats=SEATS))
    f.add(
        TurnFinished, round=0, seat_id="grace", text="", answer=None, usage=usage(0, 0), passed=True
    )
    view.apply_all(f.events)
    assert view.transcript.card(0, "grace").answer_chip.text() == "passed"
