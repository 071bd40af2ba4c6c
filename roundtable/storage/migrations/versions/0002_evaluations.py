"""Evaluation runs and their questions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_UTC = sa.DateTime()


def upgrade() -> None:
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("run_key", sa.String(32), nullable=False),
        sa.Column("task_name", sa.Text(), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_detail", sa.Text(), nullable=False),
        sa.Column("budget_usd", sa.Float(), nullable=True),
        sa.Column("sample_seat", sa.String(64), nullable=True),
        sa.Column("sample_count", sa.Integer(), nullable=True),
        sa.Column("wall_s", sa.Float(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("finished_at", _UTC, nullable=True),
        sa.Column("owner_pid", sa.Integer(), nullable=True),
        sa.Column("owner_host", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_runs")),
    )
    op.create_index(op.f("ix_eval_runs_created_at"), "eval_runs", ["created_at"])
    op.create_index(op.f("ix_eval_runs_run_key"), "eval_runs", ["run_key"])
    op.create_index(op.f("ix_eval_runs_status"), "eval_runs", ["status"])

    op.create_table(
        "eval_questions",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("item_json", sa.Text(), nullable=False),
        sa.Column("debate_id", sa.String(64), nullable=True),
        sa.Column("rounds_json", sa.Text(), nullable=True),
        sa.Column("samples_json", sa.Text(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["eval_runs.id"],
            name=op.f("fk_eval_questions_run_id_eval_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_eval_questions")),
    )
    op.create_index(op.f("ix_eval_questions_debate_id"), "eval_questions", ["debate_id"])


def downgrade() -> None:
    op.drop_table("eval_questions")
    op.drop_table("eval_runs")
