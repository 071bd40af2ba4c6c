"""A store shared by a team: who started a debate, its owner's heartbeat, and
full-text search on PostgreSQL.

- `debates.started_by`: the person who started the debate (their configured name,
  else their OS user), for `list --mine` / `--by NAME` and the history's filter.
- `debates.heartbeat_at`: when the recording process last said it was alive. A
  running debate owned by a process on another machine is judged by it (a stale
  heartbeat means that machine or process died), never by a pid check here.
- On PostgreSQL, full-text search (SQLite has its FTS5 table of 0001): a stored,
  generated `search_vector` on debates and turns with GIN indexes, for
  `roundtable.storage.search_postgres` (not mapped by the ORM: PostgreSQL keeps it).

Columns are added without batch mode: a nullable column needs no table rebuild on
SQLite, and a rebuild would drop the search triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# Written out here, not imported: a migration must keep meaning what it meant.
# The text search configuration is English stemming without a stop-word list: as
# FTS5's porter tokenizer on SQLite, "and", "the" or "or" are words a person can
# search for.
_PG_SEARCH = (
    """CREATE TEXT SEARCH DICTIONARY roundtable_english_stem
       (TEMPLATE = snowball, Language = english)""",
    "CREATE TEXT SEARCH CONFIGURATION roundtable_english (COPY = english)",
    """ALTER TEXT SEARCH CONFIGURATION roundtable_english
       ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
       WITH roundtable_english_stem""",
    # Stored vectors, not expression indexes: ranking reads the vector of every
    # match, and recomputing it (stemming the whole turn) took seconds for a common
    # word at 500 debates. A turn's vector is made once it is done (NULL while it
    # streams, so the checkpoints every second cost nothing here).
    """ALTER TABLE debates ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
       (to_tsvector('roundtable_english'::regconfig, title || ' ' || question)) STORED""",
    """ALTER TABLE turns ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
       (CASE WHEN status = 'done'
             THEN to_tsvector('roundtable_english'::regconfig, text) END) STORED""",
    "CREATE INDEX ix_debates_search ON debates USING gin (search_vector)",
    "CREATE INDEX ix_turns_search ON turns USING gin (search_vector)",
)
_PG_SEARCH_DROP = (
    "DROP INDEX IF EXISTS ix_turns_search",
    "DROP INDEX IF EXISTS ix_debates_search",
    "ALTER TABLE turns DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE debates DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS roundtable_english",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS roundtable_english_stem",
)


def upgrade() -> None:
    op.add_column("debates", sa.Column("started_by", sa.String(255), nullable=True))
    op.add_column("debates", sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_debates_started_by"), "debates", ["started_by"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _PG_SEARCH_DROP:
            op.execute(statement)
    op.drop_index(op.f("ix_debates_started_by"), "debates")
    # Not batch mode: rebuilding the table would drop SQLite's search triggers
    # (SQLite drops a column itself since 3.35).
    op.execute("ALTER TABLE debates DROP COLUMN heartbeat_at")
    op.execute("ALTER TABLE debates DROP COLUMN started_by")
