"""`roundtable run`: one debate, headless, in this process (DESIGN.md)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from roundtable.cli.human import TerminalHumanInput, people, refuse_people_in_json
from roundtable.cli.live import TerminalView
from roundtable.cli.seats import build_spec, preflight
from roundtable.cli.summary import JsonSummary
from roundtable.cli.terminal_text import terminal_safe
from roundtable.domain import DebateFinished, DebateSpec, Event, StorageError
from roundtable.engine.human import HumanInput

#: The question a new user is offered: Du et al.'s arithmetic task, which the demo
#: models get wrong in different ways, so the table visibly converges.
SAMPLE_QUESTION = "What is 12+17*23+4-9*14?"

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


def run_command(
    question: str,
    *,
    seat_options: list[str],
    panel_path: Path | None,
    protocol: str | None,
    rounds: int | None,
    threshold: float,
    seed: int | None,
    db: str | None,
    as_json: bool,
    show_text: bool,
    turn_timeout_s: float | None = None,
    chair: str | None = None,
    judge: str | None = None,
) -> int:
    """Validate, open the database, run the debate, print it; return the exit code.

    Raises ConfigError / StorageError for bad input (exit 2) before anything is written.
    """
    from roundtable.cli.store import SavingRecorder, open_store

    spec = build_spec(
        question,
        seat_options=seat_options,
        panel_path=panel_path,
        protocol=protocol,
        rounds=rounds,
        threshold=threshold,
        seed=seed,
        turn_timeout_s=turn_timeout_s,
        chair=chair,
        judge=judge,
    )
    preflight(spec)
    refuse_people_in_json(spec, as_json=as_json)
    database = open_store(db)
    recorder = SavingRecorder(database)
    console = Console(stderr=as_json, highlight=False)
    summary = JsonSummary()
    view = TerminalView(console, show_text=show_text)
    # A person at the table is asked on this terminal; the view waits while they type.
    human = TerminalHumanInput(console, view) if people(spec) else None
    shown = human.show if human is not None else view
    # The recorder keeps each event as it is; the terminal gets control characters drawn.
    sinks: list[Callable[[Event], None]] = (
        [recorder, summary] if as_json else [recorder, lambda event: shown(terminal_safe(event))]
    )
    started = time.monotonic()
    try:
        # Before the debate starts, so the import is not timed as round 0's latency.
        with console.status("Starting the engine…", spinner="dots"):
            _warm_up_providers()
        terminal = asyncio.run(_run(spec, sinks, human))
    except KeyboardInterrupt:
        terminal = None
    except StorageError:
        if recorder.failure is None:
            raise
        terminal = None
    finally:
        view.close()
        recorder.close()
        database.close()
    if as_json:
        sys.stdout.write(json.dumps(summary.result(time.monotonic() - started), indent=2) + "\n")
    if recorder.failure is not None:  # saving failed mid-debate (disk full…): a clean stop
        recorder.report(Console(stderr=True, highlight=False))
        return EXIT_FAILED
    if terminal is None:
        return EXIT_CANCELLED
    return EXIT_OK if isinstance(terminal, DebateFinished) else EXIT_FAILED


def _warm_up_providers() -> None:
    """Import litellm now (about 3 s), behind a spinner, rather than mid-round."""
    from roundtable.providers import load_litellm

    load_litellm()


async def _run(
    spec: DebateSpec, sinks: list[Callable[[Event], None]], human: HumanInput | None = None
) -> Event:
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)

    gateway = LiteLLMGateway().with_turn_timeout(spec.turn_timeout_s)
    return await run_debate(spec, gateway, emit, human=human)
