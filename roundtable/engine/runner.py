"""Run one debate: fan the seats of each round out concurrently and emit its events.

`run_debate` turns a `DebateSpec` into the event stream of `roundtable.domain.events`
(DebateStarted first, seq 0, 1, 2, ..., exactly one terminal event last) and
returns the terminal event. The protocol decides who speaks and what they see;
this module owns what all protocols share:

- every seat of a round streams at once (one `asyncio.TaskGroup` per round, so no
  task outlives its round); a round ends when its slowest seat does;
- streamed text is coalesced per turn into `TurnDelta` events at most every
  `coalesce_s` seconds, and no text waits much longer than that;
- a `ProviderError` takes the seat out of the debate (`TurnFailed`); the debate goes
  on while at least two seats stand;
- cancelling the task cancels every stream, flushes the text already received, emits
  `DebateCancelled` and re-raises `CancelledError`;
- a bug in the engine emits `DebateFailed(error_kind="internal")` and re-raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import math
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TypeVar, cast

from roundtable.domain import (
    ChatMessage,
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    ProviderError,
    RoundFinished,
    RoundStarted,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    TurnDelta,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
    Usage,
    WillRetry,
)
from roundtable.domain.events import BaseEvent
from roundtable.engine.gateway import Gateway
from roundtable.engine.parsing import parse_answer
from roundtable.engine.protocols import DebateProtocol, get_protocol
from roundtable.engine.transcript import SeatFailure, Transcript, TurnRecord
from roundtable.engine.validate import validate_spec

E = TypeVar("E", bound=BaseEvent)


async def run_debate(
    spec: DebateSpec,
    gateway: Gateway,
    emit: Callable[[Event], None],
    *,
    debate_id: str | None = None,
    coalesce_s: float = 0.04,
) -> Event:
    """Run the debate described by `spec`, passing each event to `emit` as it happens.

    Returns the terminal event (`DebateFinished` or `DebateFailed`). Raises
    `ConfigError` before emitting anything when the spec is invalid; re-raises
    `CancelledError` after emitting `DebateCancelled`.
    """
    validate_spec(spec)
    run = _DebateRun(
        spec=spec,
        gateway=gateway,
        protocol=get_protocol(spec.protocol),
        emit=_Emitter(debate_id or uuid.uuid4().hex, emit),
        coalesce_s=coalesce_s,
    )
    return await run.run()


class _Emitter:
    """Stamps events with the debate id and the next sequence number, then emits them."""

    def __init__(self, debate_id: str, sink: Callable[[Event], None]) -> None:
        self.debate_id = debate_id
        self._sink = sink
        self._seq = 0

    def __call__(self, cls: type[E], **fields: Any) -> E:
        event = cls(debate_id=self.debate_id, seq=self._seq, **fields)
        self._seq += 1
        self._sink(cast(Event, event))
        return event


class _Coalescer:
    """Batches one turn's text deltas into `TurnDelta` events.

    The first delta goes out at once; later ones wait until `interval` has passed
    since the last event, and a timer makes sure a stream that pauses still shows
    what it has sent. A timer callback cannot raise into the turn, so an error in
    the sink is kept and raised on the turn's next call.
    """

    def __init__(self, emit: _Emitter, round_number: int, seat_id: str, interval: float):
        self._emit = emit
        self._round = round_number
        self._seat_id = seat_id
        self._interval = interval
        self._loop = asyncio.get_running_loop()
        self._pending: list[str] = []
        self._last = -math.inf
        self._timer: asyncio.TimerHandle | None = None
        self._error: Exception | None = None

    def add(self, text: str) -> None:
        self._raise_kept_error()
        self._pending.append(text)
        if self._loop.time() - self._last >= self._interval:
            self.flush()
        elif self._timer is None:
            self._timer = self._loop.call_at(self._last + self._interval, self._on_timer)

    def flush(self) -> None:
        self._cancel_timer()
        self._raise_kept_error()
        if self._pending:
            text = "".join(self._pending)
            self._pending.clear()
            self._last = self._loop.time()
            self._emit(TurnDelta, round=self._round, seat_id=self._seat_id, text=text)

    def discard(self) -> None:
        """Forget text not yet emitted (the attempt it belongs to failed)."""
        self._cancel_timer()
        self._pending.clear()

    def close(self) -> None:
        self._cancel_timer()

    def _on_timer(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception as exc:  # kept for the turn's task, which can raise it
            self._error = exc

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _raise_kept_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error


class _DebateRun:
    def __init__(
        self,
        *,
        spec: DebateSpec,
        gateway: Gateway,
        protocol: DebateProtocol,
        emit: _Emitter,
        coalesce_s: float,
    ) -> None:
        self.spec = spec
        self.gateway = gateway
        self.protocol = protocol
        self.emit = emit
        self.coalesce_s = coalesce_s
        self.transcript = Transcript(spec)

    async def run(self) -> Event:
        try:
            self.emit(DebateStarted, spec=self.spec)
            return await self._run_rounds()
        except asyncio.CancelledError:
            self.emit(DebateCancelled)
            raise
        except Exception as exc:
            leaf = _first_leaf(exc)
            # The sink itself may be what failed; the original error matters more.
            with contextlib.suppress(Exception):
                self.emit(
                    DebateFailed,
                    error_kind="internal",
                    message=(
                        f"The debate engine hit an internal error ({type(leaf).__name__}: "
                        f"{leaf}). This is a bug in Roundtable; please report it."
                    ),
                )
            if leaf is exc:
                raise
            raise leaf from exc

    async def _run_rounds(self) -> Event:
        transcript = self.transcript
        last = self.protocol.rounds(self.spec) - 1
        for round_number in range(last + 1):
            transcript.start_round()
            speakers = self.protocol.speakers(round_number, transcript)
            # Every speaker's messages are built before anyone speaks: a round is simultaneous.
            conversations = {
                seat.id: self.protocol.messages(seat, round_number, transcript) for seat in speakers
            }
            self.emit(RoundStarted, round=round_number, seat_ids=tuple(s.id for s in speakers))
            await self._run_round(round_number, speakers, conversations)

            vote = self.protocol.count(round_number, transcript)
            self.emit(
                RoundFinished,
                round=round_number,
                tally=vote.tally,
                agreement=vote.agreement,
                leader=vote.leader_display,
            )
            if len(transcript.standing) < 2:
                return self.emit(
                    DebateFailed, error_kind="not_enough_seats", message=self._not_enough_seats()
                )
            consensus = self.protocol.is_consensus(vote, self.spec)
            if consensus and vote.leader is not None:
                self.emit(
                    ConsensusReached,
                    round=round_number,
                    answer=vote.leader.display,
                    value=vote.leader.value,
                )
            if consensus or round_number == last:
                stop = True
            else:
                stop = self.protocol.stop_after(round_number, vote, transcript)
            if stop:
                decision = self.protocol.decide(round_number, vote, transcript, consensus=consensus)
                return self.emit(
                    DebateFinished,
                    final_answer=decision.answer.display if decision.answer else None,
                    consensus=decision.consensus,
                    rule=decision.rule,
                    tally=decision.tally,
                    usage=transcript.usage(),
                    rounds=round_number + 1,
                )
        raise AssertionError("a protocol must run at least one round")

    async def _run_round(
        self,
        round_number: int,
        speakers: Sequence[Seat],
        conversations: dict[str, list[ChatMessage]],
    ) -> None:
        for seat in speakers:
            self.emit(TurnStarted, round=round_number, seat_id=seat.id)
        async with asyncio.TaskGroup() as group:
            for seat in speakers:
                group.create_task(self._run_turn(seat, round_number, conversations[seat.id]))

    async def _run_turn(self, seat: Seat, round_number: int, messages: list[ChatMessage]) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        first_token_s: float | None = None
        parts: list[str] = []  # text of the current attempt
        complete: TurnComplete | None = None
        coalescer = _Coalescer(self.emit, round_number, seat.id, self.coalesce_s)
        stream: AsyncIterator[StreamChunk] | None = None
        try:
            stream = self.gateway.stream(seat, messages, seed=self.spec.seed)
            async for chunk in stream:
                if isinstance(chunk, TextDelta):
                    if not chunk.text:
                        continue
                    if first_token_s is None:
                        first_token_s = loop.time() - started
                    parts.append(chunk.text)
                    coalescer.add(chunk.text)
                elif isinstance(chunk, WillRetry):
                    coalescer.discard()
                    parts.clear()
                    self.emit(
                        TurnRetrying,
                        round=round_number,
                        seat_id=seat.id,
                        attempt=chunk.attempt,
                        delay_s=chunk.delay_s,
                        error_kind=chunk.error.kind,
                        message=str(chunk.error),
                    )
                elif isinstance(chunk, TurnComplete):
                    complete = chunk
                    break
            coalescer.flush()
        except ProviderError as error:
            coalescer.flush()
            self._seat_failed(seat, round_number, error, "".join(parts))
            return
        except BaseException:
            # Cancelled (or a bug): the text already received is still shown, then let it go.
            with contextlib.suppress(Exception):
                coalescer.flush()
            raise
        finally:
            coalescer.close()
            if stream is not None:
                await _close_stream(stream)

        text = "".join(parts)
        usage = complete.usage if complete is not None else Usage(cost_usd=None)
        if usage.latency_s == 0.0:
            usage = dataclasses.replace(usage, latency_s=loop.time() - started)
        if usage.first_token_s is None and first_token_s is not None:
            usage = dataclasses.replace(usage, first_token_s=first_token_s)
        answer = parse_answer(text)
        # A stream that ended without its TurnComplete was cut: keep what arrived.
        incomplete = complete is None
        self.emit(
            TurnFinished,
            round=round_number,
            seat_id=seat.id,
            text=text,
            answer=answer,
            usage=usage,
            incomplete=incomplete,
        )
        self.transcript.add_turn(
            TurnRecord(seat.id, round_number, text, answer, usage, incomplete=incomplete)
        )

    def _seat_failed(self, seat: Seat, round_number: int, error: ProviderError, text: str) -> None:
        self.emit(
            TurnFailed,
            round=round_number,
            seat_id=seat.id,
            error_kind=error.kind,
            message=str(error),
            partial_text=text,
        )
        self.transcript.add_failure(SeatFailure(seat.id, round_number, error.kind, str(error)))

    def _not_enough_seats(self) -> str:
        standing = self.transcript.standing
        names = ", ".join(seat.name for seat in standing) or "none"
        failures = "; ".join(
            f"{self.spec.seat(f.seat_id).name} in round {f.round + 1} ({f.error_kind}): {f.message}"
            for f in self.transcript.failures.values()
        )
        return (
            f"Only {len(standing)} seat{'s' if len(standing) != 1 else ''} left standing "
            f"({names}); a debate needs at least two. Failed: {failures}. "
            "Fix the failing models (key, server, model name) or seat others, then run it again."
        )


async def _close_stream(stream: AsyncIterator[StreamChunk]) -> None:
    """Close an async generator so its own clean-up (the HTTP call) runs now."""
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()


def _first_leaf(error: BaseException) -> BaseException:
    """The first real exception inside (possibly nested) exception groups."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error
