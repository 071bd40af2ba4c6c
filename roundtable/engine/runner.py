"""Run one debate: fan the seats of each round out concurrently and emit its events.

`run_debate` turns a `DebateSpec` into the event stream of `roundtable.domain.events`
(DebateStarted first, seq 0, 1, 2, ..., exactly one terminal event last) and
returns the terminal event. The protocol decides who speaks and what they see;
this module owns what all protocols share:

- every seat of a round streams at once (one `asyncio.TaskGroup` per round, so no
  task outlives its round), except that seats sharing a server take turns on it, as
  many at a time as its limit (`engine.server_queue`); a waiting seat is announced
  (`TurnQueued`, then `TurnSent`) and its latency counts from its request; a round
  ends when its slowest seat does;
- streamed text is coalesced per turn into `TurnDelta` events at most every
  `coalesce_s` seconds, and no text waits much longer than that (one seat's turn,
  streamed or asked, is played by `engine.turns`);
- a `ProviderError` takes the seat out of the debate (`TurnFailed`); the debate goes
  on while at least two seats stand;
- cancelling the task cancels every stream, flushes the text already received, emits
  `DebateCancelled` and re-raises `CancelledError`;
- a bug in the engine emits `DebateFailed(error_kind="internal")` and re-raises;
- a debate may start from copied rounds (`Continuation`: a fork, a follow-up, a
  resume; see `engine.continuation`): they are emitted first, then the engine plays on;
- a person's seat (`Seat.is_human`) is asked through `HumanInput` instead of a
  gateway, while the round's other seats stream (see `engine.human`);
- with a budget (`DebateSpec.budget_usd`), a round whose high estimate would take
  the cost past it is not started: the debate ends with `DebateCancelled` whose
  reason says so, resumable with a higher budget (see `engine.budget`).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from roundtable.domain import (
    ChatMessage,
    ConfigError,
    ConsensusReached,
    DebateCancelled,
    DebateFailed,
    DebateFinished,
    DebateSpec,
    DebateStarted,
    Event,
    RoundFinished,
    RoundStarted,
    Seat,
    StorageError,
    TurnStarted,
)
from roundtable.domain.pricing import PriceLookup
from roundtable.engine.budget import budget_stop, unpriced_problem
from roundtable.engine.continuation import Continuation, check_continuation, replay_into
from roundtable.engine.emitter import Emitter
from roundtable.engine.estimate import estimate_next_round
from roundtable.engine.gateway import Gateway
from roundtable.engine.human import HumanInput
from roundtable.engine.protocols import DebateProtocol, get_protocol
from roundtable.engine.server_queue import QueuedGateway
from roundtable.engine.transcript import Transcript
from roundtable.engine.turns import TurnRunner
from roundtable.engine.validate import validate_spec


async def run_debate(
    spec: DebateSpec,
    gateway: Gateway,
    emit: Callable[[Event], None],
    *,
    debate_id: str | None = None,
    coalesce_s: float = 0.04,
    continuation: Continuation | None = None,
    human: HumanInput | None = None,
    price: PriceLookup | None = None,
) -> Event:
    """Run the debate described by `spec`, passing each event to `emit` as it happens.

    `gateway` is queued per server with the spec's limits (`server_queue`) unless it
    already is a `QueuedGateway` (shared by debates that run at once).
    `continuation` gives rounds already played (copied from a parent, or this debate's
    own for a resume) and the debate's parent; `human` answers for seats a person
    takes; `price` prices seats for the budget (default: the providers' one price
    rule, `roundtable.providers.prices.seat_price`). Returns the terminal event
    (`DebateFinished`, `DebateFailed`, or `DebateCancelled` for a budget stop).
    Raises `ConfigError` before emitting anything when the spec is invalid or its
    budget cannot be kept; re-raises `CancelledError` after emitting `DebateCancelled`.
    """
    validate_spec(spec)
    if spec.budget_usd is not None and price is None:
        from roundtable.providers.prices import seat_price

        price = seat_price
    if price is not None:
        problem = unpriced_problem(spec, price)
        if problem is not None:
            raise ConfigError(problem)
    continuation = continuation or Continuation()
    check_continuation(spec, continuation)
    protocol = get_protocol(spec.protocol)
    if continuation.first_round >= protocol.rounds(spec) and not continuation.in_place:
        raise ConfigError(
            f"This debate runs at most {protocol.rounds(spec)} rounds, and "
            f"{continuation.first_round} are copied: nothing would be left to play."
        )
    people = [seat.name for seat in spec.active_seats if seat.is_human]
    if people and human is None:
        raise ConfigError(
            f"{', '.join(people)} is a person's seat, and nobody is here to ask them for "
            "their turn. Run it from the terminal or the app, or seat a model instead."
        )
    if not isinstance(gateway, QueuedGateway):
        gateway = QueuedGateway(gateway, spec.server_limits)
    run = _DebateRun(
        spec=spec,
        gateway=gateway,
        protocol=protocol,
        emit=Emitter(debate_id or uuid.uuid4().hex, emit),
        coalesce_s=coalesce_s,
        continuation=continuation,
        human=human,
        price=price,
    )
    return await run.run()


class _DebateRun:
    def __init__(
        self,
        *,
        spec: DebateSpec,
        gateway: Gateway,
        protocol: DebateProtocol,
        emit: Emitter,
        coalesce_s: float,
        continuation: Continuation,
        human: HumanInput | None,
        price: PriceLookup | None = None,
    ) -> None:
        self.spec = spec
        self.price = price
        self.gateway = gateway
        self.protocol = protocol
        self.emit = emit
        self.continuation = continuation
        self.transcript = Transcript(spec)
        self.turns = TurnRunner(
            spec=spec,
            gateway=gateway,
            protocol=protocol,
            emit=emit,
            coalesce_s=coalesce_s,
            human=human,
            transcript=self.transcript,
        )

    async def run(self) -> Event:
        try:
            self._start()
            return await self._run_rounds()
        except asyncio.CancelledError:
            self.emit(DebateCancelled)
            raise
        except Exception as exc:
            leaf = _first_leaf(exc)
            if isinstance(leaf, StorageError):
                # The recorder could not write (a full disk…): say so, not "a bug".
                kind, message = "storage", f"The debate stopped: {leaf}"
            else:
                kind = "internal"
                message = (
                    f"The debate engine hit an internal error ({type(leaf).__name__}: "
                    f"{leaf}). This is a bug in Roundtable; please report it."
                )
            # The sink itself may be what failed; the original error matters more.
            with contextlib.suppress(Exception):
                self.emit(DebateFailed, error_kind=kind, message=message)
            if leaf is exc:
                raise
            raise leaf from exc

    def _start(self) -> None:
        """Emit DebateStarted, then the copied rounds, rebuilding the transcript from them."""
        origin = self.continuation
        started = origin.started_at if origin.in_place else None
        self.emit(
            DebateStarted,
            spec=self.spec,
            parent_id=origin.parent_id,
            forked_from_round=origin.forked_from_round,
            relation=origin.relation,
            **({"at": started} if started is not None else {}),
        )
        copied_at = None
        for event in origin.rounds:
            if origin.in_place:
                self.emit.replay(event)
            else:
                # A copy happens in this stream when the fork is made (times stay ordered).
                copied_at = copied_at or _now()
                self.emit.copy(event, at=copied_at)
        replay_into(self.transcript, origin.rounds)

    async def _run_rounds(self) -> Event:
        transcript = self.transcript
        last = self.protocol.rounds(self.spec) - 1
        for round_number in range(self.continuation.first_round, last + 1):
            over = self._over_budget(round_number)
            if over is not None:
                return self.emit(DebateCancelled, reason=over)
            transcript.start_round()
            speakers = self.protocol.speakers(round_number, transcript)
            self.emit(RoundStarted, round=round_number, seat_ids=tuple(s.id for s in speakers))
            # A phase is simultaneous: its messages are built before any of it speaks, after
            # the phases before it (most rounds are one phase; a moderated debate's are three).
            for phase in self.protocol.phases(round_number, speakers, transcript):
                ask = self.protocol.messages
                conversations = {seat.id: ask(seat, round_number, transcript) for seat in phase}
                await self._run_round(round_number, phase, conversations)

            # The protocol's count, with a judge's rating where answers are free-form.
            vote = await self.protocol.assess(round_number, transcript, self.gateway)
            self.emit(
                RoundFinished,
                round=round_number,
                tally=vote.tally,
                agreement=vote.agreement,
                leader=vote.leader_display,
                rankings=vote.rankings,
                disputed=vote.disputed,
                judged_by=vote.judged_by,
                verdict=vote.verdict,
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

    def _over_budget(self, round_number: int) -> str | None:
        """Why round `round_number` must not start (the budget), or None to play it."""
        if self.spec.budget_usd is None or self.price is None:
            return None
        next_round = estimate_next_round(self.transcript, round_number, self.price)
        stop = budget_stop(
            self.spec.budget_usd,
            spent_usd=self.transcript.usage().cost_usd,
            next_usd=next_round.cost_usd,
            what=f"round {round_number + 1}",
        )
        return None if stop is None else stop.reason

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
                group.create_task(self.turns.run(seat, round_number, conversations[seat.id]))

    def _not_enough_seats(self) -> str:
        """Who is left, then one line per seat that failed (said once each, not run
        together into one paragraph), then what to do."""
        standing = self.transcript.standing
        count = len(standing)
        head = (
            "No seat is left standing"
            if count == 0
            else f"Only one seat is left standing ({standing[0].name})"
            if count == 1
            else f"Only {count} seats are left standing ({', '.join(s.name for s in standing)})"
        )
        lines = [f"{head}; a debate needs at least two. Failed:"]
        lines += [
            f"- {self.spec.seat(f.seat_id).name} in round {f.round + 1} ({f.error_kind}): "
            f"{f.message}"
            for f in self.transcript.failures.values()
        ]
        lines.append(
            "Fix the failing models (key, server, model name) or seat others, then run it again."
        )
        return "\n".join(lines)


def _now() -> datetime:
    return datetime.now(UTC)


def _first_leaf(error: BaseException) -> BaseException:
    """The first real exception inside (possibly nested) exception groups."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error
