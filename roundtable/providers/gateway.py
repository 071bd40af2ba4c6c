"""`LiteLLMGateway`: one seat's turn as a stream of text, retries and a final usage.

Implements the engine's `Gateway` protocol (structurally; the engine is never
imported here). Per attempt it calls `litellm.acompletion(stream=True)` and yields
each piece of text as it arrives. It owns everything the libraries underneath
would otherwise decide silently:

- retries: the SDK's own are off (`max_retries=0`); a retryable failure yields
  `WillRetry`, sleeps, and starts the turn again; the last failure is raised;
- timeouts: a first-token deadline and a stall limit between chunks, enforced
  around every await, so a server that accepts the request and then says nothing
  cannot hang a debate (streamed reasoning counts as speaking); and a deadline for
  the whole turn, so neither can one that drips a word a second: the text it sent
  is kept, the turn marked incomplete (`domain.endings.DEADLINE`);
- the end of a stream: a stream that stops without the provider's own finish
  reason was cut, even when no library raised anything and even when litellm
  reports a "stop" it made up (stream_end.py, per route);
  when the last attempt is cut too, the text it got is kept and the turn ends with
  `TurnComplete(incomplete=True)` rather than being thrown away;
- clean-up: the HTTP stream is closed in `finally`, so cancelling the consuming
  task (the user pressed Stop) closes the connection at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from roundtable.domain import (
    BadResponse,
    ChatMessage,
    DebateSpec,
    ProviderError,
    ProviderTimeout,
    Seat,
    StreamChunk,
    StreamCut,
    TextDelta,
    TurnComplete,
    Usage,
    WillRetry,
)
from roundtable.domain.endings import DEADLINE
from roundtable.providers.catalogue import provider_label
from roundtable.providers.endpoints import seat_endpoint
from roundtable.providers.errors import map_exception, scrub
from roundtable.providers.keys import resolve_api_key
from roundtable.providers.litellm_setup import load_litellm
from roundtable.providers.prices import call_cost, reported_cost
from roundtable.providers.retry import RetryPolicy, Timeouts
from roundtable.providers.stream_end import StreamWatch

Sleep = Callable[[float], Awaitable[None]]

#: How long closing a stream may take before we stop waiting for it.
_CLOSE_TIMEOUT_S = 2.0
#: Where litellm keeps the provider's response headers on a stream (prefixed
#: `llm_provider-`, in the stream's `_hidden_params["additional_headers"]`).
_CONTENT_TYPE_HEADER = "llm_provider-content-type"
#: A LiteLLM proxy's cost of the call, in USD.
_COST_HEADER = "llm_provider-x-litellm-response-cost"


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
    if seat.max_tokens is not None:
        kwargs["max_tokens"] = seat.max_tokens
    endpoint = seat_endpoint(seat)
    if endpoint is not None:
        # The one answer to "where": litellm would not read OLLAMA_HOST itself.
        kwargs["api_base"] = endpoint.url
    if api_key:
        kwargs["api_key"] = api_key
    return kwargs


@dataclass
class _Attempt:
    """What one attempt has seen so far."""

    started: float
    #: When the whole turn must end (the event loop's clock), retries included.
    deadline: float
    pieces: list[str] = field(default_factory=list)
    first_token_at: float | None = None
    finish_reason: str | None = None
    usage: Any = None
    responded: bool = False  # the HTTP response (headers) arrived
    thinking: bool = False  # reasoning tokens arrived, though no answer text yet
    header_cost: float | None = None  # a LiteLLM proxy's x-litellm-response-cost
    over_deadline: bool = False  # the turn's own deadline ended this attempt


class LiteLLMGateway:
    """The engine's `Gateway` over litellm, with our retries and timeouts."""

    def __init__(
        self,
        retry: RetryPolicy | None = None,
        timeouts: Timeouts | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clock = clock

    def with_turn_timeout(self, seconds: float | None) -> LiteLLMGateway:
        """This gateway with a debate's per-turn limit (`DebateSpec.turn_timeout_s`).

        The first-token and the stall limit both become `seconds`; None returns this
        gateway unchanged. ConfigError for a limit that is not a positive number.
        """
        if seconds is None:
            return self
        return LiteLLMGateway(
            self.retry,
            self.timeouts.for_turn(seconds),
            sleep=self._sleep,
            rng=self._rng,
            clock=self._clock,
        )

    def with_turn_limits(self, spec: DebateSpec) -> LiteLLMGateway:
        """This gateway with a debate's limits: its silence timeout
        (`DebateSpec.turn_timeout_s`) and its deadline for a whole turn
        (`DebateSpec.turn_deadline_s`). ConfigError for a limit that is not a positive
        number."""
        gateway = self.with_turn_timeout(spec.turn_timeout_s)
        if spec.turn_deadline_s is None:
            return gateway
        return LiteLLMGateway(
            self.retry,
            gateway.timeouts.with_deadline(spec.turn_deadline_s),
            sleep=self._sleep,
            rng=self._rng,
            clock=self._clock,
        )

    async def warm_up(self) -> None:
        """Import litellm now, on a worker thread, so the first turn does not pay for it."""
        await asyncio.to_thread(load_litellm)

    async def stream(
        self, seat: Seat, messages: Sequence[ChatMessage], *, seed: int | None = None
    ) -> AsyncIterator[StreamChunk]:
        """One turn of `seat`: TextDelta*, WillRetry*, then one TurnComplete.

        Raises the mapped `ProviderError` when the last attempt fails, except for a
        cut stream that had sent some text: that text is kept and the turn ends
        with `TurnComplete(incomplete=True)`.
        """
        # The 3 s import and a keyring lookup (possibly D-Bus) stay off the event loop.
        litellm = await asyncio.to_thread(load_litellm)
        api_key = await asyncio.to_thread(resolve_api_key, seat)
        secrets = (api_key,) if api_key else ()
        kwargs = build_call_kwargs(
            seat, messages, api_key=api_key, timeouts=self.timeouts, seed=seed
        )
        attempt = 1
        # Over every attempt and the waits between them: the turn as the table sees it.
        deadline = asyncio.get_running_loop().time() + self.timeouts.turn_deadline_s
        while True:
            state = _Attempt(started=self._clock(), deadline=deadline)
            try:
                async with contextlib.aclosing(
                    self._attempt(litellm, seat, kwargs, secrets, state)
                ) as chunks:
                    async for chunk in chunks:
                        yield chunk
                return
            except ProviderError as error:
                if state.over_deadline:  # no time left to try again
                    if not state.pieces:
                        raise
                    usage = self._usage(litellm, seat, kwargs, state)
                    yield TurnComplete(usage=usage, incomplete=True, ending=DEADLINE)
                    return
                if not self.retry.should_retry(error, attempt):
                    if isinstance(error, StreamCut) and state.pieces:
                        # Half an answer the user paid for beats none: keep it, marked.
                        usage = self._usage(litellm, seat, kwargs, state)
                        yield TurnComplete(usage=usage, finish_reason=None, incomplete=True)
                        return
                    raise
                delay = _readable(self.retry.delay_s(error, attempt, self._rng))
                yield WillRetry(attempt=attempt, delay_s=delay, error=error)
                await self._sleep(delay)
                attempt += 1

    async def _attempt(
        self,
        litellm: ModuleType,
        seat: Seat,
        kwargs: dict[str, Any],
        secrets: Sequence[str],
        state: _Attempt,
    ) -> AsyncGenerator[TextDelta | TurnComplete, None]:
        loop = asyncio.get_running_loop()
        first_deadline = min(loop.time() + self.timeouts.first_token_s, state.deadline)
        response: Any = None
        try:
            try:
                async with asyncio.timeout_at(first_deadline) as scope:
                    # Fresh message dicts per attempt: the library may annotate them.
                    messages = [dict(m) for m in kwargs["messages"]]
                    response = await litellm.acompletion(**{**kwargs, "messages": messages})
            except TimeoutError:
                if scope.expired():
                    raise self._late(seat, state) from None
                raise
            state.responded = True
            watch = StreamWatch(response)
            state.header_cost = reported_cost(_headers(response).get(_COST_HEADER))
            chunks = aiter(response)
            while True:
                speaking = state.pieces or state.thinking
                limit = loop.time() + self.timeouts.stall_s if speaking else first_deadline
                try:
                    async with asyncio.timeout_at(min(limit, state.deadline)) as scope:
                        chunk = await anext(chunks)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    if scope.expired():
                        raise self._late(seat, state) from None
                    raise
                text = self._take(chunk, state)
                if text:
                    yield TextDelta(text)
            finish_reason = watch.finish_reason(response, state.finish_reason)
            if finish_reason is None:
                not_a_stream = self._not_a_stream(seat, response, watch)
                if not_a_stream is not None:
                    raise not_a_stream
                raise self._cut(seat, state)
            yield TurnComplete(
                usage=self._usage(litellm, seat, kwargs, state), finish_reason=finish_reason
            )
        except ProviderError:
            raise
        except Exception as exc:
            raise map_exception(exc, seat, secrets=secrets, mid_stream=state.responded) from exc
        finally:
            if response is not None:
                await _close(response)

    def _take(self, chunk: Any, state: _Attempt) -> str:
        """Record what `chunk` carries; return its text ("" when it has none)."""
        usage = getattr(chunk, "usage", None)
        if usage is not None:
            state.usage = usage
        text = ""
        for choice in getattr(chunk, "choices", None) or ():
            if getattr(choice, "index", 0) != 0:
                continue
            delta = getattr(choice, "delta", None)
            content = getattr(delta, "content", None)
            if isinstance(content, str) and content:
                text += content
            if getattr(delta, "reasoning_content", None):
                state.thinking = True  # a reasoning model at work is not a silent server
            if getattr(choice, "finish_reason", None):
                state.finish_reason = str(choice.finish_reason)
        if text:
            if state.first_token_at is None:
                state.first_token_at = self._clock()
            state.pieces.append(text)
        return text

    def _usage(
        self, litellm: ModuleType, seat: Seat, kwargs: dict[str, Any], state: _Attempt
    ) -> Usage:
        prompt = _as_int(getattr(state.usage, "prompt_tokens", None))
        completion = _as_int(getattr(state.usage, "completion_tokens", None))
        if prompt is None:
            prompt = _count_tokens(litellm, seat.model, messages=kwargs["messages"])
        if completion is None:
            completion = _count_tokens(litellm, seat.model, text="".join(state.pieces))
        end = self._clock()
        first = state.first_token_at
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=call_cost(seat, prompt, completion, reported=_reported(state)),
            latency_s=end - state.started,
            first_token_s=None if first is None else first - state.started,
        )

    def _late(self, seat: Seat, state: _Attempt) -> ProviderTimeout:
        """The timeout that fired: the turn's deadline, or the seat's silence."""
        if asyncio.get_running_loop().time() < state.deadline:
            return self._silence(seat, state)
        state.over_deadline = True
        where = f"the server at {seat.api_base}" if seat.api_base else provider_label(seat.provider)
        return ProviderTimeout(
            f"Seat '{seat.name}' ({seat.provider or seat.model}): no complete reply from "
            f"{where} within the turn's deadline of {self.timeouts.turn_deadline_s:g} s — "
            "allow more time with --turn-deadline SECONDS.",
            seat=seat.name,
            provider=seat.provider or None,
        )

    def _silence(self, seat: Seat, state: _Attempt) -> ProviderTimeout:
        where = f"the server at {seat.api_base}" if seat.api_base else provider_label(seat.provider)
        if state.pieces:
            what = f"{where} stopped sending for {self.timeouts.stall_s:g} s mid-reply"
        else:
            what = f"no answer from {where} within {self.timeouts.first_token_s:g} s"
        return ProviderTimeout(
            f"Seat '{seat.name}' ({seat.provider or seat.model}): {what} — the model may be "
            "overloaded or the server stuck; try again, or allow more time (the turn timeout in "
            "Settings, or --timeout SECONDS).",
            seat=seat.name,
            provider=seat.provider or None,
        )

    def _cut(self, seat: Seat, state: _Attempt) -> StreamCut:
        where = f"the server at {seat.api_base}" if seat.api_base else provider_label(seat.provider)
        words = len("".join(state.pieces).split())
        return StreamCut(
            scrub(
                f"Seat '{seat.name}' ({seat.provider or seat.model}): the reply from {where} "
                f"ended after {words} words without finishing — the connection was probably "
                "cut; try again."
            ),
            seat=seat.name,
            provider=seat.provider or None,
        )

    def _not_a_stream(self, seat: Seat, response: Any, watch: StreamWatch) -> BadResponse | None:
        """The error for a 200 answer that is not an event stream (an HTML page, JSON).

        A captive portal, a proxy's error page or an api_base that points at the
        wrong path all answer 200 with something else; litellm then yields nothing
        at all. None when the answer did claim to be an event stream.
        """
        content_type = watch.content_type or _headers(response).get(_CONTENT_TYPE_HEADER)
        if not isinstance(content_type, str) or "event-stream" in content_type.lower():
            return None
        where = f"the server at {seat.api_base}" if seat.api_base else provider_label(seat.provider)
        kind = content_type.split(";")[0].strip() or "an unknown type"
        return BadResponse(
            f"Seat '{seat.name}' ({seat.provider or seat.model}): {where} answered with "
            f"{kind} instead of a streamed model reply — check that the address is "
            f"{_api_kind(seat.provider)} and that no proxy or login page is in the way.",
            seat=seat.name,
            provider=seat.provider or None,
        )


def _api_kind(provider: str | None) -> str:
    """What a seat's api_base should point at, in the words of its route."""
    if provider == "anthropic":
        return "the server's Anthropic API (its root: litellm adds /v1/messages)"
    if provider in ("gemini", "vertex_ai", "vertex_ai_beta"):
        return "the server's Gemini API (it usually ends in /v1beta)"
    return "the server's OpenAI-compatible API (it usually ends in /v1)"


async def _close(response: Any) -> None:
    """Close litellm's stream (and with it the HTTP connection), whatever state it is in."""
    close = getattr(response, "aclose", None)
    if close is None:
        return
    # Best effort: a stream that fails to close must not hide the turn's real
    # outcome, and a stuck close must not hold up a cancellation.
    with contextlib.suppress(Exception):
        async with asyncio.timeout(_CLOSE_TIMEOUT_S):
            await close()


def _headers(response: Any) -> dict[str, Any]:
    """The provider's response headers as litellm keeps them on a stream (names
    prefixed `llm_provider-`); {} when there are none."""
    hidden = getattr(response, "_hidden_params", None)
    headers = hidden.get("additional_headers") if isinstance(hidden, dict) else None
    return headers if isinstance(headers, dict) else {}


def _reported(state: _Attempt) -> float | None:
    """The call's cost as reported rather than computed by us: `usage.cost` on the
    final usage chunk first, then a LiteLLM proxy's cost header.

    litellm (1.106) fills `usage.cost` with the provider's own figure (OpenRouter's
    `usage.cost`, a proxy's header) or, when there is none, its own price-list
    cost if above 0. Its `_hidden_params["response_cost"]` is no use on a stream:
    it is computed when the stream opens, before any usage, so it reads 0.0.
    """
    from_usage = reported_cost(getattr(state.usage, "cost", None))
    return from_usage if from_usage is not None else state.header_cost


def _readable(delay: float) -> float:
    """`delay` to two significant digits: "retrying in 1.3 s", not "in 1.27194 s"."""
    return float(f"{delay:.2g}") if delay > 0 else 0.0


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _count_tokens(litellm: ModuleType, model: str, **what: Any) -> int:
    """litellm's estimate when the provider sent no usage; 0 if even that fails."""
    try:
        return int(litellm.token_counter(model=model, **what))
    except Exception:  # an estimate is optional: a turn must not fail for it
        return 0
