"""A `Gateway` test double: replies are queued per seat and every call is recorded.

    gateway = ScriptedGateway()
    gateway.enqueue("ada", reply("Because ...\nFinal answer: 42\nConfidence: 0.9"))
    gateway.enqueue("bob", [Pause(0.2), "partial", AuthFailed("key refused")])

A reply is a list of steps played in order: a `str` is streamed as one `TextDelta`,
`Pause(s)` sleeps, a `WillRetry` is passed through, an exception is raised, and the
turn ends with a `TurnComplete` (unless the reply ends with `CUT`, for a stream that
stops without one). `calls` records which seat was sent which messages, in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from roundtable.domain import (
    ChatMessage,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    Usage,
    WillRetry,
)


@dataclass(frozen=True)
class Pause:
    seconds: float


#: Ends a reply without a TurnComplete: the stream just stops.
CUT = object()

Step = str | Pause | WillRetry | BaseException | object

DEFAULT_USAGE = Usage(prompt_tokens=100, completion_tokens=20, cost_usd=0.001, latency_s=0.5)


def reply(
    text: str, *, pieces: int = 3, delay: float = 0.0, usage: Usage = DEFAULT_USAGE
) -> list[Step]:
    """`text` streamed in about `pieces` chunks, `delay` seconds apart, then complete."""
    size = max(1, -(-len(text) // pieces))
    steps: list[Step] = []
    for start in range(0, len(text), size):
        if delay:
            steps.append(Pause(delay))
        steps.append(text[start : start + size])
    steps.append(usage)
    return steps


def answer_text(answer: str, confidence: float, reasoning: str = "I worked it out.") -> str:
    return f"{reasoning}\nFinal answer: {answer}\nConfidence: {confidence}"


@dataclass(frozen=True)
class Call:
    seat_id: str
    messages: tuple[ChatMessage, ...]
    seed: int | None


@dataclass
class ScriptedGateway:
    replies: dict[str, list[list[Step]]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    #: Seats whose stream was cancelled while it was running.
    cancelled: list[str] = field(default_factory=list)
    #: Seats whose stream generator was closed (finished, cancelled or abandoned).
    closed: list[str] = field(default_factory=list)

    def enqueue(self, seat_id: str, *replies: list[Step]) -> ScriptedGateway:
        self.replies.setdefault(seat_id, []).extend(replies)
        return self

    def messages_for(self, seat_id: str, call: int = -1) -> tuple[ChatMessage, ...]:
        """The messages a seat received in its `call`-th call (default: the last)."""
        return [c for c in self.calls if c.seat_id == seat_id][call].messages

    def calls_of(self, seat_id: str) -> int:
        return sum(1 for c in self.calls if c.seat_id == seat_id)

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        return text  # no keys in a test's tables

    def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        self.calls.append(Call(seat.id, tuple(messages), seed))
        queue = self.replies.get(seat.id)
        if not queue:
            raise AssertionError(f"no scripted reply left for seat {seat.id!r}")
        return self._play(seat.id, queue.pop(0))

    async def _play(self, seat_id: str, steps: list[Step]) -> AsyncIterator[StreamChunk]:
        usage = DEFAULT_USAGE
        try:
            for step in steps:
                if isinstance(step, str):
                    yield TextDelta(step)
                elif isinstance(step, Pause):
                    await asyncio.sleep(step.seconds)
                elif isinstance(step, WillRetry):
                    yield step
                elif isinstance(step, BaseException):
                    raise step
                elif isinstance(step, Usage):
                    usage = step
                elif step is CUT:
                    return
            yield TurnComplete(usage=usage, finish_reason="stop")
        except asyncio.CancelledError:
            self.cancelled.append(seat_id)
            raise
        finally:
            self.closed.append(seat_id)
