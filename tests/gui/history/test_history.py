"""The history sidebar: listing, searching, renaming, deleting and opening stored debates.

Renames and deletes are done by the real engine process, the database's only writer:
the sidebar asks, and changes when the engine confirms."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from roundtable import storage
from roundtable.domain import (
    Answer,
    AnswerKind,
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    StorageError,
    TurnFinished,
    TurnStarted,
    Usage,
)
from roundtable.gui.history.model import BadgeRole, HistoryModel, IdRole, SnippetRole
from roundtable.gui.history.panel import HistoryPanel
from roundtable.gui.history.summary_text import cost_text, relative_date
from roundtable.gui.live.engine_client import EngineClient
from roundtable.storage import Database, Recorder, list_debates, load_debate, open_database

SEATS = (
    Seat(id="ada", name="Ada", model="demo/ada"),
    Seat(id="basil", name="Basil", model="demo/basil"),
)
NOW = datetime.now(UTC).replace(microsecond=0)


def debate_events(
    debate_id: str,
    question: str,
    *,
    minutes_ago: float,
    ending: str = "agreed",
    said: str = "I reckon the answer is plain.",
    cost: float | None = 0.0012,
) -> list[Event]:
    """One round of two seats, then the given ending ("agreed", "split", "cancelled",
    "failed", "interrupted", or "running" for none)."""
    start = NOW - timedelta(minutes=minutes_ago)
    events: list[Event] = []

    def add(cls: type[Any], **fields: Any) -> None:
        at = start + timedelta(seconds=len(events))
        events.append(cls(debate_id=debate_id, seq=len(events), at=at, **fields))

    usage = Usage(prompt_tokens=80, completion_tokens=40, cost_usd=cost, latency_s=1.0)
    answer = Answer(raw="42", value="42", display="42", kind=AnswerKind.NUMBER, confidence=0.9)
    add(DebateStarted, spec=DebateSpec(question=question, seats=SEATS, max_rounds=1))
    if ending == "cancelled-at-once":
        add(DebateCancelled)
        return events
    add(RoundStarted, round=0, seat_ids=("ada", "basil"))
    for seat in SEATS:
        add(TurnStarted, round=0, seat_id=seat.id)
    for seat in SEATS:
        text = f"{seat.name}: {said}\nFinal answer: 42"
        add(TurnFinished, round=0, seat_id=seat.id, text=text, answer=answer, usage=usage)
    add(RoundFinished, round=0, tally={"42": 1.8}, agreement=1.0, leader="42")
    total = usage + usage
    if ending == "agreed":
        add(ConsensusReached, round=0, answer="42", value="42")
        add(
            DebateFinished,
            final_answer="42",
            consensus=True,
            rule="vote",
            tally={},
            usage=total,
            rounds=1,
        )
    elif ending == "split":
        add(
            DebateFinished,
            final_answer="42",
            consensus=False,
            rule="vote",
            tally={},
            usage=total,
            rounds=1,
        )
    elif ending == "cancelled":
        add(DebateCancelled)
    elif ending == "failed":
        add(DebateFailed, error_kind="auth", message="every seat's key was refused")
    elif ending == "interrupted":
        add(DebateInterrupted, reason="Roundtable stopped while this debate was running")
    return events


def record(db: Database, *debates: list[Event]) -> None:
    recorder = Recorder(db)
    for events in debates:
        for event in events:
            recorder(event)
    recorder.close()


@pytest.fixture
def db(tmp_path) -> Iterator[Database]:
    database = open_database(tmp_path / "history.db")
    yield database
    database.close()


@pytest.fixture(scope="module")
def stocked_file(tmp_path_factory) -> Path:
    """Three debates recorded once per module; each test gets its own copy."""
    path = tmp_path_factory.mktemp("history") / "stocked.db"
    db = open_database(path)
    record(
        db,
        debate_events(
            "d-old", "What is the capital of Australia?", minutes_ago=3000, ending="split"
        ),
        debate_events(
            "d-mid",
            "Is a hot dog a sandwich?",
            minutes_ago=90,
            ending="cancelled",
            said="Bread on two sides with a filling; a taxonomy of sandwiches says yes.",
        ),
        debate_events("d-new", "How many moons does Mars have?", minutes_ago=5, cost=None),
    )
    db.close()
    return path


@pytest.fixture
def stocked(tmp_path, stocked_file) -> Iterator[Database]:
    for suffix in ("", "-wal", "-shm"):
        source = stocked_file.with_name(stocked_file.name + suffix)
        if source.exists():
            shutil.copy(source, tmp_path / f"stocked.db{suffix}")
    database = open_database(tmp_path / "stocked.db")
    yield database
    database.close()


@pytest.fixture
def panel(qtbot, stocked) -> HistoryPanel:
    widget = HistoryPanel()
    qtbot.addWidget(widget)
    widget.resize(340, 600)
    widget.set_database(stocked)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def titles(panel: HistoryPanel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def ids(panel: HistoryPanel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data(IdRole) for row in range(model.rowCount())]


def search(qtbot, panel: HistoryPanel, text: str) -> None:
    """Type `text` as a person would and wait until its results are on screen."""
    panel.search_box.clear()
    with qtbot.waitSignal(panel.searched, timeout=3000, check_params_cb=lambda t: t == text):
        qtbot.keyClicks(panel.search_box, text)


def test_lists_stored_debates_newest_first_with_their_outcome(panel):
    assert titles(panel) == [
        "How many moons does Mars have?",
        "Is a hot dog a sandwich?",
        "What is the capital of Australia?",
    ]
    badges = [panel.model.index(r, 0).data(BadgeRole) for r in range(3)]
    assert [words for words, _ in badges] == ["✓ agreed", "cancelled", "~ no consensus"]
    assert panel.pages.currentWidget() is panel.list
    # Every row paints (offscreen) at a height that fits its four lines.
    assert panel.list.sizeHintForRow(0) > 3 * panel.fontMetrics().height()
    assert not panel.grab().isNull()


def test_an_empty_history_says_how_to_start(qtbot, db):
    widget = HistoryPanel()
    qtbot.addWidget(widget)
    widget.set_database(db)
    assert widget.pages.currentWidget() is widget.empty_label
    assert widget.empty_label.text() == "No debates yet — start one with Ctrl+Enter"


def test_search_finds_a_word_of_the_question_with_it_marked(qtbot, panel):
    search(qtbot, panel, "moons")
    assert ids(panel) == ["d-new"]
    snippet = panel.model.index(0, 0).data(SnippetRole)
    assert ("moons", True) in snippet


def test_search_finds_a_word_said_only_in_a_turn(qtbot, panel):
    search(qtbot, panel, "taxonomy")
    assert ids(panel) == ["d-mid"]
    marked = [text for text, matched in panel.model.index(0, 0).data(SnippetRole) if matched]
    assert marked == ["taxonomy"]
    assert not panel.grab().isNull()  # the highlighted snippet paints


def test_search_waits_for_the_typist_then_queries_once(qtbot, panel, monkeypatch):
    calls: list[str] = []
    real = storage.search_debates  # history_search imports it when a search runs

    def counting(db, text, **kwargs):
        calls.append(text)
        return real(db, text, **kwargs)

    monkeypatch.setattr(storage, "search_debates", counting)
    search(qtbot, panel, "sandwich")
    assert calls == ["sandwich"]
    assert ids(panel) == ["d-mid"]


def test_enter_in_the_search_box_goes_to_the_first_result(qtbot, panel):
    panel.show()
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.focus_search()
    with qtbot.waitSignal(panel.searched, timeout=3000):
        qtbot.keyClicks(panel.search_box, "sandwich")
        qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)  # before the debounce ends
    qtbot.waitUntil(panel.list.hasFocus, timeout=2000)
    assert panel.current_debate_id() == "d-mid"
    with qtbot.waitSignal(panel.debate_open_requested) as opened:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened.args == ["d-mid"]


def test_a_failing_search_says_why(qtbot, panel, monkeypatch):
    def broken(db, text, **kwargs):
        raise StorageError("cannot search the database x.db: disk I/O error")

    monkeypatch.setattr(storage, "search_debates", broken)
    search(qtbot, panel, "moons")
    assert panel.pages.currentWidget() is panel.empty_label
    assert "disk I/O error" in panel.empty_label.text()


def test_no_match_is_said_and_clearing_brings_the_list_back(qtbot, panel):
    search(qtbot, panel, "zebra")
    assert panel.pages.currentWidget() is panel.empty_label
    assert panel.empty_label.text() == "No debates match “zebra”"
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=2000)
    assert panel.pages.currentWidget() is panel.list


def test_enter_and_a_click_open_the_debate(qtbot, panel):
    panel.select_debate("d-mid")
    with qtbot.waitSignal(panel.debate_open_requested) as opened:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened.args == ["d-mid"]
    rect = panel.list.visualRect(panel.model.index(2, 0))
    with qtbot.waitSignal(panel.debate_open_requested) as clicked:
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == ["d-old"]


def test_arrow_keys_move_the_selection_without_opening(qtbot, panel):
    opened: list[str] = []
    panel.debate_open_requested.connect(opened.append)
    panel.select_debate("d-new")
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.current_debate_id() == "d-mid"
    assert opened == []


@pytest.fixture(scope="module")
def engine_file(tmp_path_factory, stocked_file) -> Path:
    """The stocked debates, in a file the engine below writes."""
    folder = tmp_path_factory.mktemp("engine-history")
    for suffix in ("", "-wal", "-shm"):
        source = stocked_file.with_name(stocked_file.name + suffix)
        if source.exists():
            shutil.copy(source, folder / f"engine.db{suffix}")
    return folder / "engine.db"


@pytest.fixture(scope="module")
def engine(qapp, tmp_path_factory, engine_file) -> Iterator[EngineClient]:
    """One real engine process for the module (its start-up imports litellm: seconds)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("ROUNDTABLE_DATA_DIR", str(tmp_path_factory.mktemp("engine-data")))
    client = EngineClient(engine_file)
    client.start()
    yield client
    client.shutdown()
    mp.undo()


@pytest.fixture
def engine_panel(qtbot, engine, engine_file) -> Iterator[HistoryPanel]:
    """The sidebar reading the engine's database, its edits sent to the engine."""
    database = open_database(engine_file)
    widget = HistoryPanel()
    qtbot.addWidget(widget)
    widget.resize(340, 600)
    widget.set_database(database)
    widget.connect_writer(engine)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: engine.is_ready, timeout=ENGINE_READY_MS)
    yield widget
    database.close()


ENGINE_READY_MS = 60_000
ENGINE_REPLY_MS = 10_000


def rename_in_place(qtbot, panel: HistoryPanel, debate_id: str, title: str) -> None:
    panel.select_debate(debate_id)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    editor = panel.list.findChild(QLineEdit)
    assert editor is not None
    editor.setText(title)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_rename_is_asked_for_not_written_by_the_sidebar(qtbot, panel, stocked):
    with qtbot.waitSignal(panel.rename_requested) as asked:
        rename_in_place(qtbot, panel, "d-old", "Canberra, surely")
    assert asked.args == ["d-old", "Canberra, surely"]
    # Nothing changes until the engine says it stored the title.
    assert titles(panel)[2] == "What is the capital of Australia?"
    assert load_debate(stocked, "d-old").summary.title == "What is the capital of Australia?"


@pytest.mark.slow
def test_f2_renames_in_place_and_the_engine_stores_the_title(qtbot, engine_panel):
    panel = engine_panel
    with qtbot.waitSignal(panel.debate_renamed, timeout=ENGINE_REPLY_MS) as renamed:
        rename_in_place(qtbot, panel, "d-old", "  Canberra,   surely ")
    assert renamed.args == ["d-old", "Canberra, surely"]  # as the engine stored it
    assert titles(panel)[2] == "Canberra, surely"
    assert load_debate(panel.model.database, "d-old").summary.title == "Canberra, surely"
    panel.refresh()
    assert titles(panel)[2] == "Canberra, surely"


@pytest.mark.slow
def test_delete_asks_naming_the_debate_and_the_engine_removes_it(qtbot, engine_panel, monkeypatch):
    panel = engine_panel
    asked: list[str] = []

    def confirm(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    panel.select_debate("d-mid")
    with qtbot.waitSignal(panel.debate_deleted, timeout=ENGINE_REPLY_MS) as deleted:
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert deleted.args == ["d-mid"]
    assert "“Is a hot dog a sandwich?”" in asked[0]
    assert "cannot be undone" in asked[0]
    assert "d-mid" not in ids(panel)
    assert "d-mid" not in [s.id for s in list_debates(panel.model.database)]
    assert panel.current_debate_id() == "d-old"  # the selection moves to the neighbour


@pytest.mark.slow
def test_a_delete_the_engine_refuses_is_explained_and_the_list_read_again(
    qtbot, engine_panel, monkeypatch
):
    panel = engine_panel
    db = panel.model.database
    record(db, debate_events("d-gone", "Is it still there?", minutes_ago=0))
    panel.refresh()
    assert ids(panel)[0] == "d-gone"
    storage.delete_debate(db, "d-gone")  # as another Roundtable process might
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    panel.select_debate("d-gone")
    # The refusal is followed by a fresh read of the list (a model reset).
    with qtbot.waitSignal(panel.model.modelReset, timeout=ENGINE_REPLY_MS):
        qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert warned == ["no debate with id 'd-gone'"]
    assert "d-gone" not in ids(panel)


def test_declining_the_confirmation_keeps_the_debate(qtbot, panel, stocked, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    requested: list[str] = []
    panel.delete_requested.connect(requested.append)
    panel.select_debate("d-new")
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert requested == []
    assert len(list_debates(stocked)) == 3
    assert ids(panel)[0] == "d-new"


def test_context_menu_offers_open_rename_rerun_delete(qtbot, panel):
    menu = panel.list.context_menu(panel.model.index(1, 0))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Open", "Rename…", "Re-run with the same table", "Delete…"]
    rerun = next(a for a in menu.actions() if a.text().startswith("Re-run"))
    with qtbot.waitSignal(panel.rerun_requested) as requested:
        rerun.trigger()
    assert requested.args == ["d-mid"]


def test_a_running_debate_shows_running_and_cannot_be_renamed_or_deleted(qtbot, db):
    record(db, debate_events("d-run", "Will it rain?", minutes_ago=1, ending="running"))
    widget = HistoryPanel()
    qtbot.addWidget(widget)
    widget.set_database(db)
    index = widget.model.index(0, 0)
    assert index.data(BadgeRole) == ("running…", "running")
    enabled = {a.text(): a.isEnabled() for a in widget.list.context_menu(index).actions()}
    assert enabled["Rename…"] is False
    assert enabled["Delete…"] is False
    assert enabled["Open"] is True


def test_refresh_keeps_the_selection_when_a_new_debate_arrives(qtbot, panel, stocked):
    panel.select_debate("d-mid")
    record(stocked, debate_events("d-newest", "Tea or coffee?", minutes_ago=0))
    panel.refresh()
    assert ids(panel)[0] == "d-newest"
    assert panel.current_debate_id() == "d-mid"


def test_scrolling_to_the_end_pages_in_older_debates(qtbot, db):
    many = [
        debate_events(
            f"d-{n:03}", f"Question number {n}", minutes_ago=n, ending="cancelled-at-once"
        )
        for n in range(60)
    ]
    record(db, *many)
    widget = HistoryPanel()
    qtbot.addWidget(widget)
    widget.resize(340, 500)
    widget.set_database(db)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.model.rowCount() == 50
    assert ids(widget)[-1] == "d-049"
    widget.list.scrollToBottom()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 60, timeout=2000)
    assert ids(widget)[50:] == [f"d-{n:03}" for n in range(50, 60)]
    assert not widget.model.canFetchMore()
    # An older debate not yet paged in can still be selected by id.
    widget.model.load_newest()
    assert widget.model.rowCount() == 50
    assert widget.select_debate("d-055")
    assert widget.current_debate_id() == "d-055"


def test_the_model_passes_qt_model_checks(qtmodeltester, stocked):
    model = HistoryModel()
    model.set_database(stocked)
    qtmodeltester.check(model, force_py=True)


def test_the_search_model_passes_qt_model_checks(qtmodeltester, qtbot, panel):
    search(qtbot, panel, "sandwich")
    qtmodeltester.check(panel.model, force_py=True)


def test_dates_costs_read_as_a_person_would_say_them():
    now = datetime(2026, 6, 10, 15, 0).astimezone()
    assert relative_date(now.replace(hour=14, minute=2), now) == "today 14:02"
    assert relative_date(now - timedelta(days=1), now).startswith("yesterday ")
    assert relative_date(datetime(2026, 3, 3, 9, 0).astimezone(), now) == "3 Mar"
    assert relative_date(datetime(2024, 3, 3, 9, 0).astimezone(), now) == "3 Mar 2024"
    assert cost_text(None) == "cost unknown"
    assert cost_text(0.0) == "free"
    assert cost_text(0.0042) == "$0.0042"
    assert cost_text(12.5) == "$12.50"
