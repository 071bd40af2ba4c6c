"""The event stream: a debate is a totally ordered sequence of these immutable facts.

The engine produces them; the recorder stores them, the GUI draws them, the CLI
prints them, and replay reads them back. `seq` starts at 0 with `DebateStarted`
and increases by one per event of the same debate; `at` is UTC.

Events cross a process boundary (engine child process -> GUI) as JSON lines:
`event_to_json` / `event_from_json` round-trip every event losslessly.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from roundtable.domain.values import Answer, DebateSpec, Usage


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseEvent:
    debate_id: str
    seq: int
    at: datetime = field(default_factory=_now)


# ------------------------------------------------------------------ debate level
@dataclass(frozen=True, slots=True, kw_only=True)
class DebateStarted(BaseEvent):
    spec: DebateSpec
    #: Set when this debate is a fork or a follow-up of another one.
    parent_id: str | None = None
    #: For a fork: rounds 0 .. forked_from_round - 1 were copied from the parent.
    forked_from_round: int | None = None
    #: How this debate relates to `parent_id` (meaningful only when that is set):
    #: "fork" (rounds copied, then a changed table went on) or "followup" (a new
    #: question to the same table, the parent's question and answer as context).
    relation: str = "fork"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsensusReached(BaseEvent):
    round: int
    answer: str  # display form of the agreed answer
    value: str  # normalised form


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateFinished(BaseEvent):
    final_answer: str | None  # display form; None when no seat produced an answer
    consensus: bool
    #: How the final answer was chosen, in words a person can check.
    rule: str
    tally: dict[str, float]
    usage: Usage
    rounds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateCancelled(BaseEvent):
    reason: str = "stopped by the user"


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateInterrupted(BaseEvent):
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DebateFailed(BaseEvent):
    error_kind: str
    message: str


# ------------------------------------------------------------------ round level
@dataclass(frozen=True, slots=True, kw_only=True)
class RoundStarted(BaseEvent):
    round: int
    seat_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundFinished(BaseEvent):
    round: int
    #: Weighted votes per answer (display form), as the final rule would count them now.
    tally: dict[str, float]
    #: Share of the round's answering seats that agree with the leading answer (0..1).
    agreement: float
    leader: str | None
    #: Council: seat id -> average rank its stage-1 answer got from the anonymised peer
    #: review (1.0 = everyone ranked it first), best first.
    rankings: dict[str, float] = field(default_factory=dict)
    #: Points a judge named as still disputed (free-form answers, moderated debates).
    disputed: tuple[str, ...] = ()
    #: The seat that judged this round's agreement or outcome, when a judge did.
    judged_by: str | None = None
    #: The judge's decision or assessment in one line ("continue", "the negative side is
    #: right", "agreement 0.8: both recommend PostgreSQL").
    verdict: str = ""


# ------------------------------------------------------------------ turn level
@dataclass(frozen=True, slots=True, kw_only=True)
class TurnStarted(BaseEvent):
    round: int
    seat_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnQueued(BaseEvent):
    """The seat waits for its server (`server`: "localhost:8080"), busy with other
    seats' requests; it is not thinking yet, and its timeouts have not started."""

    round: int
    seat_id: str
    server: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnSent(BaseEvent):
    """A queued seat's request went out: it is thinking now."""

    round: int
    seat_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnDelta(BaseEvent):
    """A chunk of streamed text, coalesced by the engine (every ~40 ms)."""

    round: int
    seat_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnRetrying(BaseEvent):
    """An attempt failed; text streamed for this turn so far is void."""

    round: int
    seat_id: str
    attempt: int
    delay_s: float
    error_kind: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnFinished(BaseEvent):
    round: int
    seat_id: str
    text: str
    answer: Answer | None
    usage: Usage
    #: True when the stream was cut and retries failed: `text` is what arrived.
    incomplete: bool = False
    #: The seat switched to the previous round's leading answer without a new argument
    #: (conformity rather than persuasion), as a judge or a heuristic found.
    capitulated: bool = False
    #: A council review: the seat ids this reviewer ranked, best first (de-anonymised).
    ranking: tuple[str, ...] = ()
    #: A person passed this round: no answer, and the turn is not counted in the vote.
    passed: bool = False
    #: How the reply ended when it is not a plain answer ("empty", "blank", "length",
    #: "refused", "tool_call"; `domain.endings`); "" for an ordinary reply.
    ending: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnFailed(BaseEvent):
    round: int
    seat_id: str
    error_kind: str
    message: str
    partial_text: str = ""


Event = (
    DebateStarted
    | RoundStarted
    | TurnStarted
    | TurnQueued
    | TurnSent
    | TurnDelta
    | TurnRetrying
    | TurnFinished
    | TurnFailed
    | RoundFinished
    | ConsensusReached
    | DebateFinished
    | DebateCancelled
    | DebateInterrupted
    | DebateFailed
)

EVENT_TYPES: dict[str, type[BaseEvent]] = {cls.__name__: cls for cls in typing.get_args(Event)}

#: Events after which nothing more happens to a debate.
TERMINAL_EVENTS = (DebateFinished, DebateCancelled, DebateInterrupted, DebateFailed)


# ------------------------------------------------------------------ JSON codec
def event_to_dict(event: BaseEvent) -> dict[str, Any]:
    data = _encode(event)
    assert isinstance(data, dict)
    return {"type": type(event).__name__, **data}


def event_from_dict(data: dict[str, Any]) -> Event:
    payload = dict(data)
    name = payload.pop("type", None)
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"unknown event type {name!r}")
    return typing.cast(Event, _decode(cls, payload))


def event_to_json(event: BaseEvent) -> str:
    return json.dumps(event_to_dict(event), ensure_ascii=False, separators=(",", ":"))


def event_from_json(text: str) -> Event:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("an event must be a JSON object")
    return event_from_dict(data)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _decode(tp: Any, data: Any) -> Any:
    """Rebuild a value of type `tp` from its JSON form; raise ValueError on a mismatch."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None:
            if type(None) in args:
                return None
            raise ValueError(f"null where {tp} was expected")
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _decode(arg, data)
            except (ValueError, TypeError) as exc:
                errors.append(exc)
        raise ValueError(f"{data!r} does not fit {tp}: {errors}")
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {data!r}")
        return tuple(_decode(item_type, v) for v in data)
    if origin is dict:
        key_type, val_type = typing.get_args(tp)
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {data!r}")
        return {_decode(key_type, k): _decode(val_type, v) for k, v in data.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}, got {data!r}")
        hints = _hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fields for {tp.__name__}: {sorted(unknown)}")
        kwargs = {name: _decode(hints[name], v) for name, v in data.items()}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is datetime:
        if not isinstance(data, str):
            raise ValueError(f"expected an ISO timestamp, got {data!r}")
        return datetime.fromisoformat(data)
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise ValueError(f"expected a number, got {data!r}")
        return float(data)
    if tp is Any:
        return data
    if isinstance(tp, type):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"expected {tp.__name__}, got {data!r}")
        return data
    raise TypeError(f"cannot decode type {tp!r}")


def to_jsonable(value: Any) -> Any:
    """Any domain value (a DebateSpec, a Seat, an Answer…) as plain JSON data."""
    return _encode(value)


def from_jsonable(tp: type[Any], data: Any) -> Any:
    """The inverse of `to_jsonable` for a value of type `tp`; ValueError on a mismatch."""
    return _decode(tp, data)
