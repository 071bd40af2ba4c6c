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
from collections.abc import Callable
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


#: Values written as they are (exact types: an enum member that is also a str is not).
_PLAIN = frozenset({str, int, float, bool, type(None)})
#: Field names of each dataclass met (None: not a dataclass), so encoding an event does
#: not ask `dataclasses` again for every value (a third of an import's CPU, measured).
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    if cls not in _FIELD_NAMES:
        is_dataclass = dataclasses.is_dataclass(cls)
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_dataclass else None
    return _FIELD_NAMES[cls]


def _encode(value: Any) -> Any:
    cls = type(value)
    if cls in _PLAIN:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _encode(getattr(value, name)) for name in names}
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
    return _decoder(tp)(data)


#: One decoding function per type, made from its type hints the first time it is needed:
#: reading a stored debate decodes thousands of events, and working out each field's
#: type from its hints every time cost most of opening a 1,000-turn debate.
_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def _decoder(tp: Any) -> Callable[[Any], Any]:
    made = _DECODERS.get(tp)
    if made is None:
        made = _DECODERS[tp] = _make_decoder(tp)
    return made


def _make_decoder(tp: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return _union_decoder(tp)
    if origin is tuple:
        return _tuple_decoder(tp)
    if origin is dict:
        return _dict_decoder(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is datetime:
        return _decode_datetime
    if tp is float:
        return _decode_float
    if tp is Any:
        return lambda data: data
    if isinstance(tp, type):
        return _exact_decoder(tp)

    def undecodable(data: Any) -> Any:
        raise TypeError(f"cannot decode type {tp!r}")

    return undecodable


def _union_decoder(tp: Any) -> Callable[[Any], Any]:
    args = typing.get_args(tp)
    optional = type(None) in args
    options = [arg for arg in args if arg is not type(None)]

    def decode(data: Any) -> Any:
        if data is None:
            if optional:
                return None
            raise ValueError(f"null where {tp} was expected")
        errors = []
        for arg in options:
            try:
                return _decoder(arg)(data)
            except (ValueError, TypeError) as exc:
                errors.append(exc)
        raise ValueError(f"{data!r} does not fit {tp}: {errors}")

    return decode


def _tuple_decoder(tp: Any) -> Callable[[Any], Any]:
    item = _decoder(typing.get_args(tp)[0])

    def decode(data: Any) -> Any:
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {data!r}")
        return tuple(item(v) for v in data)

    return decode


def _dict_decoder(tp: Any) -> Callable[[Any], Any]:
    key_type, val_type = typing.get_args(tp)
    key, value = _decoder(key_type), _decoder(val_type)

    def decode(data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {data!r}")
        return {key(k): value(v) for k, v in data.items()}

    return decode


def _dataclass_decoder(tp: type) -> Callable[[Any], Any]:
    hints = _hints(tp)
    fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(tp)}

    def decode(data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}, got {data!r}")
        try:
            return tp(**{name: fields[name](v) for name, v in data.items()})
        except KeyError:
            unknown = set(data) - set(fields)
            if not unknown:
                raise
        raise ValueError(f"unknown fields for {tp.__name__}: {sorted(unknown)}")

    return decode


def _decode_datetime(data: Any) -> datetime:
    if not isinstance(data, str):
        raise ValueError(f"expected an ISO timestamp, got {data!r}")
    return datetime.fromisoformat(data)


def _decode_float(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise ValueError(f"expected a number, got {data!r}")
    return float(data)


def _exact_decoder(tp: type) -> Callable[[Any], Any]:
    def decode(data: Any) -> Any:
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"expected {tp.__name__}, got {data!r}")
        return data

    return decode


def to_jsonable(value: Any) -> Any:
    """Any domain value (a DebateSpec, a Seat, an Answer…) as plain JSON data."""
    return _encode(value)


def from_jsonable(tp: type[Any], data: Any) -> Any:
    """The inverse of `to_jsonable` for a value of type `tp`; ValueError on a mismatch."""
    return _decode(tp, data)
