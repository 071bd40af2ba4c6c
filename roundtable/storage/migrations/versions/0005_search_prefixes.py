"""Search as you type stays quick at any size: an FTS5 prefix index for 1-3 letters.

The app searches the last word typed as a prefix, so typing "the" searches "t*",
"th*" and "the*". Without a prefix index FTS5 merges the doclists of every word
with that beginning before it can return a row, and does it again for bm25's
counts and for the snippets. Measured at 10,000 debates (129,818 passages, CPU
time of a page of 100 with snippets): "the*" 206 ms, "th*" 363 ms, "t*" 2.0 s;
with `prefix='1 2 3'` 31, 38 and 50 ms. A prefix of 4 letters or more has few
enough completions to merge quickly ("conf*": 27-30 ms either way).

The cost, at 10,000 debates: the index's own data grows from 198 to 436 MB (the
text stored beside it, 475 MB, is unchanged) and indexing a passage takes 1.7 times
the CPU (all 129,818 passages: 21.5 s, now 36 s; one finished turn: well under a
millisecond either way). `prefix='2 3'` would save 65 MB and 7 s of that, but
leaves "t*", which every typed word begins with, at 0.5 s.

FTS5 cannot add a prefix index to a table, so this rebuilds it: a new table takes
every passage under its old rowid (the keys of 0003 stay valid), then replaces the
old one. That took 46 s of CPU at 10,000 debates (2 minutes at load 8); the old
table's pages stay in the file as free space (the file grew from 1.79 to 2.71 GB),
which later writes reuse.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_TABLE = "debate_search"
_BUILDING = "debate_search_building"
# As 0001 made it, plus the prefix option (or without it, for the downgrade).
_CREATE = """CREATE VIRTUAL TABLE {name} USING fts5(
        debate_id UNINDEXED, source UNINDEXED, body, tokenize = 'porter unicode61'{options})"""
_PREFIXES = ", prefix = '1 2 3'"


def _has_search_index() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False  # PostgreSQL searches its tsvector columns (0004)
    found = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'debate_search'"
    ).first()
    return found is not None


def _rebuild(options: str) -> None:
    """Replace the index by one made with `options`, holding the same passages."""
    bind = op.get_bind()
    # The triggers that keep the index write to it by name: set aside as they are
    # (0003's), and made again once the new table has that name.
    triggers = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE ? ORDER BY name",
        (f"%{_TABLE}%",),
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    op.execute(_CREATE.format(name=_BUILDING, options=options))
    # In rowid order: FTS5 appends to its segments instead of scattering writes.
    op.execute(
        f"""INSERT INTO {_BUILDING} (rowid, debate_id, source, body)
            SELECT rowid, debate_id, source, body FROM {_TABLE} ORDER BY rowid"""
    )
    op.execute(f"DROP TABLE {_TABLE}")
    op.execute(f"ALTER TABLE {_BUILDING} RENAME TO {_TABLE}")
    for _name, sql in triggers:
        bind.exec_driver_sql(sql)  # as stored: not parsed for bound parameters


def upgrade() -> None:
    if _has_search_index():
        _rebuild(_PREFIXES)


def downgrade() -> None:
    if _has_search_index():
        _rebuild("")
