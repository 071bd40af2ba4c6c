"""Search as you type at any size: the SQLite index keeps prefixes of 1-3 letters
(migration 0005), built again from the passages of a store made before it."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from roundtable.storage import delete_debate, open_database, rename_debate, search_debates
from tests.helpers.debates import finished_debate
from tests.helpers.events import record
from tests.helpers.schema import migrate, store_at


def _index(path) -> tuple[str, list[tuple[int, str, str]]]:
    """The index's definition and its passages (rowid, debate, source)."""
    connection = sqlite3.connect(path)
    try:
        create = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'debate_search'"
        ).fetchone()[0]
        passages = connection.execute(
            "SELECT rowid, debate_id, source FROM debate_search ORDER BY rowid"
        ).fetchall()
        # FTS5's own check: every passage's words are in the index, prefixes too.
        connection.execute("INSERT INTO debate_search (debate_search) VALUES ('integrity-check')")
    finally:
        connection.close()
    return create, passages


def _found(db, words: str) -> list[str]:
    return sorted(hit.summary.id for hit in search_debates(db, words))


def test_a_store_from_before_gets_the_prefix_index_with_every_passage_under_its_key(tmp_path):
    path = store_at(tmp_path / "old.db", "0004", "arith", "second")
    create_before, passages_before = _index(path)
    assert "prefix" not in create_before

    db = open_database(path)  # migrates 0004 -> head
    try:
        create, passages = _index(path)
        assert "prefix = '1 2 3'" in create
        assert passages == passages_before  # same rowids: the keys of 0003 still hold
        for typed in ("p", "ph", "pho", "photo", "photosynthesis"):
            assert _found(db, f"the {typed}") == ["arith", "second"], typed

        # The triggers were made again: renames and deletes still reach the index.
        rename_debate(db, "arith", "Zanzibar arithmetic")
        assert _found(db, "Za") == ["arith"]
        delete_debate(db, "arith")
        assert _found(db, "Z") == []
        assert _found(db, "photosynthesis") == ["second"]
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT count(*) FROM debate_search_rows")).scalar()
        assert len(_index(path)[1]) == keys < len(passages)
    finally:
        db.close()


def test_the_downgrade_rebuilds_the_index_without_prefixes_and_keeps_it_working(tmp_path):
    path = tmp_path / "store.db"
    with open_database(path) as db:
        record(db, finished_debate("arith"))
    _, passages = _index(path)

    migrate(path, "0004", down=True)
    create, passages_down = _index(path)
    assert "prefix" not in create
    assert passages_down == passages

    with open_database(path) as db:  # and up again
        assert _found(db, "photo") == ["arith"]
        delete_debate(db, "arith")
    assert _index(path)[1] == []
