"""The search index follows renames, new turns and deletes by key (migration 0003),
also in a database made before that migration."""

from __future__ import annotations

import sqlite3

import alembic.command
from sqlalchemy import create_engine, text

from roundtable.storage import delete_debate, open_database, rename_debate, search_debates
from roundtable.storage.db import alembic_config
from tests.helpers.debates import finished_debate
from tests.helpers.events import record


def _made_at_0002(path) -> None:
    """A database with the schema of the release before the keyed index."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        alembic.command.upgrade(config, "0002")
    engine.dispose()


def _counts(db) -> tuple[int, int]:
    with db.engine.connect() as connection:
        passages = connection.execute(text("SELECT count(*) FROM debate_search")).scalar()
        keys = connection.execute(text("SELECT count(*) FROM debate_search_rows")).scalar()
    return passages, keys


def test_a_database_from_before_the_keyed_index_still_searches_renames_and_deletes(tmp_path):
    path = tmp_path / "old.db"
    _made_at_0002(path)

    db = open_database(path)  # migrates 0002 -> head
    try:
        record(db, finished_debate("arith"))
        record(db, finished_debate("second"))
        passages, keys = _counts(db)
        assert passages == keys > 2  # every passage is keyed

        rename_debate(db, "arith", "Zanzibar arithmetic")
        assert [hit.summary.id for hit in search_debates(db, "Zanzibar")] == ["arith"]
        assert _counts(db) == (passages, keys)  # the old title's passage replaced, not kept

        delete_debate(db, "arith")
        assert search_debates(db, "Zanzibar") == []
        assert [hit.summary.id for hit in search_debates(db, "photosynthesis")] == ["second"]
        assert _counts(db)[0] == _counts(db)[1] < passages
    finally:
        db.close()


def test_passages_indexed_before_the_upgrade_are_keyed_by_it(tmp_path):
    path = tmp_path / "old.db"
    _made_at_0002(path)
    # Written with the old triggers: the rows of a debate recorded at head, copied
    # into the store held at 0002 (only the columns it has).
    with open_database(tmp_path / "new.db") as new:
        record(new, finished_debate("arith"))
    old = sqlite3.connect(path)
    try:
        old.execute("ATTACH DATABASE ? AS new", (str(tmp_path / "new.db"),))
        for table in ("debates", "seats", "rounds", "turns", "events"):
            columns = ", ".join(row[1] for row in old.execute(f"PRAGMA main.table_info({table})"))
            old.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM new.{table}")
        old.commit()
    finally:
        old.close()

    db = open_database(path)
    try:
        passages, keys = _counts(db)
        assert passages == keys > 0
        rename_debate(db, "arith", "Zanzibar arithmetic")
        delete_debate(db, "arith")
        assert _counts(db) == (0, 0)
        assert search_debates(db, "photosynthesis") == []
    finally:
        db.close()
