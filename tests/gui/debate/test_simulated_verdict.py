"""A verdict the offline demo table gave says it is simulated: on the outcome, on the
table, and in the history row."""

from __future__ import annotations

import pytest

from roundtable.domain import DebateFinished, DebateSpec, DebateStarted, Event, Seat
from roundtable.gui.debate.view import DebateView
from roundtable.gui.history.summary_text import outcome_text
from roundtable.storage import Recorder, list_debates, open_database
from tests.helpers.events import EventBuilder, usage

DEMO = (
    Seat(id="ada", name="Ada", model="demo/ada"),
    Seat(id="basil", name="Basil", model="demo/basil"),
)
MIXED = (DEMO[0], Seat(id="gpt", name="GPT", model="openai/gpt-4o"))
REAL = (MIXED[1], Seat(id="you", name="You", model="human"))


def finished(debate_id: str, seats: tuple[Seat, ...]) -> list[Event]:
    log = EventBuilder(debate_id)
    log.add(DebateStarted, spec=DebateSpec(question="Which database?", seats=seats))
    log.add(
        DebateFinished,
        final_answer="MongoDB",
        consensus=True,
        rule="Consensus: all seats answered MongoDB in round 1.",
        tally={"MongoDB": 2.0},
        usage=usage(100, 100),
        rounds=1,
    )
    return log.events


@pytest.mark.parametrize(
    ("seats", "said"),
    [
        (DEMO, "Simulated: the offline demo models gave this verdict"),
        (MIXED, "Partly simulated: 1 of 2 seats are offline demo models"),
        (REAL, ""),
    ],
)
def test_the_outcome_says_when_its_verdict_is_simulated(qtbot, seats, said):
    view = DebateView()
    qtbot.addWidget(view)
    view.apply_all(finished("d", seats))
    outcome = view.transcript.outcome
    assert outcome.simulated.text().startswith(said)
    assert outcome.simulated.isHidden() is not bool(said)
    if said:
        assert said in outcome.answer_text()  # a copied verdict keeps the label
    table = {DEMO: "Simulated answer", MIXED: "Partly simulated answer", REAL: "Final answer"}
    assert f"{table[seats]}: MongoDB" in view.table.accessibleDescription()


def test_the_history_row_says_simulated(tmp_path):
    database = open_database(tmp_path / "history.db")
    recorder = Recorder(database)
    for debate_id, seats in (("demo", DEMO), ("mixed", MIXED), ("real", REAL)):
        for event in finished(debate_id, seats):
            recorder(event)
    recorder.close()
    rows = {summary.id: outcome_text(summary) for summary in list_debates(database)}
    database.close()
    assert rows == {
        "demo": "Answer (simulated): MongoDB",
        "mixed": "Answer (partly simulated): MongoDB",
        "real": "Answer: MongoDB",
    }


def test_a_narrow_table_keeps_the_answer_and_the_mark(qtbot):
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from roundtable.gui.debate.state import DebateState
    from roundtable.gui.debate.table_centre import TableCentrePainter, final_answer_words

    state = DebateState()
    for event in finished("d", DEMO):
        state.apply(event)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    font = QApplication.font()
    centre = TableCentrePainter(painter, QApplication.palette(), font, state)
    final = final_answer_words(state)
    try:
        assert centre._fitting_final(final, font, 2000) == "Simulated answer: MongoDB · consensus"
        # Too narrow for the whole line: the answer and its mark stay, the rest goes.
        assert centre._fitting_final(final, font, 150) == "MongoDB (simulated)"
    finally:
        painter.end()
