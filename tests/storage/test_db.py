"""Opening the transcript database: location, migrations, SQLite settings, failures."""

from __future__ import annotations

import importlib.util

import alembic.command
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from roundtable.domain import StorageError
from roundtable.storage import Database, list_debates, open_database
from roundtable.storage.db import alembic_config
from roundtable.storage.rows import SEARCH_TABLE, Base
from tests.helpers.debates import finished_debate
from tests.helpers.events import record

TABLES = {"debates", "seats", "rounds", "turns", "events", "alembic_version"}


def _head() -> str:
    from alembic.script import ScriptDirectory

    (head,) = ScriptDirectory.from_config(alembic_config()).get_heads()
    return head


def test_blank_database_migrates_to_head_with_tables_and_search(tmp_path):
    db = open_database(tmp_path / "new.db")
    try:
        names = set(inspect(db.engine).get_table_names())
        assert names >= TABLES | {SEARCH_TABLE}
        assert db.has_fts
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
            create = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": SEARCH_TABLE}
            ).scalar()
            assert "fts5" in create.lower()
            assert "porter unicode61" in create
            # The migration and the ORM models describe the same schema.
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: (
                        not (kind == "table" and name.startswith(SEARCH_TABLE))
                    ),
                },
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.close()


def test_schema_head_names_the_newest_migration():
    # A database at SCHEMA_HEAD opens without Alembic: a new migration must move it.
    from roundtable.storage.db import SCHEMA_HEAD

    assert _head() == SCHEMA_HEAD


def test_second_open_is_a_no_op_and_keeps_the_data(tmp_path, monkeypatch):
    path = tmp_path / "again.db"
    with open_database(path) as db:
        record(db, finished_debate())

    def must_not_run(*args, **kwargs):
        raise AssertionError("a database at head must not be migrated again")

    monkeypatch.setattr(alembic.command, "upgrade", must_not_run)
    with open_database(path) as db:
        assert [s.final_answer for s in list_debates(db)] == ["281"]


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_with_foreign_keys(db: Database):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_a_reader_sees_committed_data_while_a_writer_holds_its_transaction(db: Database):
    record(db, finished_debate("first-debate"))
    writer = db.session(write=True)
    try:
        writer.begin()
        writer.execute(text("UPDATE debates SET title = 'being renamed'"))
        # The GUI reads while the engine writes: no wait, no lock error, old value.
        assert [s.title for s in list_debates(db)] != ["being renamed"]
        assert len(list_debates(db)) == 1
    finally:
        writer.rollback()
        writer.close()


def test_default_location_is_the_data_directory(isolated_user_dirs):
    with open_database() as db:
        assert db.location == str(isolated_user_dirs / "roundtable.db")
    assert (isolated_user_dirs / "roundtable.db").is_file()


def test_environment_variable_and_url_choose_the_file(tmp_path, monkeypatch):
    chosen = tmp_path / "deep" / "er" / "from-env.db"
    monkeypatch.setenv("ROUNDTABLE_DB", str(chosen))
    with open_database() as db:
        assert db.location == str(chosen)
    assert chosen.is_file()  # missing folders were created
    url_file = tmp_path / "from-url.db"
    with open_database(f"sqlite:///{url_file}") as db:
        assert db.location == str(url_file)
    assert url_file.is_file()


def test_in_memory_database_works_for_a_whole_session(tmp_path):
    with open_database("sqlite://") as db:
        record(db, finished_debate())
        assert len(list_debates(db)) == 1


def test_unwritable_location_names_the_path_and_the_way_out(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    target = blocker / "roundtable.db"
    with pytest.raises(StorageError) as caught:
        open_database(target)
    message = str(caught.value)
    assert str(target) in message
    assert "ROUNDTABLE_DB" in message
    assert "--db" in message


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(StorageError, match="is a folder"):
        open_database(tmp_path)


def test_a_file_that_is_not_a_database_is_moved_aside_not_lost(tmp_path):
    # Damaged-file handling in depth: tests/storage/test_faults.py.
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not SQLite" * 100)
    with open_database(junk) as db:
        assert db.moved_aside is not None
        assert str(junk) in db.moved_aside.message()
        assert db.moved_aside.moved_to.read_bytes() == b"these are my notes, not SQLite" * 100


def test_a_database_from_a_newer_roundtable_is_not_touched(tmp_path):
    path = tmp_path / "future.db"
    with open_database(path) as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="newer version of Roundtable"):
        open_database(path)


def test_a_bad_url_is_a_storage_error(tmp_path):
    with pytest.raises(StorageError, match="nosuchdb"):
        open_database("nosuchdb://somewhere/x")


@pytest.mark.parametrize("driver", ["nosuchdriver", "pg8000"])
def test_a_server_url_without_its_driver_says_so_and_hides_the_password(driver: str):
    if importlib.util.find_spec(driver) is not None:
        pytest.skip(f"{driver} is installed here")
    with pytest.raises(StorageError) as caught:
        open_database(f"postgresql+{driver}://ann:hunter2@db.example/transcripts")
    assert "hunter2" not in str(caught.value)
    assert "ann:***@db.example" in str(caught.value)
    assert driver in str(caught.value)
