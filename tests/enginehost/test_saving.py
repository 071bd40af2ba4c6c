"""The app's engine process records as the terminal does: a failed save stops the
debate cleanly, says what is kept and how to continue, and stores nothing after it."""

from __future__ import annotations

import asyncio
import io

import pytest

from roundtable import wire
from roundtable.domain import DebateInterrupted, DebateSpec, DebateStatus, Seat
from roundtable.enginehost import EngineHost
from roundtable.storage import db as db_module
from roundtable.storage import load_debate, open_database
from tests.engine.scripted import ScriptedGateway, answer_text, reply

SEATS = (Seat("ada", "Ada", "demo/ada"), Seat("basil", "Basil", "demo/basil"))


async def test_a_full_disk_stops_the_debate_and_says_how_to_resume_it(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "t.db")
    with open_database(db) as database, database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    original = db_module._configure_sqlite

    def capped(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        original(dbapi_connection, record)
        # SQLite's own "database or disk is full" once the file would grow.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    monkeypatch.setattr(db_module, "_configure_sqlite", capped)
    out = io.StringIO()
    host = EngineHost(db, out)

    gateway = ScriptedGateway()
    long_text = answer_text("281", 0.9, "A long working. " * 2_000)
    for seat in SEATS:
        gateway.enqueue(seat.id, reply(long_text))
    spec = DebateSpec(question="What is 12+17*23+4-9*14?", seats=SEATS, max_rounds=2)
    host._launch("d1", spec, gateway=gateway)
    # The debate's task ends with the StorageError; the host answers the GUI for it.
    await asyncio.gather(host._tasks["d1"], return_exceptions=True)
    await asyncio.sleep(0)
    replies = [wire.decode_reply(line) for line in out.getvalue().splitlines()]
    failures = [r for r in replies if isinstance(r, wire.CommandFailed)]
    assert len(failures) == 1
    assert failures[0].debate_id == "d1"
    assert failures[0].message.startswith("The debate stopped: ")
    assert "roundtable resume d1" in failures[0].message
    # The window's view ends in place, as interrupted, before it hears why.
    ends = [
        i
        for i, r in enumerate(replies)
        if isinstance(r, wire.EventNotice) and isinstance(r.event, DebateInterrupted)
    ]
    assert len(ends) == 1
    assert ends[0] < replies.index(failures[0])
    assert "The debate stopped" in replies[ends[0]].event.reason  # type: ignore[union-attr]
    await host.stop_all()
    monkeypatch.setattr(db_module, "_configure_sqlite", original)
    with open_database(db) as database:  # what was saved before the failure is kept
        stored = load_debate(database, "d1")
    # Ended at once (resumable now), not left running until the engine's next start.
    assert stored.summary.status is DebateStatus.INTERRUPTED
    assert stored.turns
