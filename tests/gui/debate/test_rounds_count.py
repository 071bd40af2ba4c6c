"""A stopped debate counts its rounds the same in the status line, the outcome and the
history: the rounds the table finished, and the round the stop cut short."""

from __future__ import annotations

from roundtable.domain import DebateCancelled, TurnDelta
from roundtable.gui.debate.view import DebateView
from roundtable.storage import load_debate, open_database
from tests.helpers.debates import bat_and_ball_debate
from tests.helpers.events import record


def test_a_cancelled_debate_counts_its_rounds_as_the_history_does(qtbot, tmp_path):
    events = bat_and_ball_debate()
    round_two = next(i for i, e in enumerate(events) if isinstance(e, TurnDelta) and e.round == 1)
    stopped = [
        *events[: round_two + 2],
        DebateCancelled(debate_id=events[0].debate_id, seq=events[round_two + 1].seq + 1),
    ]
    view = DebateView()
    qtbot.addWidget(view)
    view.apply_all(stopped)

    database = open_database(tmp_path / "rounds.db")
    try:
        record(database, stopped)
        rounds_done = load_debate(database, events[0].debate_id).summary.rounds_done
    finally:
        database.close()

    assert rounds_done == 1
    status = view.status_label.text()
    assert status.startswith("Cancelled · 1 round (round 2 cut short)")
    assert "2 rounds" not in status
    assert "1 round (round 2 cut short)" in view.transcript.outcome.totals.text()
