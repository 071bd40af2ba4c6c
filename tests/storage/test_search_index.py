"""The search index follows renames, new turns and deletes by key (migration 0003),
also in a database made before that migration."""

from __future__ import annotations

from sqlalchemy import text

from roundtable.storage import delete_debate, open_database, rename_debate, search_debates
from tests.helpers.debates import finished_debate
from tests.helpers.events import record
from tests.helpers.schema import migrate, store_at


def _counts(db) -> tuple[int, int]:
    with db.engine.connect() as connection:
        passages = connection.execute(text("SELECT count(*) FROM debate_search")).scalar()
        keys = connection.execute(text("SELECT count(*) FROM debate_search_rows")).scalar()
    return passages, keys


def test_a_database_from_before_the_keyed_index_still_searches_renames_and_deletes(tmp_path):
    path = tmp_path / "old.db"
    migrate(path, "0002")

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
    # Written with the old triggers: a store held at 0002 with a debate in it.
    path = store_at(tmp_path / "old.db", "0002", "arith")

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
