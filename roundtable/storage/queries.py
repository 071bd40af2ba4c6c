"""Reading and curating stored debates: list, search, load, rename, delete, recover.

Every function opens its own short session (one user action, one transaction) and
returns frozen records; a database failure surfaces as StorageError, a debate that
is not there as ConfigError (it is the user's id that is wrong).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from roundtable.domain import (
    Answer,
    ConfigError,
    DebateInterrupted,
    DebateSpec,
    DebateStatus,
    Event,
    StorageError,
    Usage,
    event_from_json,
)
from roundtable.domain.events import from_jsonable
from roundtable.domain.limits import is_unicode, shown
from roundtable.storage.db import Database
from roundtable.storage.liveness import heartbeat_is_stale
from roundtable.storage.projection import apply_event
from roundtable.storage.records import (
    DebateRecord,
    DebateSummary,
    RoundRecord,
    SearchHit,
    SeatRecord,
    TurnRecord,
)
from roundtable.storage.rows import Debate, EventRow, RoundRow, SeatRow, TurnRow
from roundtable.storage.search import RawHit, search_fts, search_like

#: Shortest id prefix `resolve_id` accepts (short prefixes are too easily ambiguous).
MIN_ID_PREFIX = 4
#: How many candidates an "ambiguous" message names.
_AMBIGUOUS_SHOWN = 5


def list_debates(
    db: Database, *, limit: int = 50, offset: int = 0, started_by: str | None = None
) -> list[DebateSummary]:
    """Stored debates, newest first, `limit` at a time from `offset`; only those
    `started_by` a person when given (their name, compared without case)."""
    with db.transaction("list debates") as session:
        query = _summaries()
        if started_by is not None:
            query = query.where(func.lower(Debate.started_by) == started_by.strip().lower())
        rows = session.execute(
            query.order_by(Debate.created_at.desc(), Debate.id.desc()).limit(limit).offset(offset)
        ).all()
        return [_summary(*row) for row in rows]


def search_debates(db: Database, text: str, *, limit: int = 50, offset: int = 0) -> list[SearchHit]:
    """Debates whose question, title or a finished turn matches `text`, best first,
    `limit` at a time from `offset` (pages of one query agree with each other)."""
    if not text.strip():
        return []
    if not is_unicode(text):  # a lone surrogate (an MCP client's "\ud800") is no query
        raise ConfigError(f"the search {shown(text)} holds text that is not valid Unicode")
    with db.transaction("search debates") as session:
        found = _searcher(db)(session, text, limit, offset)
        if not found:
            return []
        ids = [hit.debate_id for hit in found]
        rows = session.execute(_summaries().where(Debate.id.in_(ids))).all()
        summaries = {row[0].id: _summary(*row) for row in rows}
        return [
            SearchHit(summaries[hit.debate_id], hit.snippet, hit.rank)
            for hit in found
            if hit.debate_id in summaries
        ]


def load_debate(db: Database, debate_id: str) -> DebateRecord:
    """Everything stored about one debate (ConfigError when there is no such debate)."""
    with db.transaction(f"load debate {debate_id}") as session:
        row = session.execute(_summaries().where(Debate.id == debate_id)).first()
        if row is None:
            raise ConfigError(f"no debate with id {debate_id!r}")
        debate = row[0]
        seats = [
            _seat(seat)
            for seat in session.scalars(
                select(SeatRow).where(SeatRow.debate_id == debate_id).order_by(SeatRow.position)
            )
        ]
        rounds = session.scalars(
            select(RoundRow).where(RoundRow.debate_id == debate_id).order_by(RoundRow.round)
        )
        turns = session.scalars(select(TurnRow).where(TurnRow.debate_id == debate_id)).all()
        position = {seat.seat_id: seat.position for seat in seats}
        ordered = sorted(turns, key=lambda t: (t.round, position.get(t.seat_id, len(position))))
        return DebateRecord(
            summary=_summary(*row),
            spec=_spec(debate, db),
            seats=tuple(seats),
            rounds=tuple(
                RoundRecord(r.round, r.agreement, r.leader, _tally(r.tally_json)) for r in rounds
            ),
            turns=tuple(_turn(turn) for turn in ordered),
            rule=debate.rule,
            tally=_tally(debate.tally_json),
        )


def load_events(db: Database, debate_id: str) -> list[Event]:
    """The debate's logged events (all but TurnDelta), in `seq` order."""
    with db.transaction(f"load the events of debate {debate_id}") as session:
        lines = session.scalars(
            select(EventRow.json).where(EventRow.debate_id == debate_id).order_by(EventRow.seq)
        ).all()
        if not lines and session.get(Debate, debate_id) is None:
            raise ConfigError(f"no debate with id {debate_id!r}")
    try:
        return [event_from_json(line) for line in lines]
    except ValueError as exc:
        raise StorageError(
            f"the event log of debate {debate_id} in {db.location} cannot be read by this "
            f"version of Roundtable ({exc}); update Roundtable."
        ) from exc


def resolve_id(db: Database, prefix: str) -> str:
    """The full id of the one debate whose id starts with `prefix` (at least 4 characters)."""
    prefix = prefix.strip()
    if not is_unicode(prefix):  # no id holds a lone surrogate, and SQLite cannot take one
        raise ConfigError(f"no debate with id {shown(prefix)}")
    with db.transaction("look up a debate") as session:
        if prefix and session.get(Debate, prefix) is not None:
            return prefix
        if len(prefix) < MIN_ID_PREFIX:
            raise ConfigError(
                f"{prefix!r} is too short to find a debate: give at least "
                f"{MIN_ID_PREFIX} characters of its id"
            )
        matches = session.scalars(
            select(Debate.id)
            .where(Debate.id.startswith(prefix, autoescape=True))
            .order_by(Debate.id)
            .limit(_AMBIGUOUS_SHOWN + 1)
        ).all()
    if not matches:
        raise ConfigError(f"no debate with id {shown(prefix)}")
    if len(matches) > 1:
        listed = ", ".join(matches[:_AMBIGUOUS_SHOWN])
        more = ", …" if len(matches) > _AMBIGUOUS_SHOWN else ""
        raise ConfigError(
            f"{prefix!r} is ambiguous: matches {listed}{more}; give more characters of the id"
        )
    return matches[0]


def rename_debate(db: Database, debate_id: str, title: str) -> None:
    title = " ".join(title.split())
    if not title:
        raise ConfigError("a debate's title cannot be empty")
    with db.transaction(f"rename debate {debate_id}", write=True) as session:
        _existing(session, debate_id).title = title


def delete_debate(db: Database, debate_id: str) -> None:
    """Delete a debate with its seats, rounds, turns, events and search entries.

    Forks of it stay, no longer linked to a parent.
    """
    with db.transaction(f"delete debate {debate_id}", write=True) as session:
        # The foreign keys cascade (and the search triggers follow) in the database.
        session.delete(_existing(session, debate_id))


def mark_orphans_interrupted(db: Database) -> list[str]:
    """Mark as interrupted every running debate whose recording process is gone; return
    their ids. On this machine a pid check says so; a debate recorded on another
    machine sharing the store is judged by its heartbeat (`roundtable.storage.liveness`):
    only a stale one is taken for dead.

    Each orphan gets a `DebateInterrupted` in its log, and its streaming turns keep
    their last checkpointed text with status interrupted.
    """
    host = socket.gethostname()
    with db.transaction("look for interrupted debates") as session:
        running = session.execute(
            select(Debate.id, Debate.owner_pid, Debate.owner_host, Debate.heartbeat_at).where(
                Debate.status == DebateStatus.RUNNING
            )
        ).all()
    now = datetime.now(UTC)
    orphans = [
        debate_id
        for debate_id, pid, owner_host, heartbeat_at in running
        if (
            (pid is None or not process_alive(pid))
            if owner_host in (None, host)
            else heartbeat_is_stale(heartbeat_at, now)
        )
    ]
    reason = "Roundtable stopped while this debate was running"
    return [d for d in orphans if mark_interrupted(db, d, reason) is not None]


def mark_interrupted(db: Database, debate_id: str, reason: str) -> DebateInterrupted | None:
    """End a running debate as interrupted (resumable), with `reason` in its log; the
    event written, or None when it was no longer running (another process got there
    first). Its streaming turns keep their last checkpointed text."""
    with db.transaction(f"mark debate {debate_id} interrupted", write=True) as session:
        status = session.scalar(
            select(Debate.status).where(Debate.id == debate_id).with_for_update()
        )
        if status is not DebateStatus.RUNNING:
            return None
        last_seq = session.scalar(
            select(func.max(EventRow.seq)).where(EventRow.debate_id == debate_id)
        )
        interrupted = DebateInterrupted(
            debate_id=debate_id,
            seq=(last_seq if last_seq is not None else -1) + 1,
            at=datetime.now(UTC),
            reason=reason,
        )
        apply_event(session, interrupted)
    return interrupted


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        # os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead.
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
        try:
            code = ctypes.c_ulong()
            ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(ok) and code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    return True


# ---------------------------------------------------------------- internals
def _searcher(db: Database) -> Callable[[Session, str, int, int], list[RawHit]]:
    """Full-text search with the database's own machinery; LIKE without an index.
    Each takes (session, text, limit, offset)."""
    if not db.has_fts:
        return search_like
    if db.engine.dialect.name == "postgresql":
        from roundtable.storage.search_postgres import search_postgres

        return search_postgres
    return search_fts


def _existing(session: Session, debate_id: str) -> Debate:
    debate = session.get(Debate, debate_id)
    if debate is None:
        raise ConfigError(f"no debate with id {debate_id!r}")
    return debate


def _summaries() -> Select[Debate, int, int]:
    seat_count = (
        select(func.count())
        .where(SeatRow.debate_id == Debate.id)
        .correlate(Debate)
        .scalar_subquery()
    )
    # Seat.is_demo in SQL: the offline demo provider's models are "demo/<name>".
    demo_seats = (
        select(func.count())
        .where(SeatRow.debate_id == Debate.id, SeatRow.model.startswith("demo/"))
        .correlate(Debate)
        .scalar_subquery()
    )
    return select(Debate, seat_count, demo_seats)


def _summary(debate: Debate, seat_count: int, demo_seats: int = 0) -> DebateSummary:
    return DebateSummary(
        id=debate.id,
        title=debate.title,
        question=debate.question,
        protocol=debate.protocol,
        status=debate.status,
        created_at=debate.created_at,
        finished_at=debate.finished_at,
        seat_count=seat_count,
        demo_seats=demo_seats,
        rounds_done=debate.rounds_done,
        consensus=debate.consensus,
        final_answer=debate.final_answer,
        total_tokens=debate.tokens,
        cost_usd=debate.cost_usd,
        parent_id=debate.parent_id,
        forked_from_round=debate.forked_from_round,
        status_detail=debate.status_detail,
        started_by=debate.started_by,
    )


def _spec(debate: Debate, db: Database) -> DebateSpec:
    try:
        spec = from_jsonable(DebateSpec, json.loads(debate.spec_json))
    except ValueError as exc:
        raise StorageError(
            f"debate {debate.id} in {db.location} was stored by a newer version of "
            f"Roundtable ({exc}); update Roundtable."
        ) from exc
    assert isinstance(spec, DebateSpec)
    return spec


def _seat(row: SeatRow) -> SeatRecord:
    return SeatRecord(
        seat_id=row.seat_id,
        position=row.position,
        name=row.name,
        model=row.model,
        api_base=row.api_base,
        persona=row.persona,
        temperature=row.temperature,
        max_tokens=row.max_tokens,
    )


def _turn(row: TurnRow) -> TurnRecord:
    answer = None
    if row.answer_kind is not None:
        answer = Answer(
            raw=row.answer_raw or "",
            value=row.answer_value or "",
            display=row.answer_display or "",
            kind=row.answer_kind,
            confidence=row.confidence,
        )
    return TurnRecord(
        round=row.round,
        seat_id=row.seat_id,
        status=row.status,
        text=row.text,
        answer=answer,
        usage=Usage(
            prompt_tokens=row.prompt_tokens,
            completion_tokens=row.completion_tokens,
            cost_usd=row.cost_usd,
            latency_s=row.latency_s or 0.0,
            first_token_s=row.first_token_s,
        ),
        error_kind=row.error_kind,
        error=row.error,
        incomplete=row.incomplete,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def _tally(tally_json: str | None) -> dict[str, float]:
    data: Any = json.loads(tally_json) if tally_json else {}
    return {str(key): float(value) for key, value in data.items()}
