"""One answer of a seat alone (a self-consistency sample), read as the engine reads a
turn. The run's limit on calls in flight is the engine's one mechanism for it
(`engine.server_queue.QueuedGateway`)."""

from __future__ import annotations

from collections.abc import Sequence

from roundtable.domain import (
    Answer,
    ChatMessage,
    ProviderError,
    Seat,
    TextDelta,
    TurnComplete,
    Usage,
    WillRetry,
)
from roundtable.engine.gateway import Gateway, close_stream
from roundtable.engine.parsing import parse_answer


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
