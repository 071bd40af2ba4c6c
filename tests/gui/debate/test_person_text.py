"""In the transcript a person's turn shows as typed; a model's turn is still Markdown."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from roundtable.domain import (
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.gui.debate.view import DebateView
from tests.helpers.events import EventBuilder, answer, usage

TYPED = "17*23=391 and 9*14=126\n# not a heading\n\nFinal answer: 391"


def test_a_persons_turn_reads_as_typed_and_a_models_as_markdown(qtbot):
    you = Seat(id="you", name="You", model="human")
    seats = (you, Seat(id="ada", name="Ada", model="demo/ada"))
    log = EventBuilder("person-text")
    log.add(DebateStarted, spec=DebateSpec(question="What is 17*23?", seats=seats))
    log.add(RoundStarted, round=0, seat_ids=("you", "ada"))
    for seat_id, text in (("you", TYPED), ("ada", "It is *surely* 391.\n\nFinal answer: 391")):
        log.add(TurnStarted, round=0, seat_id=seat_id)
        log.add(
            TurnFinished,
            round=0,
            seat_id=seat_id,
            text=text,
            answer=answer("391", 0.9),
            usage=usage(10, 10),
        )
    view = DebateView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    for event in log.events:  # live: each turn finishes while the view is shown
        view.apply(event)
    person, model = view.transcript.card(0, "you"), view.transcript.card(0, "ada")
    assert person is not None
    assert model is not None
    qtbot.waitUntil(lambda: "Final answer" in person.body_text())
    lines = [line.rstrip() for line in person.body_text().splitlines()]
    assert lines[:2] == ["17*23=391 and 9*14=126", "# not a heading"]
    assert "<h1" not in person.body_html()
    assert "font-style:italic" not in person.body_html()
    qtbot.waitUntil(lambda: "font-style:italic" in model.body_html())  # *surely*
    # Copied as Markdown, the person's text stays as typed wherever it is pasted.
    person.copy_button.click()
    assert QApplication.clipboard().text().startswith(r"17\*23=391 and 9\*14=126")
