"""Play one seat's turn of a round, from its first chunk to TurnFinished or TurnFailed.

The runner (`engine.runner`) owns the debate and its rounds; this module owns what
happens to one seat inside a round, the same for every protocol:

- a model's reply is streamed from the gateway; its text is coalesced into
  `TurnDelta` events at most every `coalesce_s` seconds (`engine.emitter.Coalescer`),
  and a retry (`WillRetry`) discards the text of the failed attempt;
- a wait in a server's line is announced (`TurnQueued`, then `TurnSent`) and not
  counted in the seat's latency; the times the gateway did not report are measured here;
- a `ProviderError` takes the seat out of the debate (`TurnFailed`, with the text
  already received);
- a person's seat (`Seat.is_human`) is asked through `HumanInput` and waited for;
- a finished turn is announced with the protocol's notes on it, then added to the
  transcript that the round's protocol reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator

from roundtable.domain import (
    ChatMessage,
    DebateSpec,
    ProviderError,
    RequestSent,
    Seat,
    StreamChunk,
    TextDelta,
    TurnComplete,
    TurnFailed,
    TurnFinished,
    TurnQueued,
    TurnRetrying,
    TurnSent,
    Usage,
    WaitingForServer,
    WillRetry,
)
from roundtable.engine.continuation import with_context
from roundtable.engine.emitter import Coalescer, Emitter
from roundtable.engine.gateway import Gateway, close_stream
from roundtable.engine.human import PASS_TEXT, HumanInput, is_pass, reply_text, request_for
from roundtable.engine.parsing import parse_answer
from roundtable.engine.protocols import DebateProtocol
from roundtable.engine.transcript import SeatFailure, Transcript, TurnRecord, turn_record


@dataclasses.dataclass(frozen=True, kw_only=True)
class TurnRunner:
    """Plays the turns of one debate's seats, adding each outcome to its transcript."""

    spec: DebateSpec
    gateway: Gateway
    protocol: DebateProtocol
    emit: Emitter
    coalesce_s: float
    human: HumanInput | None
    transcript: Transcript

    async def run(self, seat: Seat, round_number: int, messages: list[ChatMessage]) -> None:
        """Play `seat`'s turn of `round_number` on `messages`, to its TurnFinished or
        TurnFailed (re-raises `CancelledError` after flushing the text received)."""
        messages = with_context(self.spec, messages)
        if seat.is_human:
            await self._run_human_turn(seat, round_number, messages)
            return
        loop = asyncio.get_running_loop()
        started = loop.time()
        first_token_s: float | None = None
        parts: list[str] = []  # text of the current attempt
        complete: TurnComplete | None = None
        coalescer = Coalescer(self.emit, round_number, seat.id, self.coalesce_s)
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
                    self._retrying(seat, round_number, chunk)
                elif isinstance(chunk, WaitingForServer):
                    self.emit(TurnQueued, round=round_number, seat_id=seat.id, server=chunk.server)
                elif isinstance(chunk, RequestSent):
                    started = loop.time()  # the wait in line is not the seat's latency
                    self.emit(TurnSent, round=round_number, seat_id=seat.id)
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
                await close_stream(stream)

        usage = _turn_usage(complete, latency_s=loop.time() - started, first_token_s=first_token_s)
        await self._finish_turn(turn_record(seat.id, round_number, "".join(parts), usage, complete))

    def _retrying(self, seat: Seat, round_number: int, retry: WillRetry) -> None:
        self.emit(
            TurnRetrying,
            round=round_number,
            seat_id=seat.id,
            attempt=retry.attempt,
            delay_s=retry.delay_s,
            error_kind=retry.error.kind,
            message=str(retry.error),
        )

    async def _finish_turn(self, record: TurnRecord) -> None:
        """Announce a finished turn with the protocol's notes on it (a capitulation flag,
        a council review's ranking), then add it to the transcript."""
        notes = await self.protocol.annotate_turn(record, self.transcript, self.gateway)
        self.emit(
            TurnFinished,
            round=record.round,
            seat_id=record.seat_id,
            text=record.text,
            answer=record.answer,
            usage=record.usage,
            incomplete=record.incomplete,
            capitulated=notes.capitulated,
            ranking=notes.ranking,
            ending=record.ending,
        )
        self.transcript.add_turn(record)

    async def _run_human_turn(
        self, seat: Seat, round_number: int, messages: list[ChatMessage]
    ) -> None:
        """Ask the person and wait, as long as it takes (cancellable like any turn)."""
        assert self.human is not None  # run_debate refuses a person's seat without input
        loop = asyncio.get_running_loop()
        started = loop.time()
        request = request_for(self.emit.debate_id, round_number, seat, self.spec.question, messages)
        try:
            reply = await self.human.ask(request)
        except ProviderError as error:  # PersonLeft: the seat leaves like a failed model
            self._seat_failed(seat, round_number, error, "")
            return
        # A person's turn costs nothing; its latency is how long they took.
        usage = Usage(latency_s=loop.time() - started)
        text = await self.gateway.redact(reply_text(reply), self.spec.seats)
        if reply.passed or not text or (is_pass(reply.text) and not reply.answer):
            # Not added to the transcript: a pass is no vote, and the others keep
            # seeing the person's last answer, if any.
            self.emit(
                TurnFinished,
                round=round_number,
                seat_id=seat.id,
                text=PASS_TEXT,
                answer=None,
                usage=usage,
                passed=True,
            )
            return
        answer = parse_answer(text)
        self.emit(
            TurnFinished, round=round_number, seat_id=seat.id, text=text, answer=answer, usage=usage
        )
        self.transcript.add_turn(TurnRecord(seat.id, round_number, text, answer, usage))

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


def _turn_usage(
    complete: TurnComplete | None, *, latency_s: float, first_token_s: float | None
) -> Usage:
    """The turn's usage as the gateway reported it, with the times measured here filled
    in where it gave none."""
    usage = complete.usage if complete is not None else Usage(cost_usd=None)
    if usage.latency_s == 0.0:
        usage = dataclasses.replace(usage, latency_s=latency_s)
    if usage.first_token_s is None and first_token_s is not None:
        usage = dataclasses.replace(usage, first_token_s=first_token_s)
    return usage
