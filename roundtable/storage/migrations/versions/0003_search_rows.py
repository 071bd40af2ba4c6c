"""Search index entries found by key, not by scanning the index.

The triggers of 0001 removed a passage with `DELETE FROM debate_search WHERE
debate_id = … AND source = …`; those columns are UNINDEXED in FTS5, so every
finished turn read the whole index's text (measured: importing a debate took 42 ms
into an empty store, 300 ms once it held 300 debates, and grew from there; the
recorder paid the same for every finished turn). Now `debate_search_rows` maps
(debate id, source) to the passage's rowid under a unique index, and the triggers
delete by rowid.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

# As in 0001: a title made from the question is not indexed twice.
_DEBATE_BODY = """CASE
    WHEN instr(new.question, rtrim(new.title, '…')) = 1 THEN new.question
    ELSE new.title || char(10) || new.question END"""
_OLD_TURN = "'turn:' || old.round || ':' || old.seat_id"
_NEW_TURN = "'turn:' || new.round || ':' || new.seat_id"


def _forget_keyed(debate_id: str, source: str | None) -> str:
    """Statements removing a debate's passage (every passage when `source` is None)."""
    where = f"debate_id = {debate_id}" + ("" if source is None else f" AND source = {source}")
    return f"""DELETE FROM debate_search WHERE rowid IN (
            SELECT id FROM debate_search_rows WHERE {where});
        DELETE FROM debate_search_rows WHERE {where};"""


def _index_keyed(debate_id: str, source: str, body: str, when: str) -> str:
    """Statements adding one passage: its key first, then the text under the key's id."""
    return f"""INSERT INTO debate_search_rows (debate_id, source)
            SELECT {debate_id}, {source} WHERE {when};
        INSERT INTO debate_search (rowid, debate_id, source, body)
            SELECT id, debate_id, source, {body} FROM debate_search_rows
            WHERE debate_id = {debate_id} AND source = {source} AND {when};"""


def _forget_scanning(debate_id: str, source: str | None) -> str:
    """0001's way, kept for the downgrade."""
    where = f"debate_id = {debate_id}" + ("" if source is None else f" AND source = {source}")
    return f"DELETE FROM debate_search WHERE {where};"


def _index_scanning(debate_id: str, source: str, body: str, when: str) -> str:
    return f"""INSERT INTO debate_search (debate_id, source, body)
            SELECT {debate_id}, {source}, {body} WHERE {when};"""


def _triggers(forget: Callable[[str, str | None], str], index: Callable[..., str]) -> list[str]:
    return [
        f"""CREATE TRIGGER debate_search_debate_insert AFTER INSERT ON debates BEGIN
            {index("new.id", "'debate'", _DEBATE_BODY, "1")}
        END""",
        f"""CREATE TRIGGER debate_search_debate_update AFTER UPDATE OF title, question
        ON debates BEGIN
            {forget("old.id", "'debate'")}
            {index("new.id", "'debate'", _DEBATE_BODY, "1")}
        END""",
        f"""CREATE TRIGGER debate_search_debate_delete AFTER DELETE ON debates BEGIN
            {forget("old.id", None)}
        END""",
        f"""CREATE TRIGGER debate_search_turn_insert AFTER INSERT ON turns
        WHEN new.status = 'done' BEGIN
            {index("new.debate_id", _NEW_TURN, "new.text", "1")}
        END""",
        f"""CREATE TRIGGER debate_search_turn_update AFTER UPDATE OF status, text ON turns
        WHEN old.status = 'done' OR new.status = 'done' BEGIN
            {forget("old.debate_id", _OLD_TURN)}
            {index("new.debate_id", _NEW_TURN, "new.text", "new.status = 'done'")}
        END""",
        f"""CREATE TRIGGER debate_search_turn_delete AFTER DELETE ON turns
        WHEN old.status = 'done' BEGIN
            {forget("old.debate_id", _OLD_TURN)}
        END""",
    ]


_TRIGGER_NAMES = (
    "debate_search_debate_insert",
    "debate_search_debate_update",
    "debate_search_debate_delete",
    "debate_search_turn_insert",
    "debate_search_turn_update",
    "debate_search_turn_delete",
)


def _has_search_index() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    found = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'debate_search'"
    ).first()
    return found is not None


def upgrade() -> None:
    if not _has_search_index():
        return  # no FTS5 here: search uses LIKE and there is nothing to key
    for name in _TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(
        """CREATE TABLE debate_search_rows (
            id INTEGER PRIMARY KEY,
            debate_id VARCHAR(64) NOT NULL,
            source TEXT NOT NULL,
            CONSTRAINT uq_debate_search_rows_debate_id UNIQUE (debate_id, source))"""
    )
    # One scan of the index, once: every passage gets its key (a duplicate, which the
    # old triggers never wrote, keeps its first entry and loses the rest).
    op.execute(
        """INSERT OR IGNORE INTO debate_search_rows (id, debate_id, source)
           SELECT rowid, debate_id, source FROM debate_search ORDER BY rowid"""
    )
    op.execute("DELETE FROM debate_search WHERE rowid NOT IN (SELECT id FROM debate_search_rows)")
    for statement in _triggers(_forget_keyed, _index_keyed):
        op.execute(statement)


def downgrade() -> None:
    if not _has_search_index():
        return
    for name in _TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE debate_search_rows")
    for statement in _triggers(_forget_scanning, _index_scanning):
        op.execute(statement)
