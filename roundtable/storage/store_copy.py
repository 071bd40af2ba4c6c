"""`roundtable db copy`: every debate and evaluation run of one store into another.

SQLite to PostgreSQL (a personal history into the team store) and back. Rows are
copied as they are, table by table, so nothing is re-derived and nothing is lost:
the event log, the projections, who started each debate, its owner, eval runs with
their questions. Search needs nothing: FTS5's triggers on SQLite, and PostgreSQL's
indexes, follow the rows.

A debate or run whose id the target already holds is skipped, so copying twice
copies nothing the second time, and a copy cut short is finished by running it
again. Debates go in oldest first, a batch to a transaction, so a fork's parent is
there before it. A batch the target refuses is retried one debate at a time: the
others still go in, and the refused ones are named with the target's reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Table, insert, select
from sqlalchemy.exc import SQLAlchemyError

from roundtable.storage.db import Database, storage_error
from roundtable.storage.rows import (
    Debate,
    EvalQuestionRow,
    EvalRunRow,
    EventRow,
    RoundRow,
    SeatRow,
    TurnRow,
)

#: Debates (or runs) to a transaction: large enough to amortise commits, small
#: enough that a long history shows progress and a failure redoes little.
BATCH = 100

_DEBATE_TABLES: tuple[Table, ...] = tuple(
    row.__table__  # type: ignore[misc]
    for row in (Debate, SeatRow, RoundRow, TurnRow, EventRow)
)
_RUN_TABLES: tuple[Table, ...] = (EvalRunRow.__table__, EvalQuestionRow.__table__)  # type: ignore[assignment]


_Row = dict[str, Any]
#: Per table, the column holding the id of the debate or run a row belongs to
#: (eval_questions also has a debate_id: its run is what it belongs to).
_KEYS = {
    "debates": "id",
    "seats": "debate_id",
    "rounds": "debate_id",
    "turns": "debate_id",
    "events": "debate_id",
    "eval_runs": "id",
    "eval_questions": "run_id",
}


@dataclass
class CopyReport:
    """What a copy did: counts, and what the target refused (id, its reason)."""

    debates_copied: int = 0
    debates_present: int = 0
    runs_copied: int = 0
    runs_present: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def copy_store(source: Database, target: Database, *, batch: int = BATCH) -> CopyReport:
    """Copy into `target` every debate and eval run of `source` it does not hold."""
    report = CopyReport()
    with source.transaction("list the debates to copy") as session:
        debates = session.execute(
            select(Debate.id, Debate.parent_id).order_by(Debate.created_at, Debate.id)
        ).all()
        runs = session.scalars(select(EvalRunRow.id).order_by(EvalRunRow.created_at)).all()
    with target.transaction("list the debates already there") as session:
        have = set(session.scalars(select(Debate.id)))
        have_runs = set(session.scalars(select(EvalRunRow.id)))
    wanted = _parents_first([(d, p) for d, p in debates if d not in have])
    report.debates_present = len(debates) - len(wanted)
    new_runs = [run for run in runs if run not in have_runs]
    report.runs_present = len(runs) - len(new_runs)
    for chunk in _chunks(wanted, batch):
        report.debates_copied += _copy_rows(source, target, _DEBATE_TABLES, chunk, report)
    for chunk in _chunks(new_runs, batch):
        report.runs_copied += _copy_rows(source, target, _RUN_TABLES, chunk, report)
    return report


def _copy_rows(
    source: Database,
    target: Database,
    tables: Sequence[Table],
    ids: list[str],
    report: CopyReport,
) -> int:
    """Copy the rows of `ids` (a batch); return how many went in."""
    rows = _read(source, tables, ids)
    try:
        _write(target, tables, rows)
    except SQLAlchemyError as exc:
        if len(ids) == 1:
            report.refused.append((ids[0], str(storage_error("copy", target.location, exc))))
            return 0
        # Find the one at fault: the others still go in.
        return sum(_copy_rows(source, target, tables, [one], report) for one in ids)
    return len(ids)


def _read(source: Database, tables: Sequence[Table], ids: list[str]) -> list[list[_Row]]:
    with source.transaction("read the debates to copy") as session:
        return [
            [
                dict(row)
                for row in session.execute(select(table).where(_key(table).in_(ids))).mappings()
            ]
            for table in tables
        ]


def _write(target: Database, tables: Sequence[Table], rows: list[list[_Row]]) -> None:
    with target.session(write=True) as session, session.begin():
        for table, table_rows in zip(tables, rows, strict=True):
            if table_rows:
                session.execute(insert(table), table_rows)


def _key(table: Table) -> ColumnElement[Any]:
    """The column naming the debate (or run) a row belongs to."""
    return table.c[_KEYS[table.name]]


def _parents_first(debates: list[tuple[str, str | None]]) -> list[str]:
    """Debate ids ordered so that a fork or follow-up comes after its parent."""
    wanted = dict(debates)
    ordered: list[str] = []
    placed: set[str] = set()
    for debate_id, _ in debates:
        chain = []  # this debate and its ancestors not yet placed, newest first
        current: str | None = debate_id
        while current is not None and current in wanted and current not in placed:
            placed.add(current)
            chain.append(current)
            current = wanted[current]
        ordered.extend(reversed(chain))
    return ordered


def _chunks(items: Iterable[str], size: int) -> Iterable[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
