"""Ask the table a question: the same table choice, checks, engine and recorder as
`roundtable run`, with progress sent to the MCP client instead of a terminal.

    question, seats or a saved table --> build_spec                (headless.tables)
                                     --> preflight_async           (engine.preflight)
    engine events --> SavingRecorder (the database, as for `run`)
                  --> JsonSummary    (the shape `run --json` prints)
                  --> progress       (one notification per round)

A client that goes away mid-debate cancels the tool call; the engine then records
the debate as cancelled, which `roundtable resume` (and the app) can finish. If the
process dies first, the next start marks the debate interrupted, also resumable.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from roundtable.domain import (
    ConfigError,
    DebateFinished,
    DebateSpec,
    Event,
    RoundFinished,
    StorageError,
)
from roundtable.mcp_server.outcome import Disputes, answer_of

#: A progress report: (rounds done, rounds at most, what happened) -> sent to the client.
ReportProgress = Callable[[float, float, str], Awaitable[None]]

#: The debates this process started and did not see to an end: after the server is
#: stopped (Ctrl+C, SIGTERM) these are stored as cancelled, and said with `resume`.
_UNFINISHED: set[str] = set()


def unfinished_debates() -> list[str]:
    """The ids of the debates this server started that were stopped before their end."""
    return sorted(_UNFINISHED)


@dataclass(frozen=True, slots=True)
class SeatChoice:
    """One seat: a model id as litellm spells it, optionally a name and a server."""

    model: str
    name: str | None = None
    api_base: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """What the client asked: the question and the table that should answer it."""

    text: str
    seats: Sequence[SeatChoice | str] = ()
    panel: str | None = None
    protocol: str | None = None
    rounds: int | None = None
    budget_usd: float | None = None


NO_TABLE = (
    "No table was named: give seats (model ids such as openai/gpt-4o, or NAME=MODEL) or "
    "the name of a saved table as panel. For the offline demo table, give the seats "
    "demo/ada, demo/basil and demo/cyra."
)


def spec_of(question: Question) -> DebateSpec:
    """The debate the client asked for, built as `roundtable run` builds it; ConfigError
    (the CLI's message) for a table or option that cannot be."""
    from roundtable.headless.tables import build_spec

    if not question.seats and not question.panel:
        raise ConfigError(NO_TABLE)
    choices = [_as_choice(seat) for seat in question.seats]
    spec = build_spec(
        question.text,
        seat_options=[f"{c.name}={c.model}" if c.name else c.model for c in choices],
        panel_path=Path(question.panel) if question.panel else None,
        protocol=question.protocol,
        rounds=question.rounds,
        threshold=1.0,
        seed=None,
        budget_usd=question.budget_usd,
    )
    if not choices:
        return spec
    # A server named for a seat, as a panel file's api_base would be.
    seats = tuple(
        replace(seat, api_base=choice.api_base) if choice.api_base else seat
        for seat, choice in zip(spec.seats, choices, strict=True)
    )
    return replace(spec, seats=seats)


def _as_choice(seat: SeatChoice | str) -> SeatChoice:
    if isinstance(seat, SeatChoice):
        return seat
    name, sep, model = seat.partition("=")
    return SeatChoice(model=model, name=name) if sep else SeatChoice(model=seat)


async def check(spec: DebateSpec) -> None:
    """Every check `run` makes before a model is called (keys, servers); ConfigError."""
    from roundtable.engine.preflight import preflight_async
    from roundtable.headless.checks import people

    await preflight_async(spec)
    if names := people(spec):
        raise ConfigError(
            f"{', '.join(names)} is a person's seat, and an MCP client has no way to ask "
            "them; seat a model instead, or run the debate in the app or the terminal."
        )


async def ask(question: Question, db: str | None, report: ReportProgress) -> dict[str, Any]:
    """Run and record the debate; the answer (`outcome.answer_of`)."""
    from roundtable.headless.stores import open_store
    from roundtable.headless.summaries import JsonSummary
    from roundtable.storage import SavingRecorder

    spec = spec_of(question)
    await check(spec)
    if not all(seat.is_demo for seat in spec.seats):
        # Now, on a thread, rather than mid-round (about 3 s the first time).
        from roundtable.providers import load_litellm

        await asyncio.to_thread(load_litellm)
    database = open_store(db)
    recorder = SavingRecorder(database)
    summary, disputes = JsonSummary(), Disputes()
    debate_ids: set[str] = set()

    def remember_id(event: Event) -> None:
        debate_ids.add(event.debate_id)
        _UNFINISHED.add(event.debate_id)

    started = time.monotonic()
    try:
        await _run(spec, [recorder, summary, disputes, remember_id], report)
    except StorageError:
        if recorder.failure is None:
            raise
    finally:
        recorder.close()
        database.close()
    _UNFINISHED.difference_update(debate_ids)  # not reached when the debate is cancelled
    if recorder.failure is not None:  # the disk filled up mid-debate, or the like
        raise StorageError(recorder.stopped_message())
    return answer_of(summary, time.monotonic() - started, disputes)


async def _run(
    spec: DebateSpec, sinks: list[Callable[[Event], None]], report: ReportProgress
) -> None:
    """The debate through the providers; each finished round reported as it ends.

    The engine's sinks are called synchronously, so rounds go through a queue to a
    task that sends them (sending awaits the client)."""
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway

    rounds: asyncio.Queue[RoundFinished | DebateFinished | None] = asyncio.Queue()

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)
        if isinstance(event, RoundFinished | DebateFinished):
            rounds.put_nowait(event)

    async def send_progress() -> None:
        while (event := await rounds.get()) is not None:
            if isinstance(event, DebateFinished):  # the bar full, even when it ended early
                await report(spec.max_rounds, spec.max_rounds, finished_message(event))
            else:
                await report(event.round + 1, spec.max_rounds, round_message(event, spec))

    gateway = LiteLLMGateway().with_turn_limits(spec)
    async with asyncio.TaskGroup() as group:
        group.create_task(send_progress())
        try:
            await run_debate(spec, gateway, emit)
        finally:
            rounds.put_nowait(None)


def finished_message(finished: DebateFinished) -> str:
    """ "Finished after 2 rounds: the table agreed on 391." """
    rounds = f"{finished.rounds} round{'s' if finished.rounds != 1 else ''}"
    if finished.final_answer is None:
        return f"Finished after {rounds}: no seat gave an answer."
    verdict = "the table agreed on" if finished.consensus else "no agreement; the vote chose"
    return f"Finished after {rounds}: {verdict} {finished.final_answer}."


def round_message(finished: RoundFinished, spec: DebateSpec) -> str:
    """ "Round 2 of 3: 67 % agree on 391." """
    head = f"Round {finished.round + 1} of {spec.max_rounds}"
    if finished.leader is None:
        return f"{head}: no answer yet."
    return f"{head}: {finished.agreement:.0%} agree on {finished.leader}."
