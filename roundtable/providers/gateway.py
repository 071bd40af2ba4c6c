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
- size: every call asks for `max_tokens` (the seat's, else a default: see
  `domain.reply_size`), and a reply that passes the size limit anyway is stopped
  there, its text kept, the turn incomplete (`domain.endings.TOO_LONG`);
- secrets: the reply's text is cleaned of keys as it streams
  (`providers.redaction`), before the engine (and so the database, the exports and
  the screen) sees it;
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
from roundtable.domain.endings import DEADLINE, TOO_LONG
from roundtable.domain.reply_size import MAX_REPLY_CHARS, reply_char_limit
from roundtable.providers import turn_errors
from roundtable.providers.call_kwargs import build_call_kwargs
from roundtable.providers.errors import map_exception
from roundtable.providers.key_shapes import redact_keys
from roundtable.providers.keys import resolve_api_key
from roundtable.providers.litellm_setup import load_litellm
from roundtable.providers.prices import call_cost, reported_cost
from roundtable.providers.redaction import ReplyRedactor, known_secrets
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
    #: Characters of reply text this attempt may take before it is stopped (None: any).
    char_limit: int | None = None
    chars: int = 0
    redactor: ReplyRedactor = field(default_factory=lambda: ReplyRedactor(()))


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
        reply_limit_chars: int | None = MAX_REPLY_CHARS,
    ) -> None:
        self.retry = retry or RetryPolicy()
        self.timeouts = timeouts or Timeouts()
        #: The fewest characters a reply is stopped at (more when its max_tokens
        #: allows: `domain.reply_size.reply_char_limit`); None lifts the limit.
        self.reply_limit_chars = reply_limit_chars
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
            reply_limit_chars=self.reply_limit_chars,
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
            reply_limit_chars=self.reply_limit_chars,
        )

    async def warm_up(self) -> None:
        """Import litellm now, on a worker thread, so the first turn does not pay for it."""
        await asyncio.to_thread(load_litellm)

    async def redact(self, text: str, seats: Sequence[Seat]) -> str:
        """A person's turn without any key of the table's seats (the keyring's too,
        looked up off the event loop) or of this machine's environment."""
        keys = await asyncio.to_thread(
            lambda: [resolve_api_key(seat) for seat in seats if not seat.is_human]
        )
        return redact_keys(text, known_secrets(keys))

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
        known = known_secrets(secrets)
        char_limit = self._char_limit(kwargs.get("max_tokens"))
        attempt = 1
        # Over every attempt and the waits between them: the turn as the table sees it.
        deadline = asyncio.get_running_loop().time() + self.timeouts.turn_deadline_s
        while True:
            state = _Attempt(
                started=self._clock(),
                deadline=deadline,
                char_limit=char_limit,
                redactor=ReplyRedactor(known),
            )
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
                    if held := state.redactor.finish():
                        yield TextDelta(held)
                    yield TurnComplete(usage=usage, incomplete=True, ending=DEADLINE)
                    return
                if not self.retry.should_retry(error, attempt):
                    if isinstance(error, StreamCut) and state.pieces:
                        # Half an answer the user paid for beats none: keep it, marked.
                        usage = self._usage(litellm, seat, kwargs, state)
                        if held := state.redactor.finish():
                            yield TextDelta(held)
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
            while (chunk := await self._next(chunks, seat, state, first_deadline)) is not None:
                text = self._take(chunk, state)
                if text:
                    if state.char_limit is not None and state.chars > state.char_limit:
                        for last in self._stop_too_long(litellm, seat, kwargs, state, text):
                            yield last
                        return
                    shown = state.redactor.feed(text)
                    if shown:
                        yield TextDelta(shown)
            finish_reason = watch.finish_reason(response, state.finish_reason)
            if finish_reason is None:
                not_a_stream = self._not_a_stream(seat, response, watch)
                if not_a_stream is not None:
                    raise not_a_stream
                raise self._cut(seat, state)
            if held := state.redactor.finish():
                yield TextDelta(held)
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

    async def _next(
        self, chunks: AsyncIterator[Any], seat: Seat, state: _Attempt, first_deadline: float
    ) -> Any:
        """The stream's next chunk, None at its end; the turn's timeout when the server
        stays silent too long (before its first word, or mid-reply) or the turn's
        deadline passes."""
        loop = asyncio.get_running_loop()
        speaking = state.pieces or state.thinking
        limit = loop.time() + self.timeouts.stall_s if speaking else first_deadline
        try:
            async with asyncio.timeout_at(min(limit, state.deadline)) as scope:
                return await anext(chunks)
        except StopAsyncIteration:
            return None
        except TimeoutError:
            if scope.expired():
                raise self._late(seat, state) from None
            raise

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
            state.chars += len(text)
        return text

    def _char_limit(self, max_tokens: object) -> int | None:
        """The characters a reply may take, asked for `max_tokens`; None: no limit."""
        if self.reply_limit_chars is None:
            return None
        tokens = max_tokens if isinstance(max_tokens, int) else None
        return reply_char_limit(tokens, self.reply_limit_chars)

    def _stop_too_long(
        self, litellm: ModuleType, seat: Seat, kwargs: dict[str, Any], state: _Attempt, text: str
    ) -> list[TextDelta | TurnComplete]:
        """The last of a reply that passed its size limit: the text up to the limit,
        then the turn's end, incomplete (the caller's `finally` closes the stream)."""
        assert state.char_limit is not None
        over = state.chars - state.char_limit
        kept = text[: len(text) - over]
        state.pieces[-1] = kept
        state.chars = state.char_limit
        tail = state.redactor.feed(kept) + state.redactor.finish()
        usage = self._usage(litellm, seat, kwargs, state)
        complete = TurnComplete(usage=usage, incomplete=True, ending=TOO_LONG)
        return [TextDelta(tail), complete] if tail else [complete]

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
            return turn_errors.silence(seat, self.timeouts, speaking=bool(state.pieces))
        state.over_deadline = True
        return turn_errors.deadline_passed(seat, self.timeouts)

    def _cut(self, seat: Seat, state: _Attempt) -> StreamCut:
        return turn_errors.cut(seat, words=len("".join(state.pieces).split()))

    def _not_a_stream(self, seat: Seat, response: Any, watch: StreamWatch) -> BadResponse | None:
        content_type = watch.content_type or _headers(response).get(_CONTENT_TYPE_HEADER)
        return turn_errors.not_a_stream(seat, content_type)


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
