"""The recorder: an event sink that persists a debate as it happens.

    recorder = Recorder(open_database())
    await run_debate(spec, gateway, recorder)   # or fan out to several sinks
    recorder.close()

Every event but `TurnDelta` is committed at once, in one transaction with its line
in the event log (so a finished turn is never lost). Deltas are gathered in memory
and the text of each streaming turn is written at most once per `checkpoint_s`:
a crash loses at most about that much text, and a fast stream does not turn into
a write per chunk.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from roundtable.domain import (
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    Event,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    TurnStatus,
)
from roundtable.storage.db import Database, storage_error
from roundtable.storage.liveness import Heartbeat
from roundtable.storage.projection import TurnKey, apply_event
from roundtable.storage.rows import TurnRow

#: (debate_id, round, seat_id): one turn across every debate this recorder sees.
_LiveKey = tuple[str, int, str]


@dataclass
class _LiveText:
    """The text streamed so far for one turn, and whether the database lags behind."""

    parts: list[str] = field(default_factory=list)
    dirty: bool = False

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Recorder:
    """Persists every event it is given. Call it like a function: `recorder(event)`.

    Not thread-safe: feed it from one thread (the engine's loop). Raises StorageError
    when a write fails (disk full, database locked); the transaction is rolled back,
    so the database stays consistent.
    """

    def __init__(
        self,
        db: Database,
        *,
        checkpoint_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._checkpoint_s = checkpoint_s
        self._clock = clock
        self._live: dict[_LiveKey, _LiveText] = {}
        self._last_checkpoint = clock()
        self._closed = False
        # Tells other machines sharing the store that this process's debates are alive.
        self._heartbeat = Heartbeat(db)

    def __call__(self, event: Event) -> None:
        if self._closed:
            raise RuntimeError("this recorder is closed")
        if isinstance(event, TurnDelta):
            self._on_delta(event)
            return
        partial_texts = self._track(event)
        self._heartbeat.start()
        self._transaction(
            event.debate_id,
            lambda session: apply_event(session, event, partial_texts=partial_texts),
        )

    def flush(self) -> None:
        """Write the text of every streaming turn that changed since its last checkpoint."""
        self._last_checkpoint = self._clock()
        dirty = [(key, live) for key, live in self._live.items() if live.dirty]
        if not dirty:
            return

        def write(session: Session) -> None:
            for (debate_id, round_number, seat_id), live in dirty:
                session.execute(
                    update(TurnRow)
                    .where(
                        TurnRow.debate_id == debate_id,
                        TurnRow.round == round_number,
                        TurnRow.seat_id == seat_id,
                        # A turn that ended meanwhile keeps its final text.
                        TurnRow.status == TurnStatus.STREAMING,
                    )
                    .values(text=live.text)
                )

        self._transaction(dirty[0][0][0], write)
        for _, live in dirty:
            live.dirty = False

    def close(self) -> None:
        """Flush what is pending; the recorder takes no more events afterwards."""
        if not self._closed:
            try:
                self.flush()
            finally:
                self._closed = True
                self._heartbeat.stop()

    # ------------------------------------------------------------ internals
    def _on_delta(self, event: TurnDelta) -> None:
        live = self._live.setdefault((event.debate_id, event.round, event.seat_id), _LiveText())
        live.parts.append(event.text)
        live.dirty = True
        if self._clock() - self._last_checkpoint >= self._checkpoint_s:
            self.flush()

    def _track(self, event: Event) -> dict[TurnKey, str]:
        """Update the in-memory text for `event`; return the partial texts it ends."""
        match event:
            case TurnStarted() | TurnRetrying():
                self._live[(event.debate_id, event.round, event.seat_id)] = _LiveText()
            case TurnFinished() | TurnFailed():
                self._live.pop((event.debate_id, event.round, event.seat_id), None)
            case DebateFinished() | DebateCancelled() | DebateInterrupted() | DebateFailed():
                ended = [key for key in self._live if key[0] == event.debate_id]
                return {(key[1], key[2]): self._live.pop(key).text for key in ended}
            case _:
                pass
        return {}

    def _transaction(self, debate_id: str, work: Callable[[Session], None]) -> None:
        try:
            with self._db.session(write=True) as session, session.begin():
                work(session)
        except SQLAlchemyError as exc:
            raise storage_error(f"save debate {debate_id}", self._db.location, exc) from exc
