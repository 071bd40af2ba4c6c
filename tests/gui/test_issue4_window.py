"""Issue 4 in the window: role pickers, council rankings, capitulation, a person's
turn, forks, follow-ups, and the links to a parent debate."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from roundtable.domain import (
    DebateFinished,
    DebateSpec,
    DebateStarted,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
)
from roundtable.gui.debate.turn_card import CAPITULATED_TIP
from roundtable.gui.debate.view import DebateView
from roundtable.gui.lineage.fork_dialog import ForkDialog
from roundtable.gui.live.engine_client import EngineClient
from roundtable.gui.live.human_turn import PLACEHOLDER
from roundtable.gui.main_window import MainWindow
from roundtable.gui.setup.panel import SetupPanel
from roundtable.gui.support.settings_store import AppSettings
from roundtable.gui.support.workers import pending_jobs
from roundtable.providers.discovery import demo_models
from tests.helpers.debates import BAT_AND_BALL_SEATS as SEATS
from tests.helpers.debates import bat_and_ball_debate as demo_debate_events
from tests.helpers.engine import FakeEngine
from tests.helpers.events import EventBuilder, answer, usage


@pytest.fixture
def panel(qtbot, qapp):
    widget = SetupPanel(AppSettings(), model_lister=lambda _servers: demo_models())
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.picker.model_ids() != [], timeout=3000)
    widget.set_table(SEATS, "roundtable", 3)
    widget.set_question("Which database?")
    yield widget
    qtbot.waitUntil(lambda: pending_jobs() == 0, timeout=3000)


def choose(panel: SetupPanel, protocol: str) -> None:
    panel.protocol_combo.setCurrentIndex(panel.protocol_combo.findData(protocol))


# ------------------------------------------------------------------ setup: roles, a person
def test_role_pickers_follow_the_protocol_and_reach_the_spec(panel):
    choose(panel, "council")
    roles = panel.roles
    assert roles.chair_label.text().replace("&", "") == "Chair:"
    assert roles.chair_combo.isVisibleTo(panel)
    assert roles.chair_combo.findData("elected") >= 0  # the peer ranking may elect it
    roles.chair_combo.setCurrentIndex(roles.chair_combo.findText("Grace"))
    roles.judge_combo.setCurrentIndex(roles.judge_combo.findText("Linus"))
    spec = panel.spec()
    assert (spec.chair, spec.judge) == ("grace", "linus")

    choose(panel, "mixture")
    assert roles.chair_label.text().replace("&", "") == "Aggregator:"
    assert roles.chair_combo.findData("elected") < 0
    assert panel.spec().chair == "grace"  # the pick survives a change of protocol

    choose(panel, "moderated")
    assert roles.chair_label.text().replace("&", "") == "Judge:"
    assert roles.sides_label.text() == "Affirmative: Ada · Negative: Grace"
    assert not roles.judge_combo.isVisibleTo(panel)  # the moderator judges there
    assert panel.spec().judge is None

    choose(panel, "vote")
    assert not roles.isVisibleTo(panel)
    assert (panel.spec().chair, panel.spec().judge) == (None, None)


def test_a_seat_for_you_is_a_person_named_you(panel, qtbot):
    panel.set_table([Seat(id="", name="Ada", model="demo/ada")], "roundtable", 3)
    panel.table.you_button.click()
    seat = panel.seat_model.seats()[-1]
    assert (seat.name, seat.model, seat.is_human) == ("You", "human", True)
    # A person needs no key (the key check runs on a worker: wait for its answer).
    qtbot.waitUntil(lambda: panel.problems() == [], timeout=5_000)


# ------------------------------------------------------------------ what the protocols record
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
    section = view.transcript._sections[1]
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


# ------------------------------------------------------------------ the engine client
def test_client_builds_the_human_fork_and_followup_commands(qtbot):
    client = EngineClient(command=["unused"])
    sent: list[dict] = []
    client._send = sent.append  # type: ignore[method-assign]
    with qtbot.waitSignal(client.human_turn_requested) as asked:
        request = {"debate_id": "d", "round": 1, "seat_id": "you", "prompt": "Q?"}
        client._handle_line(json.dumps({"human_turn_requested": request}).encode())
    assert asked.args == [request]
    client.send_human_turn("d", 1, "you", "It is 5.\nFinal answer: 5")
    client.send_human_turn("d", 2, "you", "pass")
    new = Seat(id="ollie", name="Ollie", model="demo/ollie")
    fork_id = client.fork_debate("d", 2, add_seats=[new], drop_seats=["linus"])
    follow_id = client.followup("d", "And in euros?")
    assert sent[0] == {
        "cmd": "human_turn",
        "debate_id": "d",
        "round": 1,
        "seat_id": "you",
        "text": "It is 5.\nFinal answer: 5",
        "pass": False,
    }
    assert (sent[1]["text"], sent[1]["pass"]) == ("", True)
    assert sent[2]["cmd"] == "fork"
    assert sent[2]["debate_id"] == fork_id
    assert (sent[2]["parent_id"], sent[2]["from_round"], sent[2]["drop_seats"]) == (
        "d",
        2,
        ["linus"],
    )
    assert sent[2]["add_seats"][0]["model"] == "demo/ollie"
    assert sent[3] == {
        "cmd": "followup",
        "debate_id": follow_id,
        "parent_id": "d",
        "question": "And in euros?",
    }
    assert set(client.running_debates) == {fork_id, follow_id}


# ------------------------------------------------------------------ the window
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
        {
            "debate_id": "live-1",
            "round": 0,
            "seat_id": "you",
            "seat_name": "You",
            "prompt": "**Q?**",
        }
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
    fork_button = transcript._sections[0].fork_button
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
