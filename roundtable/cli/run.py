"""`roundtable run`: one debate, headless, in this process (DESIGN.md)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from roundtable.cli.live import TerminalView
from roundtable.cli.seats import build_spec, preflight
from roundtable.cli.summary import JsonSummary
from roundtable.domain import DebateFinished, DebateSpec, Event

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
) -> int:
    """Validate, open the database, run the debate, print it; return the exit code.

    Raises ConfigError / StorageError for bad input (exit 2) before anything is written.
    """
    from roundtable.cli.store import open_store
    from roundtable.storage import Recorder

    spec = build_spec(
        question,
        seat_options=seat_options,
        panel_path=panel_path,
        protocol=protocol,
        rounds=rounds,
        threshold=threshold,
        seed=seed,
    )
    preflight(spec)
    database = open_store(db)
    recorder = Recorder(database)
    console = Console(stderr=as_json, highlight=False)
    summary = JsonSummary()
    view = TerminalView(console, show_text=show_text)
    sinks: list[Callable[[Event], None]] = [recorder, summary] if as_json else [recorder, view]
    started = time.monotonic()
    try:
        # Before the debate starts, so the import is not timed as round 0's latency.
        with console.status("Starting the engine…", spinner="dots"):
            _warm_up_providers()
        terminal = asyncio.run(_run(spec, sinks))
    except KeyboardInterrupt:
        terminal = None
    finally:
        view.close()
        recorder.close()
        database.close()
    if as_json:
        sys.stdout.write(json.dumps(summary.result(time.monotonic() - started), indent=2) + "\n")
    if terminal is None:
        return EXIT_CANCELLED
    return EXIT_OK if isinstance(terminal, DebateFinished) else EXIT_FAILED


def _warm_up_providers() -> None:
    """Import litellm now (about 3 s), behind a spinner, rather than mid-round."""
    from roundtable.providers import load_litellm

    load_litellm()


async def _run(spec: DebateSpec, sinks: list[Callable[[Event], None]]) -> Event:
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)

    return await run_debate(spec, LiteLLMGateway(), emit)
