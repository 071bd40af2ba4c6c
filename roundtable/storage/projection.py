"""Applying one event to the database: its line in the log and its effect on the tables.

The recorder calls `apply_event` for every event but `TurnDelta` (whose text it
checkpoints itself); `mark_orphans_interrupted` calls it with a `DebateInterrupted`
of its own, so an orphan is closed exactly as a live interruption would be.
The caller owns the transaction.

`project_debate` applies a whole debate's events to rows held in memory instead
(the same rules, through the same `_project`), for the importer to write many
debates in bulk without a database round trip per event.

The rules read and write plain values, a dict of column values per row, wherever
the row lives: the importer inserts them as they are (building mapped objects cost
an import more than parsing, checking and indexing it: ~870 instrumented attribute
sets a debate), and the recorder sets what changed on its mapped rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from roundtable.domain import (
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateInterrupted,
    DebateStarted,
    DebateStatus,
    Event,
    RoundFinished,
    RoundStarted,
    StorageError,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    TurnStarted,
    TurnStatus,
    Usage,
    event_to_json,
)
from roundtable.storage.row_values import Values, blank, columns
from roundtable.storage.rows import Base, Debate, EventRow, RoundRow, SeatRow, TurnRow
from roundtable.storage.started_rows import Owner, started_rows

#: (round, seat_id) of a turn within one debate.
TurnKey = tuple[int, str]

_ENDED_TURN_STATUS = {
    DebateStatus.CANCELLED: TurnStatus.CANCELLED,
    DebateStatus.INTERRUPTED: TurnStatus.INTERRUPTED,
    # A failed debate's unfinished turns were stopped, not failed themselves.
    DebateStatus.FAILED: TurnStatus.CANCELLED,
    DebateStatus.FINISHED: TurnStatus.CANCELLED,
}


def apply_event(
    session: Session, event: Event, *, partial_texts: Mapping[TurnKey, str] | None = None
) -> None:
    """Record `event` in the log and update the projections it touches.

    `partial_texts` holds the streamed-so-far text of turns still in progress, for
    an event that ends the debate: those turns keep it, marked cancelled/interrupted.
    """
    if isinstance(event, TurnDelta):
        raise ValueError("TurnDelta is checkpointed by the recorder, never logged")
    if isinstance(event, DebateStarted):
        _start(session, event)
    else:
        debate = session.get(Debate, event.debate_id)
        if debate is None:
            raise StorageError(
                f"cannot record {type(event).__name__} for debate {event.debate_id}: "
                "its DebateStarted was never recorded"
            )
        rows = _SessionRows(session, debate)
        _project(rows, event, partial_texts or {})
        rows.write_back()
    session.add(EventRow(**_log_line(event)))


def _project(rows: _Rows, event: Event, partial_texts: Mapping[TurnKey, str]) -> None:
    debate = rows.debate
    match event:
        case TurnStarted():
            row = rows.turn(event.round, event.seat_id)
            _reset(row)
            row["started_at"] = event.at
        case TurnRetrying():
            # The failed attempt's text is void; the turn streams again from nothing.
            rows.turn(event.round, event.seat_id)["text"] = ""
        case TurnFinished():
            _finish_turn(rows.turn(event.round, event.seat_id), event)
            debate["tokens"] += event.usage.total_tokens
            debate["cost_usd"] = _add_cost(debate["cost_usd"], event.usage.cost_usd)
        case TurnFailed():
            row = rows.turn(event.round, event.seat_id)
            row["status"] = TurnStatus.FAILED
            row["text"] = event.partial_text
            row["error_kind"] = event.error_kind
            row["error"] = event.message
            row["finished_at"] = event.at
        case RoundFinished():
            _finish_round(rows, event)
        case DebateFinished():
            debate["final_answer"] = event.final_answer
            debate["consensus"] = event.consensus
            debate["rule"] = event.rule
            debate["tally_json"] = json.dumps(event.tally, ensure_ascii=False)
            debate["tokens"] = event.usage.total_tokens
            debate["cost_usd"] = event.usage.cost_usd
            debate["rounds_done"] = event.rounds
            _end(
                rows,
                DebateStatus.FINISHED,
                detail=None,
                at=event.at,
                partial_texts=partial_texts,
            )
        case DebateCancelled() | DebateInterrupted():
            status = (
                DebateStatus.CANCELLED
                if isinstance(event, DebateCancelled)
                else DebateStatus.INTERRUPTED
            )
            _end(
                rows,
                status,
                detail=event.reason,
                at=event.at,
                partial_texts=partial_texts,
            )
        case DebateFailed():
            _end(
                rows,
                DebateStatus.FAILED,
                detail=f"{event.error_kind}: {event.message}",
                at=event.at,
                partial_texts=partial_texts,
            )
        case RoundStarted() | ConsensusReached() | DebateStarted() | TurnQueued() | TurnSent():
            pass  # the log line is the whole record


def _start(session: Session, event: DebateStarted) -> None:
    debate, seats = started_rows(event, Owner.current())
    if debate["parent_id"] is not None and session.get(Debate, debate["parent_id"]) is None:
        debate["parent_id"] = None  # the parent is not in this store; the log still names it
    session.add(Debate(**debate))
    session.add_all(SeatRow(**seat) for seat in seats)
    # The log line added next refers to this row: make sure it is inserted first.
    session.flush()


def _reset(row: Values) -> None:
    row["status"] = TurnStatus.STREAMING
    row["text"] = ""
    row["answer_value"] = row["answer_display"] = row["answer_raw"] = None
    row["answer_kind"] = None
    row["confidence"] = None
    row["prompt_tokens"] = row["completion_tokens"] = 0
    row["cost_usd"] = row["latency_s"] = row["first_token_s"] = None
    row["error_kind"] = row["error"] = None
    row["incomplete"] = False
    row["started_at"] = row["finished_at"] = None


def _finish_turn(row: Values, event: TurnFinished) -> None:
    row["status"] = TurnStatus.DONE
    row["text"] = event.text
    answer = event.answer
    row["answer_value"] = answer.value if answer else None
    row["answer_display"] = answer.display if answer else None
    row["answer_kind"] = answer.kind if answer else None
    row["answer_raw"] = answer.raw if answer else None
    row["confidence"] = answer.confidence if answer else None
    _store_usage(row, event.usage)
    row["incomplete"] = event.incomplete
    row["error_kind"] = row["error"] = None
    row["finished_at"] = event.at


def _store_usage(row: Values, usage: Usage) -> None:
    row["prompt_tokens"] = usage.prompt_tokens
    row["completion_tokens"] = usage.completion_tokens
    row["cost_usd"] = usage.cost_usd
    row["latency_s"] = usage.latency_s
    row["first_token_s"] = usage.first_token_s


def _finish_round(rows: _Rows, event: RoundFinished) -> None:
    debate = rows.debate
    row = rows.round(event.round)
    row["agreement"] = event.agreement
    row["leader"] = event.leader
    row["tally_json"] = json.dumps(event.tally, ensure_ascii=False)
    row["finished_at"] = event.at
    debate["rounds_done"] = max(debate["rounds_done"], event.round + 1)


def _end(
    rows: _Rows,
    status: DebateStatus,
    *,
    detail: str | None,
    at: datetime,
    partial_texts: Mapping[TurnKey, str],
) -> None:
    debate = rows.debate
    debate["status"] = status
    debate["status_detail"] = detail
    debate["finished_at"] = at
    for row in rows.streaming_turns():
        row["status"] = _ENDED_TURN_STATUS[status]
        row["text"] = partial_texts.get((row["round"], row["seat_id"]), row["text"])
        row["finished_at"] = at


# ---------------------------------------------------------------- where rows live


def _new_turn(debate_id: str, round_number: int, seat_id: str) -> Values:
    row = blank(TurnRow)
    row.update(debate_id=debate_id, round=round_number, seat_id=seat_id)
    _reset(row)
    return row


def _new_round(debate_id: str, round_number: int) -> Values:
    row = blank(RoundRow)
    row.update(debate_id=debate_id, round=round_number)
    return row


class _Rows(Protocol):
    """The rows of one debate that its events update, wherever they are kept."""

    @property
    def debate(self) -> Values: ...

    def turn(self, round_number: int, seat_id: str) -> Values:
        """The turn's row, made (reset, streaming) if it has none yet."""
        ...

    def round(self, round_number: int) -> Values:
        """The round's row, made if it has none yet (the caller fills every column)."""
        ...

    def streaming_turns(self) -> Iterable[Values]: ...


class _SessionRows:
    """Rows in the database, through the caller's session (the recorder's way): the
    rules change each mapped row's values, and `write_back` sets what they changed."""

    def __init__(self, session: Session, debate: Debate) -> None:
        self._session = session
        self._debate_id = debate.id
        #: Each row read, by identity: the row, the values the rules change, and the
        #: values as read (to set back only what changed, without reading it again).
        self._loaded: dict[int, tuple[Base, Values, Values]] = {}
        self._debate = self._values(debate)

    @property
    def debate(self) -> Values:
        return self._debate

    def turn(self, round_number: int, seat_id: str) -> Values:
        row = self._session.get(TurnRow, (self._debate_id, round_number, seat_id))
        if row is None:
            row = TurnRow(**_new_turn(self._debate_id, round_number, seat_id))
            self._session.add(row)
        return self._values(row)

    def round(self, round_number: int) -> Values:
        row = self._session.get(RoundRow, (self._debate_id, round_number))
        if row is None:
            row = RoundRow(**_new_round(self._debate_id, round_number))
            self._session.add(row)
        return self._values(row)

    def streaming_turns(self) -> Iterable[Values]:
        found = self._session.scalars(
            select(TurnRow).where(
                TurnRow.debate_id == self._debate_id, TurnRow.status == TurnStatus.STREAMING
            )
        )
        return [self._values(row) for row in found]

    def write_back(self) -> None:
        for row, values, read in self._loaded.values():
            for key, value in values.items():
                if value is not read[key]:
                    setattr(row, key, value)

    def _values(self, row: Base) -> Values:
        loaded = self._loaded.get(id(row))
        if loaded is None:
            read = {key: getattr(row, key) for key in columns(type(row))}
            loaded = self._loaded[id(row)] = (row, dict(read), read)
        return loaded[1]


@dataclass(slots=True)
class ProjectedDebate:
    """A debate's rows built in memory from its events: each row's values by column."""

    debate: Values
    seats: list[Values]
    rounds: dict[int, Values] = field(default_factory=dict)
    turns: dict[TurnKey, Values] = field(default_factory=dict)
    events: list[Values] = field(default_factory=list)

    def turn(self, round_number: int, seat_id: str) -> Values:
        row = self.turns.get((round_number, seat_id))
        if row is None:
            row = self.turns[(round_number, seat_id)] = _new_turn(
                self.debate["id"], round_number, seat_id
            )
        return row

    def round(self, round_number: int) -> Values:
        row = self.rounds.get(round_number)
        if row is None:
            row = self.rounds[round_number] = _new_round(self.debate["id"], round_number)
        return row

    def streaming_turns(self) -> Iterable[Values]:
        return [row for row in self.turns.values() if row["status"] == TurnStatus.STREAMING]

    def apply(self, event: Event) -> None:
        """Apply one more event (not a DebateStarted) as `apply_event` would."""
        if isinstance(event, TurnDelta | DebateStarted):
            raise ValueError(f"{type(event).__name__} cannot be applied to a started debate")
        _project(self, event, {})
        self.events.append(_log_line(event))


def project_debate(events: Sequence[Event], *, owner: Owner | None = None) -> ProjectedDebate:
    """The rows `apply_event` would write for `events` (the first a DebateStarted),
    recorded by `owner` (by default this process).

    The parent link is kept as the log names it: the caller clears it when the
    parent is not stored.
    """
    started = events[0]
    if not isinstance(started, DebateStarted):
        raise ValueError("a debate's first event must be DebateStarted")
    debate, seats = started_rows(started, owner or Owner.current())
    projected = ProjectedDebate(debate, seats, events=[_log_line(started)])
    for event in events[1:]:
        projected.apply(event)
    return projected


def _log_line(event: Event) -> Values:
    return {
        "debate_id": event.debate_id,
        "seq": event.seq,
        "type": type(event).__name__,
        "json": event_to_json(event),
    }


def _add_cost(total: float | None, cost: float | None) -> float | None:
    return None if total is None or cost is None else total + cost
