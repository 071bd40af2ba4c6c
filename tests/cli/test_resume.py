"""`roundtable resume`: an interrupted debate finished in place, on the demo table."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from roundtable.cli import app
from roundtable.domain import (
    DebateInterrupted,
    DebateSpec,
    DebateStarted,
    DebateStatus,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFinished,
    TurnStarted,
    TurnStatus,
)
from roundtable.storage import list_debates, load_debate, load_events, open_database
from tests.helpers.events import EventBuilder, answer, record, usage

QUESTION = "What is 12+17*23+4-9*14?"
SEATS = (
    Seat("ada", "Ada", "demo/ada"),
    Seat("basil", "Basil", "demo/basil"),
    Seat("cyra", "Cyra", "demo/cyra"),
)
ROUND1 = {"ada": ("281", 0.8), "basil": ("9268", 0.9), "cyra": ("271", 0.6)}
DEBATE_ID = "feedbeef" * 4


def text_of(seat_id: str) -> str:
    value, confidence = ROUND1[seat_id]
    return f"My working for {seat_id}.\n\nFinal answer: {value}\nConfidence: {confidence}"


def stopped_stream(*, interrupted: bool = True) -> EventBuilder:
    """Round 1 complete; round 2 under way when the app died (streamed text, no ends)."""
    s = EventBuilder(DEBATE_ID)
    s.add(DebateStarted, spec=DebateSpec(question=QUESTION, seats=SEATS, max_rounds=3, seed=7))
    s.add(RoundStarted, round=0, seat_ids=tuple(ROUND1))
    for seat_id in ROUND1:
        s.add(TurnStarted, round=0, seat_id=seat_id)
    for seat_id, (value, confidence) in ROUND1.items():
        s.add(
            TurnFinished,
            round=0,
            seat_id=seat_id,
            text=text_of(seat_id),
            answer=answer(value, confidence),
            usage=usage(100, 40, 0.0),
        )
    s.add(RoundFinished, round=0, tally={"9268": 0.8}, agreement=1 / 3, leader="9268")
    s.add(RoundStarted, round=1, seat_ids=tuple(ROUND1))
    for seat_id in ROUND1:
        s.add(TurnStarted, round=1, seat_id=seat_id)
        s.stream_text(1, seat_id, "Half-written thoughts that never fin")
    if interrupted:
        s.add(DebateInterrupted, reason="Roundtable stopped while this debate was running")
    return s


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "t.db")


def store(db: str, stream: EventBuilder) -> None:
    database = open_database(db)
    try:
        record(database, stream.events)
    finally:
        database.close()


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_an_interrupted_debate_resumes_in_place_and_ends_complete(db: str) -> None:
    store(db, stopped_stream())

    result = invoke("resume", DEBATE_ID[:8], "--db", db, "--brief")

    assert result.exit_code == 0, result.output
    assert "Resuming feedbeef (interrupted): round 1 kept, playing from round 2." in result.output
    database = open_database(db)
    try:
        (summary,) = list_debates(database)  # one debate, not a stopped one and a copy
        record_ = load_debate(database, DEBATE_ID)
        events = load_events(database, DEBATE_ID)
    finally:
        database.close()
    assert summary.id == DEBATE_ID
    assert summary.status is DebateStatus.FINISHED
    assert summary.final_answer is not None
    round_one = [t for t in record_.turns if t.round == 0]
    assert [(t.seat_id, t.text) for t in round_one] == [(s, text_of(s)) for s in ROUND1]
    round_two = [t for t in record_.turns if t.round == 1]
    assert {t.status for t in round_two} == {TurnStatus.DONE}
    assert all("Half-written" not in t.text for t in round_two)
    seqs = [e.seq for e in events]
    assert seqs == sorted(set(seqs))
    assert not any(isinstance(e, DebateInterrupted) for e in events)
    assert sum(isinstance(e, DebateStarted) for e in events) == 1

    exported = invoke("export", DEBATE_ID[:8], "--format", "json", "--db", db)
    assert exported.exit_code == 0
    assert json.loads(exported.stdout)


def test_a_finished_debate_is_not_resumed(db: str) -> None:
    store(db, stopped_stream())
    assert invoke("resume", DEBATE_ID[:8], "--db", db, "--json").exit_code == 0
    again = invoke("resume", DEBATE_ID[:8], "--db", db)
    assert again.exit_code == 2
    assert "already finished; use fork to continue it differently" in again.output


def test_a_debate_still_running_elsewhere_is_not_touched(db: str) -> None:
    # Recorded by this (live) test process, with no end: to every other process it is
    # a debate that is still running.
    store(db, stopped_stream(interrupted=False))
    result = invoke("resume", DEBATE_ID[:8], "--db", db)
    assert result.exit_code == 2
    assert "still running" in result.output
    database = open_database(db)
    try:
        assert load_debate(database, DEBATE_ID).summary.status is DebateStatus.RUNNING
    finally:
        database.close()


def test_an_unknown_id_exits_2_with_a_clear_message(db: str) -> None:
    store(db, stopped_stream())
    result = invoke("resume", "0123456789", "--db", db)
    assert result.exit_code == 2
    assert "no debate with id '0123456789'" in result.output
