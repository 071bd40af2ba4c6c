"""Events written by hand, the way the engine emits them, and the values they carry.

log = EventBuilder("d1")
log.add(DebateStarted, spec=spec)
log.add(TurnStarted, round=0, seat_id="ada")
log.stream_text(0, "ada", "Six sevens are 42.")
log.add(TurnFinished, round=0, seat_id="ada", text=..., answer=answer("42", 0.9),
        usage=usage(100, 20))
log.events  # seq 0, 1, 2… and `at` one step apart, all of debate "d1"
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from roundtable.domain import Answer, AnswerKind, Event, TurnDelta, Usage

if TYPE_CHECKING:
    from roundtable.storage import Database

__all__ = ["START", "EventBuilder", "answer", "record", "usage", "without_deltas"]

#: When hand-built debates start, unless a test says otherwise.
START = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)

E = TypeVar("E", bound=Event)


class EventBuilder:
    """Appends one debate's events with consecutive `seq` from 0 and `at` `step_s` apart."""

    def __init__(
        self, debate_id: str = "debate-1", *, start: datetime = START, step_s: float = 1.0
    ) -> None:
        self.debate_id = debate_id
        self.start = start
        self.step = timedelta(seconds=step_s)
        self.events: list[Event] = []

    def add(self, cls: type[E], **fields: Any) -> E:
        """The next event of type `cls`; `debate_id`, `seq` and `at` are filled in."""
        seq = len(self.events)
        event = cls(debate_id=self.debate_id, seq=seq, at=self.start + self.step * seq, **fields)
        self.events.append(event)
        return event

    def stream_text(
        self, round_index: int, seat_id: str, text: str, *, chunk: int = 24
    ) -> list[TurnDelta]:
        """`text` as `TurnDelta`s of `chunk` characters (the last one shorter)."""
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1 character, not {chunk}")
        return [
            self.add(TurnDelta, round=round_index, seat_id=seat_id, text=text[i : i + chunk])
            for i in range(0, len(text), chunk)
        ]


def answer(value: str, confidence: float | None = None) -> Answer:
    """A number answer as the parser would read it from a reply's last lines."""
    raw = f"Final answer: {value}"
    if confidence is not None:
        raw += f"\nConfidence: {confidence}"
    return Answer(
        raw=raw, value=value, display=value, kind=AnswerKind.NUMBER, confidence=confidence
    )


def usage(
    prompt_tokens: int,
    completion_tokens: int,
    cost: float | None = 0.0012,
    *,
    latency: float = 1.5,
    first_token_s: float | None = 0.4,
) -> Usage:
    """One turn's usage; `cost=None` is a model missing from the price map."""
    return Usage(prompt_tokens, completion_tokens, cost, latency, first_token_s=first_token_s)


def without_deltas(events: Iterable[Event]) -> list[Event]:
    """What is kept of a stream once its text deltas are folded into finished turns."""
    return [event for event in events if not isinstance(event, TurnDelta)]


def record(db: Database, events: Iterable[Event]) -> None:
    """Store `events` through the real recorder, as a debate run by the engine is."""
    from roundtable.storage import Recorder

    recorder = Recorder(db)
    for event in events:
        recorder(event)
    recorder.close()
