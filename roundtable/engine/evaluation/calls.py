"""An evaluation's model calls: one limit shared by every call of the run, and one
answer of a seat alone (a self-consistency sample), read as the engine reads a turn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from roundtable.domain import (
    Answer,
    ChatMessage,
    ProviderError,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    Usage,
    WillRetry,
)
from roundtable.engine.gateway import Gateway, close_stream
from roundtable.engine.parsing import parse_answer


class LimitedGateway:
    """A gateway whose streams wait for one of `limit` slots shared by the whole run.

    The slot is held for the whole streamed turn, retries included: a provider counts
    requests in flight, and a retry is one. `in_flight` and `peak` are for tests and
    the benchmark.
    """

    def __init__(self, gateway: Gateway, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"the concurrency limit must be at least 1, not {limit}")
        self._gateway = gateway
        self._slots = asyncio.Semaphore(limit)
        self.in_flight = 0
        self.peak = 0

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        async with self._slots:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            try:
                stream = self._gateway.stream(seat, messages, seed=seed)
                try:
                    async for chunk in stream:
                        yield chunk
                finally:
                    await close_stream(stream)  # now, not when collected: ends its HTTP call
            finally:
                self.in_flight -= 1


async def one_answer(
    gateway: Gateway, seat: Seat, messages: Sequence[ChatMessage], seed: int | None
) -> tuple[Answer | None, Usage]:
    """One answer of `seat` alone, read as the engine reads a turn; None when it failed."""
    parts: list[str] = []
    usage = Usage(cost_usd=None)
    stream = gateway.stream(seat, messages, seed=seed)
    try:
        async for chunk in stream:
            if isinstance(chunk, TextDelta):
                parts.append(chunk.text)
            elif isinstance(chunk, WillRetry):
                parts.clear()
            elif isinstance(chunk, TurnComplete):
                usage = chunk.usage
                break
    except ProviderError:
        return None, Usage()
    finally:
        await close_stream(stream)
    return parse_answer("".join(parts)), usage
