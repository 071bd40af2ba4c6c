"""The SQL schema as typed ORM classes. Rows never leave `roundtable.storage`.

`events` is the source of truth: every event of a debate except `TurnDelta`, in
`seq` order, as the engine emitted it, so replay and the JSON archive are exact.
`debates`, `seats`, `rounds` and `turns` are projections of that log kept for
listing, searching and showing a debate without replaying it.

The full-text index (`debate_search`, FTS5, SQLite only) is not mapped here: the
migration creates it together with the triggers that keep it in step with
`debates` and `turns`, so every writer keeps it right without knowing about it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from roundtable.domain.values import AnswerKind, DebateStatus, EvalStatus, TurnStatus

#: Constraint names Alembic can find again (batch mode on SQLite recreates tables).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Name of the FTS5 table the migration creates on SQLite.
SEARCH_TABLE = "debate_search"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the column (SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime: its zone is unknown")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _str_enum(
    enum_type: type[DebateStatus] | type[TurnStatus] | type[AnswerKind] | type[EvalStatus],
) -> Enum:
    # Stored by value as plain VARCHAR (no native enum, no CHECK), so a newer
    # status needs no schema change on PostgreSQL.
    return Enum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        DebateStatus: _str_enum(DebateStatus),
        TurnStatus: _str_enum(TurnStatus),
        AnswerKind: _str_enum(AnswerKind),
        EvalStatus: _str_enum(EvalStatus),
    }


class Debate(Base):
    __tablename__ = "debates"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    protocol: Mapped[str] = mapped_column(String(32))
    max_rounds: Mapped[int] = mapped_column(Integer)
    #: The whole DebateSpec (domain JSON form), enough to run the debate again.
    spec_json: Mapped[str] = mapped_column(Text)
    status: Mapped[DebateStatus] = mapped_column(index=True)
    #: Why a debate was cancelled, interrupted or failed, in words for a person.
    status_detail: Mapped[str | None] = mapped_column(Text)
    final_answer: Mapped[str | None] = mapped_column(Text)
    consensus: Mapped[bool] = mapped_column(Boolean, default=False)
    rule: Mapped[str | None] = mapped_column(Text)
    tally_json: Mapped[str | None] = mapped_column(Text)
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    #: None when any call's price was unknown: unknown is not free.
    cost_usd: Mapped[float | None] = mapped_column(Float)
    rounds_done: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("debates.id", ondelete="SET NULL"), index=True
    )
    forked_from_round: Mapped[int | None] = mapped_column(Integer)
    #: The process recording this debate, and its machine: a running debate whose
    #: process is gone on this machine was interrupted.
    owner_pid: Mapped[int | None] = mapped_column(Integer)
    owner_host: Mapped[str | None] = mapped_column(String(255))
    #: When the owner last said it was alive (`roundtable.storage.liveness`): how a
    #: debate run on another machine sharing the store is judged.
    heartbeat_at: Mapped[datetime | None]
    #: Who started the debate: the configured display name, else the OS user.
    started_by: Mapped[str | None] = mapped_column(String(255), index=True)


class SeatRow(Base):
    """One seat of a debate. The key itself is never stored, only the debate's settings."""

    __tablename__ = "seats"

    debate_id: Mapped[str] = mapped_column(
        ForeignKey("debates.id", ondelete="CASCADE"), primary_key=True
    )
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text, index=True)
    api_base: Mapped[str | None] = mapped_column(Text)
    persona: Mapped[str] = mapped_column(Text, default="")
    temperature: Mapped[float | None] = mapped_column(Float)
    max_tokens: Mapped[int | None] = mapped_column(Integer)


class RoundRow(Base):
    """A finished round: a round without a row did not complete."""

    __tablename__ = "rounds"

    debate_id: Mapped[str] = mapped_column(
        ForeignKey("debates.id", ondelete="CASCADE"), primary_key=True
    )
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement: Mapped[float] = mapped_column(Float)
    leader: Mapped[str | None] = mapped_column(Text)
    tally_json: Mapped[str] = mapped_column(Text)
    finished_at: Mapped[datetime]


class TurnRow(Base):
    """One model call: a seat's turn in a round (the events identify a turn that way)."""

    __tablename__ = "turns"

    debate_id: Mapped[str] = mapped_column(
        ForeignKey("debates.id", ondelete="CASCADE"), primary_key=True
    )
    round: Mapped[int] = mapped_column(Integer, primary_key=True)
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[TurnStatus]
    text: Mapped[str] = mapped_column(Text, default="")
    answer_value: Mapped[str | None] = mapped_column(Text)
    answer_display: Mapped[str | None] = mapped_column(Text)
    answer_kind: Mapped[AnswerKind | None]
    answer_raw: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float | None] = mapped_column(Float)
    latency_s: Mapped[float | None] = mapped_column(Float)
    first_token_s: Mapped[float | None] = mapped_column(Float)
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class EventRow(Base):
    """The ordered log of a debate's events (all but TurnDelta), as JSON."""

    __tablename__ = "events"

    debate_id: Mapped[str] = mapped_column(
        ForeignKey("debates.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    json: Mapped[str] = mapped_column(Text)


class EvalRunRow(Base):
    """One evaluation run: its settings (domain JSON form) and where it got to.

    `run_key` names the run's questions, table and baselines
    (`domain.evaluation.EvalSettings.key`), so running the same command again finds the
    unfinished run and finishes it.
    """

    __tablename__ = "eval_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_key: Mapped[str] = mapped_column(String(32), index=True)
    task_name: Mapped[str] = mapped_column(Text)
    settings_json: Mapped[str] = mapped_column(Text)
    status: Mapped[EvalStatus] = mapped_column(index=True)
    status_detail: Mapped[str] = mapped_column(Text, default="")
    budget_usd: Mapped[float | None] = mapped_column(Float)
    sample_seat: Mapped[str | None] = mapped_column(String(64))
    sample_count: Mapped[int | None] = mapped_column(Integer)
    wall_s: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    owner_pid: Mapped[int | None] = mapped_column(Integer)
    owner_host: Mapped[str | None] = mapped_column(String(255))


class EvalQuestionRow(Base):
    """One question of a run: the item, its debate, its answers by round once asked.

    `correct` (the table's final answer was right) and the usage columns are kept
    beside the answers so lists, track records and exports need no JSON.
    """

    __tablename__ = "eval_questions"

    run_id: Mapped[str] = mapped_column(
        ForeignKey("eval_runs.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(Text)
    item_json: Mapped[str] = mapped_column(Text)
    #: The question's debate; kept when the debate is deleted from the history.
    debate_id: Mapped[str | None] = mapped_column(String(64), index=True)
    rounds_json: Mapped[str | None] = mapped_column(Text)
    samples_json: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None] = mapped_column(Boolean)
    tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float | None] = mapped_column(Float)
