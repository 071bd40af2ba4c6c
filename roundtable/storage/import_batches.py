"""Writing checked archives to the database, many debates to a transaction.

Each debate's rows are built in memory from its events (`projection.project_debate`,
the rules the recorder follows) as plain column values and inserted in bulk, table
by table, through Core: no database round trip per event, no ORM unit of work, and
one commit per batch. Measured before: one transaction per debate, a flush and a
SELECT per event, 0.1-0.3 s a debate; a 1,000-turn debate 19-122 s. Then with mapped
objects, ~10 ms of CPU a debate; with plain values ~6 ms, most of it SQLite
indexing the text.

A debate that cannot be stored (its id is taken and the import refuses clashes, or
the database refuses one of its values) fails alone: a batch the database refuses is
written again one debate at a time, so the others still come in and the bad one is
named.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import DataError, SQLAlchemyError
from sqlalchemy.orm import Session

from roundtable.domain import (
    ConfigError,
    DebateInterrupted,
    DebateStarted,
    DebateStatus,
    Event,
    RoundtableError,
    TurnStatus,
)
from roundtable.domain.events import TERMINAL_EVENTS
from roundtable.storage.db import Database, storage_error
from roundtable.storage.projection import ProjectedDebate, project_debate
from roundtable.storage.row_values import Values
from roundtable.storage.rows import Base, Debate, EventRow, RoundRow, SeatRow, TurnRow
from roundtable.storage.started_rows import Owner

#: Debates written per transaction: large enough that commits (each an fsync) do not
#: count, small enough that a batch's rows stay a few tens of megabytes.
BATCH_SIZE = 200
INTERRUPTED_ON_IMPORT = "the archived debate had not ended when it was exported"


class OnClash(StrEnum):
    """What to do when the archive's debate id is already in the database."""

    REFUSE = "refuse"
    NEW_ID = "new-id"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What was imported: the id it is stored under, and what it was in the archive."""

    debate_id: str
    archived_id: str
    title: str
    status: DebateStatus
    events: int

    @property
    def renamed(self) -> bool:
        return self.debate_id != self.archived_id


@dataclass(frozen=True, slots=True)
class CheckedArchive:
    """An archive's events after every check, and the saved text of turns that
    stopped mid-stream (keyed by round and seat)."""

    events: list[Event]
    partial_texts: Mapping[tuple[int, str], str]

    @property
    def debate_id(self) -> str:
        return self.events[0].debate_id


@dataclass(frozen=True, slots=True)
class PreparedDebate:
    """An archive with its debate's rows built (`prepare`), ready for `store_debates`."""

    archive: CheckedArchive
    rows: ProjectedDebate


def prepare(archives: Sequence[CheckedArchive]) -> list[PreparedDebate]:
    """Build each debate's rows in memory: the CPU work of an import, done before (and,
    for `import_files`, beside) the writing of the previous batch."""
    owner = Owner.current()
    return [PreparedDebate(archive, _rows(archive, archive.events, owner)) for archive in archives]


def write_debates(
    db: Database, archives: Sequence[CheckedArchive], *, on_clash: OnClash
) -> list[ImportResult | RoundtableError]:
    """Store each archive's debate; for each, its result or why it was not stored."""
    return store_debates(db, prepare(archives), on_clash=on_clash)


def store_debates(
    db: Database, prepared: Sequence[PreparedDebate], *, on_clash: OnClash
) -> list[ImportResult | RoundtableError]:
    """Write prepared debates in one transaction; for each, its result or why not."""
    if not prepared:
        return []
    try:
        return _write_batch(db, prepared, on_clash)
    except RoundtableError:
        if len(prepared) == 1:
            raise
    outcomes: list[ImportResult | RoundtableError] = []
    for debate in prepared:  # the batch was refused whole: find the debate at fault
        try:
            outcomes.extend(_write_batch(db, [debate], on_clash))
        except RoundtableError as exc:
            outcomes.append(exc)
    return outcomes


def _write_batch(
    db: Database, prepared: Sequence[PreparedDebate], on_clash: OnClash
) -> list[ImportResult | RoundtableError]:
    first_id = prepared[0].archive.debate_id
    try:
        with db.session(write=True) as session, session.begin():
            wanted = {debate.archive.debate_id for debate in prepared}
            wanted |= {parent for debate in prepared if (parent := _parent(debate.archive))}
            stored = _stored_titles(session, wanted)
            outcomes: dict[int, ImportResult | RoundtableError] = {}
            written: list[ProjectedDebate] = []
            # Oldest first, so a fork's parent in the same batch is known when it comes.
            for index in sorted(
                range(len(prepared)), key=lambda i: prepared[i].rows.debate["created_at"]
            ):
                outcome = _placed(prepared[index], stored, on_clash)
                if isinstance(outcome, RoundtableError):
                    outcomes[index] = outcome
                    continue
                rows, outcomes[index] = outcome
                stored[rows.debate["id"]] = rows.debate["title"]
                written.append(rows)
            _insert(session, written)
    except DataError as exc:
        # PostgreSQL's way of refusing such a value (an integer out of range).
        reason = getattr(exc, "orig", None) or exc
        raise ConfigError(f"the archive's debate cannot be stored: {reason}") from exc
    except SQLAlchemyError as exc:
        shown = first_id if len(prepared) == 1 else f"{first_id} and {len(prepared) - 1} more"
        raise storage_error(f"import debate {shown}", db.location, exc) from exc
    except (ValueError, TypeError, OverflowError) as exc:
        # A value the checks let through but the database refused: nothing of the
        # batch was written (the transaction rolled back).
        raise ConfigError(f"the archive's debate cannot be stored: {exc}") from exc
    return [outcomes[index] for index in range(len(prepared))]


def _parent(archive: CheckedArchive) -> str | None:
    started = archive.events[0]
    assert isinstance(started, DebateStarted)
    return started.parent_id


def _stored_titles(session: Session, ids: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    wanted = list(ids)
    for first in range(0, len(wanted), 500):  # SQLite's bound on parameters
        chunk = wanted[first : first + 500]
        query = select(Debate.id, Debate.title).where(Debate.id.in_(chunk))
        found.update((debate_id, title) for debate_id, title in session.execute(query))
    return found


def _placed(
    prepared: PreparedDebate, stored: dict[str, str], on_clash: OnClash
) -> tuple[ProjectedDebate, ImportResult] | RoundtableError:
    """The rows to write for a prepared debate, given what is stored already."""
    archive, rows = prepared.archive, prepared.rows
    archived_id = archive.debate_id
    if archived_id in stored:
        if on_clash is OnClash.REFUSE:
            return ConfigError(
                f"a debate with id {archived_id} is already stored "
                f"({stored[archived_id]!r}); import this one as a copy under a new id "
                "with --new-id, or delete the stored one first"
            )
        debate_id = uuid.uuid4().hex
        renamed = [dataclasses.replace(e, debate_id=debate_id) for e in archive.events]
        rows = _rows(archive, renamed, Owner.current())
    debate = rows.debate
    if debate["parent_id"] not in stored:
        debate["parent_id"] = None  # the parent is not in this store; the log still names it
    result = ImportResult(
        debate["id"], archived_id, debate["title"], debate["status"], len(rows.events)
    )
    return rows, result


def _rows(
    archive: CheckedArchive,
    events: Sequence[Event],
    owner: Owner,
) -> ProjectedDebate:
    """The debate's rows: its events, an interruption if it never ended, and the saved
    text of turns that stopped mid-stream."""
    rows = project_debate(events, owner=owner)
    if not isinstance(events[-1], TERMINAL_EVENTS):
        rows.apply(
            DebateInterrupted(
                debate_id=events[0].debate_id,
                seq=events[-1].seq + 1,
                at=datetime.now(UTC),
                reason=INTERRUPTED_ON_IMPORT,
            )
        )
    for row in rows.turns.values():
        stopped = row["status"] in (TurnStatus.CANCELLED, TurnStatus.INTERRUPTED)
        if stopped and row["text"] == "":
            row["text"] = archive.partial_texts.get((row["round"], row["seat_id"]), "")
    return rows


def _insert(session: Session, projected: Sequence[ProjectedDebate]) -> None:
    """Insert every row, the debates (parents before forks) before what refers to them.

    Plain values through the tables' Core `insert` (one executemany a table): the
    ORM's unit of work would track every attribute of rows that are only written."""
    _insert_rows(session, Debate, [rows.debate for rows in projected])
    _insert_rows(session, SeatRow, [seat for rows in projected for seat in rows.seats])
    _insert_rows(session, RoundRow, [r for rows in projected for r in rows.rounds.values()])
    _insert_rows(session, TurnRow, [turn for rows in projected for turn in rows.turns.values()])
    _insert_rows(session, EventRow, [event for rows in projected for event in rows.events])


def _insert_rows(session: Session, mapped: type[Base], rows: list[Values]) -> None:
    if not rows:
        return
    table = mapped.__table__
    assert isinstance(table, Table)
    session.connection().execute(insert(table), rows)
