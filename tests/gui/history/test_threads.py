"""Forks and follow-ups sit under their parent in the history, indented, and say what
they are; threads are ordered by their newest debate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from roundtable.domain import DebateSpec, DebateStarted, DebateStatus, Seat
from roundtable.gui.history.model import DepthRole, HistoryModel
from roundtable.gui.history.panel import HistoryPanel
from roundtable.gui.history.summary_text import meta_text
from roundtable.gui.history.threads import threaded
from roundtable.storage import Recorder, open_database
from roundtable.storage.records import DebateSummary

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def summary(
    debate_id: str, minute: int, parent: str | None = None, fork_round: int | None = None
) -> DebateSummary:
    return DebateSummary(
        id=debate_id,
        title="",
        question=f"Question {debate_id}?",
        protocol="roundtable",
        status=DebateStatus.FINISHED,
        created_at=T0 + timedelta(minutes=minute),
        finished_at=None,
        seat_count=2,
        rounds_done=2,
        consensus=True,
        final_answer="42",
        total_tokens=100,
        cost_usd=0.0,
        parent_id=parent,
        forked_from_round=fork_round,
    )


def shape(rows: list[tuple[DebateSummary, int]]) -> list[tuple[str, int]]:
    return [(row.id, depth) for row, depth in rows]


def test_children_follow_their_parent_in_the_order_they_were_asked():
    newest_first = [
        summary("other", 50),
        summary("follow-2", 40, parent="root"),
        summary("fork", 30, parent="root", fork_round=1),
        summary("follow-of-fork", 35, parent="fork"),
        summary("old", 5),
        summary("root", 10),
    ]
    assert shape(threaded(newest_first)) == [
        ("other", 0),
        ("root", 0),
        ("fork", 1),
        ("follow-of-fork", 2),
        ("follow-2", 1),
        ("old", 0),
    ]


def test_a_thread_moves_up_with_its_newest_debate():
    rows = threaded([summary("follow", 60, parent="root"), summary("b", 20), summary("root", 10)])
    assert shape(rows) == [("root", 0), ("follow", 1), ("b", 0)]


def test_a_child_whose_parent_is_not_listed_starts_its_own_thread():
    rows = threaded([summary("orphan", 30, parent="deleted"), summary("a", 20)])
    assert shape(rows) == [("orphan", 0), ("a", 0)]


def test_a_parent_loop_loses_no_debate():
    rows = threaded([summary("x", 2, parent="y"), summary("y", 1, parent="x")])
    assert sorted(row.id for row, _depth in rows) == ["x", "y"]


def test_a_row_says_whether_it_is_a_fork_or_a_follow_up():
    assert meta_text(summary("f", 1, parent="p", fork_round=1)).startswith("fork at round 1 · ")
    assert meta_text(summary("u", 1, parent="p")).startswith("follow-up · ")
    assert meta_text(summary("p", 1)).startswith("2 seats")


def _started(debate_id: str, minute: int, **links: object) -> DebateStarted:
    spec = DebateSpec(
        question=f"Question {debate_id}?",
        seats=(Seat(id="a", name="Ada", model="demo/ada"), Seat(id="b", name="Bo", model="demo/b")),
    )
    return DebateStarted(
        debate_id=debate_id, seq=0, at=T0 + timedelta(minutes=minute), spec=spec, **links
    )


def test_the_history_list_shows_a_fork_indented_under_its_parent(qtbot, tmp_path, qtmodeltester):
    database = open_database(tmp_path / "threads.db")
    recorder = Recorder(database)
    for event in (
        _started("parent", 0),
        _started("unrelated", 5),
        _started("the-fork", 10, parent_id="parent", relation="fork", forked_from_round=1),
    ):
        recorder(event)
    recorder.close()
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 500)
    panel.set_database(database)
    panel.show()
    model = panel.model
    assert [model.summary(row).id for row in range(3)] == ["parent", "the-fork", "unrelated"]
    assert [model.index(row, 0).data(DepthRole) for row in range(3)] == [0, 1, 0]
    list_view = panel.list
    parent_rect = list_view.visualRect(model.index(0, 0))
    fork_rect = list_view.visualRect(model.index(1, 0))
    assert fork_rect.top() == parent_rect.bottom() + 1, "right under its parent"
    qtmodeltester.check(model, force_py=True)
    check = HistoryModel()
    check.set_database(database)
    assert check.rowCount() == 3
    database.close()
