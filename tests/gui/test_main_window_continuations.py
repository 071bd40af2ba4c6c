"""In the window: a person's turn asked and answered, a fork and a follow-up from a
stored debate, and the links between a fork and its parent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from roundtable import wire
from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    RoundStarted,
    Seat,
    TurnStarted,
)
from roundtable.gui.lineage.fork_dialog import ForkDialog
from roundtable.gui.live.human_turn import PLACEHOLDER
from roundtable.gui.main_window import MainWindow
from roundtable.gui.support.settings_store import AppSettings
from tests.helpers.debates import BAT_AND_BALL_SEATS as SEATS
from tests.helpers.debates import bat_and_ball_debate as demo_debate_events
from tests.helpers.engine import FakeEngine
from tests.helpers.events import EventBuilder, usage


@pytest.fixture
def window(qtbot, tmp_path):
    from roundtable.storage import Recorder, open_database

    location = str(tmp_path / "issue4.db")
    database = open_database(location)
    recorder = Recorder(database)
    for event in demo_debate_events("parent"):
        recorder(event)
    f = EventBuilder("child")
    f.add(
        DebateStarted,
        spec=DebateSpec(question="How do we split the bill?", seats=SEATS[:2]),
        parent_id="parent",
        forked_from_round=1,
        relation="fork",
    )
    f.add(
        DebateFinished,
        final_answer="10",
        consensus=False,
        rule="majority",
        tally={"10": 2.0},
        usage=usage(450, 450, 0.25),
        rounds=2,
    )
    for event in f.events:
        recorder(event)
    recorder.close()
    # Closed below, not by qtbot: a live debate id would make closing ask a question.
    win = MainWindow(AppSettings(), db_location=location)
    win.database = database
    win.history.set_database(database)
    win.engine = FakeEngine()  # type: ignore[assignment]
    win.resize(1280, 860)
    win.show()
    yield win
    win.engine = None
    win.shown.live_id = None  # else closing asks whether to stop it
    win.close()
    win.deleteLater()


def test_a_persons_turn_opens_the_input_panel_and_submit_answers_it(window, qtbot):
    spec = DebateSpec(question="Q?", seats=(*SEATS[:2], Seat(id="you", name="You", model="human")))
    window.start_debate(spec)
    f = EventBuilder("live-1")
    f.add(DebateStarted, spec=spec)
    f.add(RoundStarted, round=0, seat_ids=("ada", "grace", "you"))
    f.add(TurnStarted, round=0, seat_id="you")
    for event in f.events:
        window._engine_event(event)
    panel = window.human_panel
    assert not panel.isVisible()
    window._human_turn_requested(
        wire.HumanTurnRequested(
            debate_id="live-1",
            round=0,
            seat_id="you",
            seat_name="You",
            question="Q?",
            prompt="**Q?**",
        )
    )
    assert panel.isVisible()
    assert "Q?" in panel.prompt_view.toPlainText()
    assert panel.editor.placeholderText() == PLACEHOLDER
    qtbot.waitUntil(panel.editor.hasFocus, timeout=2000)
    assert "You: your turn" in window.debate_view.table.accessibleDescription() or (
        window.debate_view.state.seats["you"].your_turn
    )
    assert not panel.submit_button.isEnabled()  # nothing typed yet
    panel.editor.setPlainText("Because.\nFinal answer: 5\nConfidence: 0.7")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.engine.calls[-1] == (
        "human_turn",
        "live-1",
        0,
        "you",
        "Because.\nFinal answer: 5\nConfidence: 0.7",
    )
    assert not panel.isVisible()
    assert not window.debate_view.state.seats["you"].your_turn


def test_fork_and_followup_from_a_stored_debate(window, qtbot, qapp, monkeypatch):
    window.open_debate("parent")
    qapp.processEvents()
    transcript = window.debate_view.transcript
    fork_button = transcript.heading(0).fork_button
    assert fork_button.isVisibleTo(window)
    assert fork_button.text() == "Fork from here…"

    def accept_with_changes(dialog: ForkDialog) -> int:
        items = [dialog.seat_list.item(i) for i in range(dialog.seat_list.count())]
        next(i for i in items if i.text().startswith("Linus")).setCheckState(
            Qt.CheckState.Unchecked
        )
        dialog.add_seat(Seat(id="", name="Ollie", model="demo/ollie"))
        return 1

    monkeypatch.setattr(ForkDialog, "exec", accept_with_changes)
    fork_button.click()
    kind, parent, from_round, added, dropped = window.engine.calls[-1]
    assert (kind, parent, from_round, dropped) == ("fork", "parent", 1, ["linus"])
    assert [(s.id, s.model) for s in added] == [("ollie", "demo/ollie")]
    assert window.shown.live_id == "fork-1"

    window.shown.live_id = None
    window.open_debate("parent")
    outcome = window.debate_view.transcript.outcome
    outcome.followup_edit.setText("And with a 10% tip?")
    outcome.followup_button.click()
    assert window.engine.calls[-1] == ("followup", "parent", "And with a 10% tip?")


def test_links_header_and_compare_dialog_show_the_parent(window, qtbot):
    window.open_debate("child")
    header = window.debate_view.links_label
    assert header.isVisibleTo(window)
    assert "Forked from" in header.text()
    assert "at round 1" in header.text()
    opened: list[str] = []
    window.debate_view.open_requested.connect(opened.append)
    header.linkActivated.emit("debate:parent")
    assert window.shown.shown_id == "parent"
    assert "Forks:" in window.debate_view.links_label.text()

    window.open_debate("child")
    window.debate_view.links_label.linkActivated.emit("compare:")
    dialog = window.compare_dialog
    assert dialog is not None
    parent_text, child_text = dialog.parent_column.text(), dialog.child_column.text()
    assert "<b>5</b>" in parent_text
    assert "<b>10</b>" in child_text
    assert "$0.25" in child_text or "0.25" in child_text
    dialog.close()
