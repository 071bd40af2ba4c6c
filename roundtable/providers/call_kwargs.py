"""The keyword arguments of `litellm.acompletion` for one attempt of a seat's turn.

Everything a call says is decided here, once: streaming with usage, no SDK retries
(the gateway retries), the timeouts as a backstop, the seat's sampling, the
`max_tokens` it asks for (`providers.reply_limits`), where it goes and its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from roundtable.domain import ChatMessage, Seat
from roundtable.providers.endpoints import seat_endpoint
from roundtable.providers.reply_limits import max_tokens_for
from roundtable.providers.retry import Timeouts


def build_call_kwargs(
    seat: Seat,
    messages: Sequence[ChatMessage],
    *,
    api_key: str | None,
    timeouts: Timeouts,
    seed: int | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `litellm.acompletion` for one attempt of `seat`'s turn."""
    kwargs: dict[str, Any] = {
        "model": seat.model,
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_retries": 0,  # the SDK would otherwise retry twice, silently (docs/notes.md)
        "drop_params": True,  # a model that ignores temperature should still answer
    }
    if seat.is_demo:
        kwargs["timeout"] = timeouts.first_token_s + timeouts.stall_s
        if seed is not None:
            kwargs["seed"] = seed  # reproducible demo debates; real models get no seed
    else:
        import httpx

        # A backstop only: the gateway's own deadlines fire first. The connect
        # limit is what makes an unreachable host fail fast instead of at 60 s.
        backstop = timeouts.first_token_s + timeouts.stall_s
        kwargs["timeout"] = httpx.Timeout(backstop, connect=timeouts.connect_s)
    if seat.temperature is not None:
        kwargs["temperature"] = seat.temperature
    max_tokens = max_tokens_for(seat)
    if max_tokens is not None:
        kwargs["max_tokens"] = max_tokens
    endpoint = seat_endpoint(seat)
    if endpoint is not None:
        # The one answer to "where": litellm would not read OLLAMA_HOST itself.
        kwargs["api_base"] = endpoint.url
    if api_key:
        kwargs["api_key"] = api_key
    return kwargs
