"""Debates that start from another one: forks, follow-ups and resumes.

All three run through `run_debate(..., continuation=...)`; this module plans them
from stored values (a spec and an event log) without touching storage:

- a fork copies the logged events of rounds 0..N-1 of its parent (re-stamped with
  the fork's id and sequence numbers), then the engine plays round N on with a
  changed table: removed seats sit out (`DebateSpec.sitting_out`, since their copied
  turns stay in the transcript), added seats join and read the discussion so far;
- a follow-up asks the same table a new question, its thread's earlier questions
  and final answers in front of every seat's first prompt (`DebateSpec.context`);
- a resume replays a cancelled or interrupted debate's own complete rounds in place
  (same id, same sequence numbers) and plays the rest; the incomplete round's
  partial turns are dropped and the round is played again.

Copied turns are the parent's exactly (text, answer, usage, failures); only the
debate id, `seq` and, for a fork, `at` change. A copy happened in the fork's
stream when the fork was made, which keeps every debate's stream in time order;
the original times stay in the parent.

Front ends ask `roundtable.engine.continuation_service` for a plan rather than call
these builders: the service adds the checks and refusals every front end shares.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from roundtable.domain import (
    ChatMessage,
    ConfigError,
    ConsensusReached,
    DebateSpec,
    DebateStarted,
    Event,
    Exchange,
    RoundFinished,
    RoundStarted,
    Seat,
    TurnFailed,
    TurnFinished,
    TurnRetrying,
    TurnStarted,
)
from roundtable.domain.panel import default_name, distinct_name, slug
from roundtable.engine.prompts import render_prompt
from roundtable.engine.protocols import get_protocol
from roundtable.engine.transcript import SeatFailure, Transcript, TurnRecord

FORK = "fork"
FOLLOWUP = "followup"
#: How many earlier exchanges of a follow-up thread every seat is shown (the latest ones).
MAX_CONTEXT_EXCHANGES = 5

#: The logged events that make up a round; a copy takes these and nothing else
#: (`ConsensusReached` is a decision about the debate, which the copy goes on past).
ROUND_EVENTS = (RoundStarted, TurnStarted, TurnRetrying, TurnFinished, TurnFailed, RoundFinished)


@dataclass(frozen=True, slots=True)
class Continuation:
    """What a debate starts from instead of from nothing.

    `rounds` are the logged events of complete rounds 0..N-1, taken from any debate;
    the engine goes on from round N. `parent_id`, `relation` and `forked_from_round`
    go into the `DebateStarted`. `in_place` is a resume: the events are this debate's
    own, so they keep their `seq` and `at`, and the `DebateStarted` keeps `started_at`.
    """

    rounds: tuple[Event, ...] = ()
    parent_id: str | None = None
    relation: str = FORK
    forked_from_round: int | None = None
    in_place: bool = False
    started_at: datetime | None = None

    @property
    def first_round(self) -> int:
        """The round the engine plays first (the number of rounds copied)."""
        return sum(1 for event in self.rounds if isinstance(event, RoundFinished))


@dataclass(frozen=True, slots=True)
class ResumePlan:
    """How to resume a debate in place: keep its log up to `through_seq`, go on from there."""

    continuation: Continuation
    through_seq: int

    @property
    def first_round(self) -> int:
        return self.continuation.first_round


# ------------------------------------------------------------------ reading a log
def completed_rounds(events: Iterable[Event]) -> int:
    """How many rounds, counting from round 0 without a gap, have their RoundFinished."""
    finished = {event.round for event in events if isinstance(event, RoundFinished)}
    count = 0
    while count in finished:
        count += 1
    return count


def round_events(events: Sequence[Event], rounds: int) -> tuple[Event, ...]:
    """The logged events of rounds 0..rounds-1 in log order; ConfigError if one is missing."""
    done = completed_rounds(events)
    if rounds > done:
        raise ConfigError(
            f"Round {rounds} of that debate did not complete (it has {done} complete "
            f"round{'' if done == 1 else 's'}); copy at most {done}."
        )
    return tuple(e for e in events if isinstance(e, ROUND_EVENTS) and e.round < rounds)


def check_continuation(spec: DebateSpec, continuation: Continuation) -> None:
    """ConfigError when the copied rounds do not fit the table: every seat that spoke in
    them must be at the table (a removed seat sits out, it does not vanish)."""
    ids = {seat.id for seat in spec.seats}
    strangers = sorted({e.seat_id for e in continuation.rounds if isinstance(e, TurnStarted)} - ids)
    if strangers:
        raise ConfigError(
            f"The copied rounds have turns of seats that are not at the table "
            f"({', '.join(strangers)}); keep them as seats that sit out instead."
        )
    rounds = continuation.first_round
    if completed_rounds(continuation.rounds) != rounds:
        raise ConfigError("The copied rounds must be rounds 0, 1, 2… each complete.")


def replay_into(transcript: Transcript, events: Iterable[Event]) -> None:
    """Rebuild what the protocols read from copied events, as the runner built it live."""
    for event in events:
        match event:
            case RoundStarted():
                while len(transcript.rounds) <= event.round:
                    transcript.start_round()
            case TurnFinished() if not event.passed:
                transcript.add_turn(
                    TurnRecord(
                        event.seat_id,
                        event.round,
                        event.text,
                        event.answer,
                        event.usage,
                        incomplete=event.incomplete,
                        ending=event.ending,
                    )
                )
            case TurnFailed():
                transcript.add_failure(
                    SeatFailure(event.seat_id, event.round, event.error_kind, event.message)
                )
            case _:
                pass


def restamp(event: Event, debate_id: str, seq: int, at: datetime | None) -> Event:
    """A copy of `event` in another debate's stream (its `at` kept when `at` is None)."""
    changes: dict[str, object] = {"debate_id": debate_id, "seq": seq}
    if at is not None:
        changes["at"] = at
    return dataclasses.replace(event, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------ forks
def fork_spec(
    parent: DebateSpec,
    parent_events: Sequence[Event],
    *,
    from_round: int,
    add: Sequence[Seat] = (),
    drop: Sequence[str] = (),
    max_rounds: int | None = None,
) -> tuple[DebateSpec, Continuation]:
    """The spec and copied rounds of a fork that plays `from_round` (0-based) on.

    `drop` names seats (name or id, any case) that sit out from `from_round`; `add`
    seats join then (their ids made unique at this table).
    """
    done = completed_rounds(parent_events)
    if not 0 <= from_round <= done:
        raise ConfigError(
            f"Cannot fork from round {from_round + 1}: the debate has {done} complete "
            f"round{'' if done == 1 else 's'}, so fork from round 1 to {done + 1}."
        )
    copied = round_events(parent_events, from_round)
    spoke = {e.seat_id for e in copied if isinstance(e, TurnStarted)}
    dropped = {_find_seat(parent, name).id for name in drop}
    already = dropped & set(parent.sitting_out)
    if already:
        raise ConfigError(f"{', '.join(sorted(already))} already sit(s) out of this debate.")
    # A dropped seat with turns in the copied rounds stays listed (its turns are part of
    # the transcript) and sits out; one that never spoke simply leaves the table.
    seats = [seat for seat in parent.seats if seat.id in spoke or seat.id not in dropped]
    seats += _joining(seats, add)
    rounds = max_rounds if max_rounds is not None else max(parent.max_rounds, from_round + 1)
    if rounds <= from_round:
        raise ConfigError(
            f"A fork from round {from_round + 1} needs at least {from_round + 1} rounds, "
            f"not {rounds}."
        )
    spec = dataclasses.replace(
        parent,
        seats=tuple(seats),
        max_rounds=rounds,
        sitting_out=tuple(
            seat.id for seat in seats if seat.id in dropped or seat.id in parent.sitting_out
        ),
    )
    return spec, Continuation(rounds=copied, forked_from_round=from_round, relation=FORK)


def _find_seat(spec: DebateSpec, name: str) -> Seat:
    wanted = name.strip().casefold()
    for seat in spec.seats:
        if wanted in (seat.id.casefold(), seat.name.casefold()):
            return seat
    names = ", ".join(f"{seat.name} ({seat.id})" for seat in spec.seats)
    raise ConfigError(f"No seat named {name!r} at that table. The seats are: {names}.")


def _joining(table: Sequence[Seat], seats: Sequence[Seat]) -> list[Seat]:
    """`seats` with ids and names that no seat at `table` (nor an earlier one of them)
    has: the same model added twice is "ada" and "ada (2)", as everywhere else."""
    used = {seat.id for seat in table}
    names = [seat.name for seat in table]
    result = []
    for seat in seats:
        name = distinct_name(seat.name or default_name(seat.model), names)
        names.append(name)
        base = slug(seat.id or name)
        seat_id, n = base, 1
        while seat_id in used:
            n += 1
            seat_id = f"{base}-{n}"
        used.add(seat_id)
        result.append(dataclasses.replace(seat, id=seat_id, name=name))
    return result


# ------------------------------------------------------------------ follow-ups
def followup_spec(
    parent: DebateSpec,
    *,
    parent_id: str,
    question: str,
    answer: str | None,
    consensus: bool,
) -> tuple[DebateSpec, Continuation]:
    """A new question to the table that answered `parent`, its thread kept as context.

    Seats that sat out the parent's last rounds stay away (they stay on the table,
    sitting out, so every seat keeps its place and its colour from the parent); the
    rest sit again, seats that failed included (what failed may have been fixed since).
    """
    exchange = Exchange(
        question=parent.question, answer=answer, consensus=consensus, debate_id=parent_id
    )
    spec = dataclasses.replace(
        parent,
        question=question.strip(),
        title="",
        seats=parent.seats,
        sitting_out=parent.sitting_out,
        context=(*parent.context, exchange)[-MAX_CONTEXT_EXCHANGES:],
    )
    return spec, Continuation(parent_id=parent_id, relation=FOLLOWUP)


def context_block(spec: DebateSpec) -> str:
    """The thread a follow-up continues, as every seat reads it before the question."""
    exchanges = [
        {
            # Quoted, so no line of an earlier question can pass for a prompt's own lines.
            "question": _quoted(exchange.question),
            "answer": exchange.answer,
            "consensus": exchange.consensus,
        }
        for exchange in spec.context
    ]
    return render_prompt("followup_context", exchanges=exchanges)


def with_context(spec: DebateSpec, messages: list[ChatMessage]) -> list[ChatMessage]:
    """`messages` with a follow-up's thread in front of the first user message."""
    if not spec.context:
        return messages
    for index, message in enumerate(messages):
        if message.role == "user":
            framed = ChatMessage("user", f"{context_block(spec)}\n\n{message.content}")
            return [*messages[:index], framed, *messages[index + 1 :]]
    return messages


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


# ------------------------------------------------------------------ resumes
def resume_plan(events: Sequence[Event]) -> ResumePlan:
    """How to resume the debate whose whole log is `events`: its complete rounds are
    kept, the rest (an incomplete round's partial turns, the end) is dropped."""
    if not events or not isinstance(events[0], DebateStarted):
        raise ConfigError("This debate's log does not start with its DebateStarted.")
    started = events[0]
    done = completed_rounds(events)
    limit = get_protocol(started.spec.protocol).rounds(started.spec)
    stopped_there = any(isinstance(e, ConsensusReached) and e.round == done - 1 for e in events)
    # Stopped between its last round's end and its final answer: play that round again
    # rather than guess a decision that was never recorded.
    if done and (done >= limit or stopped_there):
        done -= 1
    kept = round_events(events, done)
    continuation = Continuation(
        rounds=kept,
        parent_id=started.parent_id,
        relation=started.relation,
        forked_from_round=started.forked_from_round,
        in_place=True,
        started_at=started.at,
    )
    return ResumePlan(continuation, through_seq=kept[-1].seq if kept else started.seq)
