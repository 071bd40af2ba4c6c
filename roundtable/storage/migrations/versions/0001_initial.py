"""The transcript store: debates, seats, rounds, turns, the event log, and search.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_UTC = sa.DateTime()

# Kept in step with `debates` and `turns` by triggers, so every writer (recorder,
# rename, delete, a future import) updates search without knowing about it. Only
# finished turns are indexed; the trigger conditions keep the frequent checkpoint
# writes of a streaming turn away from the index. `source` says where a hit is:
# "debate" (title and question) or "turn:<round>:<seat id>".
# A title made from the question (the default) is not indexed twice, or every
# snippet of a question hit would show the question twice.
_DEBATE_BODY = """CASE
    WHEN instr(new.question, rtrim(new.title, '…')) = 1 THEN new.question
    ELSE new.title || char(10) || new.question END"""
_SEARCH_DDL = (
    """CREATE VIRTUAL TABLE debate_search USING fts5(
        debate_id UNINDEXED, source UNINDEXED, body, tokenize = 'porter unicode61')""",
    f"""CREATE TRIGGER debate_search_debate_insert AFTER INSERT ON debates BEGIN
        INSERT INTO debate_search (debate_id, source, body)
        VALUES (new.id, 'debate', {_DEBATE_BODY});
    END""",
    f"""CREATE TRIGGER debate_search_debate_update AFTER UPDATE OF title, question ON debates
    BEGIN
        DELETE FROM debate_search WHERE debate_id = old.id AND source = 'debate';
        INSERT INTO debate_search (debate_id, source, body)
        VALUES (new.id, 'debate', {_DEBATE_BODY});
    END""",
    """CREATE TRIGGER debate_search_debate_delete AFTER DELETE ON debates BEGIN
        DELETE FROM debate_search WHERE debate_id = old.id;
    END""",
    """CREATE TRIGGER debate_search_turn_insert AFTER INSERT ON turns
    WHEN new.status = 'done' BEGIN
        INSERT INTO debate_search (debate_id, source, body)
        VALUES (new.debate_id, 'turn:' || new.round || ':' || new.seat_id, new.text);
    END""",
    """CREATE TRIGGER debate_search_turn_update AFTER UPDATE OF status, text ON turns
    WHEN old.status = 'done' OR new.status = 'done' BEGIN
        DELETE FROM debate_search
        WHERE debate_id = old.debate_id AND source = 'turn:' || old.round || ':' || old.seat_id;
        INSERT INTO debate_search (debate_id, source, body)
        SELECT new.debate_id, 'turn:' || new.round || ':' || new.seat_id, new.text
        WHERE new.status = 'done';
    END""",
    """CREATE TRIGGER debate_search_turn_delete AFTER DELETE ON turns
    WHEN old.status = 'done' BEGIN
        DELETE FROM debate_search
        WHERE debate_id = old.debate_id AND source = 'turn:' || old.round || ':' || old.seat_id;
    END""",
)

_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS debate_search_turn_delete",
    "DROP TRIGGER IF EXISTS debate_search_turn_update",
    "DROP TRIGGER IF EXISTS debate_search_turn_insert",
    "DROP TRIGGER IF EXISTS debate_search_debate_delete",
    "DROP TRIGGER IF EXISTS debate_search_debate_update",
    "DROP TRIGGER IF EXISTS debate_search_debate_insert",
    "DROP TABLE IF EXISTS debate_search",
)


def _fts5_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    used = bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar()
    return bool(used)


def upgrade() -> None:
    op.create_table(
        "debates",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("protocol", sa.String(32), nullable=False),
        sa.Column("max_rounds", sa.Integer(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_detail", sa.Text(), nullable=True),
        sa.Column("final_answer", sa.Text(), nullable=True),
        sa.Column("consensus", sa.Boolean(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=True),
        sa.Column("tally_json", sa.Text(), nullable=True),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.Column("rounds_done", sa.Integer(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("finished_at", _UTC, nullable=True),
        sa.Column("parent_id", sa.String(64), nullable=True),
        sa.Column("forked_from_round", sa.Integer(), nullable=True),
        sa.Column("owner_pid", sa.Integer(), nullable=True),
        sa.Column("owner_host", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["debates.id"],
            name=op.f("fk_debates_parent_id_debates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debates")),
    )
    op.create_index(op.f("ix_debates_created_at"), "debates", ["created_at"])
    op.create_index(op.f("ix_debates_parent_id"), "debates", ["parent_id"])
    op.create_index(op.f("ix_debates_status"), "debates", ["status"])

    op.create_table(
        "seats",
        sa.Column("debate_id", sa.String(64), nullable=False),
        sa.Column("seat_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("api_base", sa.Text(), nullable=True),
        sa.Column("persona", sa.Text(), nullable=False),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("max_tokens", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debates.id"],
            name=op.f("fk_seats_debate_id_debates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("debate_id", "seat_id", name=op.f("pk_seats")),
    )
    op.create_index(op.f("ix_seats_model"), "seats", ["model"])

    op.create_table(
        "rounds",
        sa.Column("debate_id", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Float(), nullable=False),
        sa.Column("leader", sa.Text(), nullable=True),
        sa.Column("tally_json", sa.Text(), nullable=False),
        sa.Column("finished_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debates.id"],
            name=op.f("fk_rounds_debate_id_debates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("debate_id", "round", name=op.f("pk_rounds")),
    )

    op.create_table(
        "turns",
        sa.Column("debate_id", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer_value", sa.Text(), nullable=True),
        sa.Column("answer_display", sa.Text(), nullable=True),
        sa.Column("answer_kind", sa.String(16), nullable=True),
        sa.Column("answer_raw", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.Column("latency_s", sa.Float(), nullable=True),
        sa.Column("first_token_s", sa.Float(), nullable=True),
        sa.Column("error_kind", sa.String(32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("incomplete", sa.Boolean(), nullable=False),
        sa.Column("started_at", _UTC, nullable=True),
        sa.Column("finished_at", _UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debates.id"],
            name=op.f("fk_turns_debate_id_debates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("debate_id", "round", "seat_id", name=op.f("pk_turns")),
    )

    op.create_table(
        "events",
        sa.Column("debate_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["debate_id"],
            ["debates.id"],
            name=op.f("fk_events_debate_id_debates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("debate_id", "seq", name=op.f("pk_events")),
    )

    # Without FTS5 (PostgreSQL, or an SQLite built without it) search uses LIKE.
    if _fts5_available():
        for statement in _SEARCH_DDL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SEARCH_DROP:
            op.execute(statement)
    op.drop_table("events")
    op.drop_table("turns")
    op.drop_table("rounds")
    op.drop_table("seats")
    op.drop_table("debates")
