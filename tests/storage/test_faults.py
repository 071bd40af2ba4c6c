"""Database faults: a damaged file, a file from a newer Roundtable, migrations, a full disk.

Each test damages a real SQLite file the way the world does (garbage written over it,
a newer schema, no space left) and checks what a person would see: a clear message,
their old data still somewhere they are told about, and a database that is consistent.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from roundtable.domain import StorageError, TurnFinished, TurnStatus
from roundtable.storage import Database, Recorder, list_debates, load_debate, open_database
from roundtable.storage import db as db_module
from roundtable.storage.backup import BACKUPS_KEPT, back_up, backups_of, is_corruption
from tests.helpers.debates import finished_debate
from tests.helpers.events import record, usage, without_deltas
from tests.helpers.schema import ship_next_revision

PAGE = 4096


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored_with(path: Path, *ids: str) -> Path:
    """A closed database at `path` holding one finished debate per id."""
    with open_database(path) as database:
        for debate_id in ids:
            record(database, finished_debate(debate_id))
    return path


# ---------------------------------------------------------------- damaged files
def test_garbage_over_a_database_moves_it_aside_and_a_fresh_one_starts(tmp_path):
    path = tmp_path / "roundtable.db"
    garbage = random.Random(1).randbytes(64 * 1024)
    path.write_bytes(garbage)

    with open_database(path) as database:
        moved = database.moved_aside
        assert moved is not None
        # Never deleted: the very same bytes, beside the original, with a timestamp.
        assert moved.moved_to.parent == tmp_path
        assert moved.moved_to.name.startswith("roundtable.corrupt-")
        assert moved.moved_to.read_bytes() == garbage
        message = moved.message()
        assert str(path) in message
        assert str(moved.moved_to) in message
        assert "does not start like an SQLite database" in message
        # The app goes on with an empty, working store in the usual place.
        assert list_debates(database) == []
        record(database, finished_debate("after-recovery"))
        assert [s.id for s in list_debates(database)] == ["after-recovery"]
    assert integrity(path) == "ok"


def test_a_database_damaged_in_the_middle_is_noticed_at_open(tmp_path):
    path = stored_with(tmp_path / "roundtable.db", "debate-one", "debate-two", "debate-three")
    size = path.stat().st_size
    assert size > 6 * PAGE
    # Page 1 (the header and schema) survives; the tables' pages do not.
    with path.open("r+b") as file:
        file.seek(2 * PAGE)
        file.write(random.Random(2).randbytes(size - 3 * PAGE))
    damaged = digest(path)

    with open_database(path) as database:
        assert database.moved_aside is not None
        assert digest(database.moved_aside.moved_to) == damaged
        assert list_debates(database) == []


def test_a_damaged_file_keeps_its_write_ahead_log_beside_it(tmp_path):
    path = tmp_path / "roundtable.db"
    path.write_bytes(b"not SQLite at all " * 1000)
    wal = tmp_path / "roundtable.db-wal"
    wal.write_bytes(b"the log that belongs to the damaged file")

    with open_database(path) as database:
        moved = database.moved_aside
        assert moved is not None
        # SQLite finds a database's log by its name: the log moved with its file.
        moved_wal = moved.moved_to.with_name(moved.moved_to.name + "-wal")
        assert moved_wal.read_bytes() == b"the log that belongs to the damaged file"


def test_a_healthy_database_is_never_moved(tmp_path):
    path = stored_with(tmp_path / "roundtable.db", "kept")
    with open_database(path) as database:
        assert database.moved_aside is None
        assert [s.id for s in list_debates(database)] == ["kept"]
    assert sorted(p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name) == []


def test_busy_and_locked_are_not_taken_for_damage(tmp_path):
    # Rollback-journal mode, so an exclusive lock really keeps a reader out.
    path = tmp_path / "plain.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    reader = sqlite3.connect(path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as locked:
            reader.execute("SELECT * FROM t").fetchall()
    finally:
        reader.close()
        holder.rollback()
        holder.close()
    assert not is_corruption(locked.value)

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"x" * 4096)
    with pytest.raises(sqlite3.DatabaseError) as notadb:
        sqlite3.connect(junk).execute("SELECT * FROM sqlite_master").fetchall()
    assert is_corruption(notadb.value)


def test_the_cli_says_where_the_damaged_file_went(tmp_path):
    from typer.testing import CliRunner

    from roundtable.cli import app

    path = tmp_path / "t.db"
    path.write_bytes(b"\x00garbage" * 2000)
    result = CliRunner().invoke(app, ["list", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "No debates stored yet" in result.stdout
    (moved,) = tmp_path.glob("t.corrupt-*.db")
    # Rich may wrap a long line: compare without the line breaks.
    said = "".join(result.stderr.split())
    assert "".join(str(moved).split()) in said
    assert "nothingwasdeleted" in said


# ---------------------------------------------------------------- a newer Roundtable
def test_a_database_from_a_newer_roundtable_is_refused_and_left_byte_for_byte(tmp_path):
    path = stored_with(tmp_path / "future.db", "from-the-future")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    before = digest(path)

    with pytest.raises(StorageError) as refused:
        open_database(path)
    message = str(refused.value)
    assert "newer version of Roundtable" in message
    assert "0099" in message
    assert "upgrade Roundtable" in message
    assert "--db" in message
    assert digest(path) == before  # never downgraded, never written
    assert backups_of(path) == []
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_the_cli_refuses_a_newer_database_with_exit_2(tmp_path):
    from typer.testing import CliRunner

    from roundtable.cli import app

    path = stored_with(tmp_path / "future.db", "from-the-future")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    result = CliRunner().invoke(app, ["list", "--db", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "newer version of Roundtable" in "".join(result.stderr.split("\n"))


# ---------------------------------------------------------------- backups before migrations
def test_a_backup_is_taken_before_a_migration_changes_a_database(tmp_path, monkeypatch):
    path = stored_with(tmp_path / "data" / "roundtable.db", "precious")
    before = digest(path)
    newer_schema = ship_next_revision(tmp_path, monkeypatch)

    with open_database(path) as database:
        backup = database.backup
        assert backup is not None
        assert backup.parent == path.parent
        assert backup.name.startswith(f"roundtable.backup-{newer_schema}-")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                "0099"
            )
        assert [s.id for s in list_debates(database)] == ["precious"]
    # The copy is the database as it was: the old schema and every debate.
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (newer_schema,)
        assert copy.execute("SELECT id FROM debates").fetchall() == [("precious",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()
    assert digest(path) != before


def test_no_backup_for_a_new_database_or_one_already_up_to_date(tmp_path, monkeypatch):
    ship_next_revision(tmp_path, monkeypatch)
    path = tmp_path / "new.db"
    notices: list[str] = []
    with open_database(path, on_upgrade=notices.append) as database:
        assert database.backup is None  # nothing to lose in a brand-new file
    with open_database(path, on_upgrade=notices.append) as database:
        assert database.backup is None  # at head: no migration, no copy
    assert backups_of(path) == []
    assert notices == []  # nothing to wait for, nothing said


def test_whoever_waits_for_an_upgrade_is_told_before_it_starts(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from roundtable.cli import app

    path = stored_with(tmp_path / "data" / "roundtable.db", "precious")
    ship_next_revision(tmp_path, monkeypatch)
    told_at_version: list[str] = []

    def told(notice: str) -> None:  # the schema as it is when the person is told
        probe = sqlite3.connect(path)
        try:
            told_at_version.append(
                probe.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            )
        finally:
            probe.close()
        assert "this happens once" in notice

    with open_database(path, on_upgrade=told) as database:
        assert database.backup is not None
    assert len(told_at_version) == 1
    assert told_at_version[0] != "0099"  # told before the upgrade started

    # The command line says so on stderr, then where the old file is kept.
    older = tmp_path / "older" / "roundtable.db"
    older.parent.mkdir()
    shutil.copy(backups_of(path)[0], older)  # a database of the release before
    result = CliRunner().invoke(app, ["list", "--db", str(older)], catch_exceptions=False)
    assert result.exit_code == 0
    said = " ".join(result.stderr.split())
    assert said.index("Upgrading the database") < said.index("Upgraded the database")


def test_only_the_last_few_backups_are_kept(tmp_path):
    path = stored_with(tmp_path / "roundtable.db", "kept")
    start = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    made = [back_up(path, label="0001", now=start + timedelta(days=day)) for day in range(5)]
    kept = backups_of(path)
    assert len(kept) == BACKUPS_KEPT
    assert kept == made[-BACKUPS_KEPT:]  # the newest survive, the oldest go
    assert path.exists()  # the database itself is never one of them


# ---------------------------------------------------------------- a full disk
def limit_growth(database: Database, extra_pages: int = 0) -> None:
    """Make the database file unable to grow (SQLite's own "disk is full")."""
    with database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    database.engine.dispose()  # new connections only: each gets the limit below

    def cap(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    event.listen(database.engine, "connect", cap)


def test_a_full_disk_stops_recording_with_a_clear_error_and_loses_nothing_finished(tmp_path):
    path = tmp_path / "full.db"
    events = finished_debate("filling-up")
    cut = next(i for i, e in enumerate(events) if getattr(e, "round", None) == 1)
    database = open_database(path)
    recorder = Recorder(database)
    for event_ in events[:cut]:
        recorder(event_)  # round 0, finished and stored
    limit_growth(database)
    huge = TurnFinished(
        debate_id="filling-up",
        seq=events[cut - 1].seq + 1,
        round=0,
        seat_id="ada",
        text="A very long answer. " * 20_000,
        answer=None,
        usage=usage(1, 1, 0.0),
    )
    with pytest.raises(StorageError) as full:
        recorder(huge)
    message = str(full.value)
    assert "full" in message
    assert "free some space" in message
    assert str(path) in message
    database.close()

    assert integrity(path) == "ok"
    with open_database(path) as reopened:
        stored = load_debate(reopened, "filling-up")
        # Every turn finished before the disk filled is there, word for word.
        done = {t.seat_id: t.text for t in stored.turns if t.status is TurnStatus.DONE}
        expected = {
            e.seat_id: e.text for e in without_deltas(events[:cut]) if isinstance(e, TurnFinished)
        }
        assert done == expected
        # The failed write left nothing behind: no half a turn, no gap in the log.
        with reopened.engine.connect() as connection:
            seqs = connection.execute(
                text("SELECT seq FROM events WHERE debate_id = 'filling-up' ORDER BY seq")
            ).scalars()
            assert list(seqs) == [e.seq for e in without_deltas(events[:cut])]


def test_a_debate_that_fills_the_disk_stops_cleanly_in_the_terminal(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from roundtable.cli import app

    path = tmp_path / "t.db"
    original = db_module._configure_sqlite
    with open_database(path) as database, database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    def capped(dbapi_connection, record_) -> None:
        original(dbapi_connection, record_)
        # Room for the start of a debate, not for its turns.
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")

    monkeypatch.setattr(db_module, "_configure_sqlite", capped)
    runner = CliRunner()
    result = runner.invoke(
        app, ["run", "What is 12+17*23+4-9*14?", "--db", str(path), "--seed", "7", "--brief"]
    )
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert "The debate stopped" in said
    assert "disk is full" in said
    assert "roundtable resume" in said
    assert "internal error" not in result.output  # a full disk is not a bug
    assert result.exception is None or isinstance(result.exception, SystemExit)

    monkeypatch.setattr(db_module, "_configure_sqlite", original)
    assert integrity(path) == "ok"
    # The next start is another process: the one that recorded the debate is gone.
    monkeypatch.setattr("roundtable.storage.queries.process_alive", lambda pid: False)
    listed = runner.invoke(app, ["list", "--db", str(path)], catch_exceptions=False)
    assert listed.exit_code == 0
    assert "interrupted" in listed.stdout
    with open_database(path) as database:
        (summary,) = list_debates(database)
        assert summary.status.value == "interrupted"
