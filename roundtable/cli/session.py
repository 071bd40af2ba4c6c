"""One debate that goes on from another, run in the terminal: fork, follow-up, resume.

The same sinks as `roundtable run` (the recorder, the live terminal view or the
`--json` summary, a person's input when one sits at the table) around
`run_debate(..., continuation=...)`, and the same exit codes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from roundtable.cli.human import TerminalHumanInput, people
from roundtable.cli.live import TerminalView
from roundtable.cli.run import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK
from roundtable.cli.summary import JsonSummary
from roundtable.domain import DebateFinished, DebateSpec, Event
from roundtable.engine.continuation import Continuation
from roundtable.engine.human import HumanInput

if TYPE_CHECKING:
    from roundtable.storage import Database


def run_in_terminal(
    spec: DebateSpec,
    *,
    database: Database,
    continuation: Continuation,
    as_json: bool,
    show_text: bool,
    debate_id: str | None = None,
    recorded_through: int | None = None,
    before_start: Callable[[], None] | None = None,
    note: str | None = None,
    extra_json: dict[str, Any] | None = None,
) -> int:
    """Run the debate, record it, print it; return the exit code.

    `recorded_through`: events up to this `seq` are already stored (a resume replays
    them for the view, not for the database). `before_start` runs once the engine is
    warm, just before the debate (a resume reopens the stored debate there, so a
    Ctrl+C during the warm-up leaves it untouched). `note` is printed above the debate.
    """
    from roundtable.storage import Recorder

    recorder = Recorder(database)

    def record(event: Event) -> None:
        if recorded_through is None or event.seq > recorded_through:
            recorder(event)

    console = Console(stderr=as_json, highlight=False)
    summary = JsonSummary()
    view = TerminalView(console, show_text=show_text)
    human = TerminalHumanInput(console, view) if people(spec) else None
    shown = human.show if human is not None else view
    sinks: list[Callable[[Event], None]] = [record, summary] if as_json else [record, shown]
    started = time.monotonic()
    try:
        with console.status("Starting the engine…", spinner="dots"):
            _warm_up_providers()
        if before_start is not None:
            before_start()
        if note:
            console.print(Text(note, style="bold"))
        terminal = asyncio.run(_run(spec, sinks, continuation, human, debate_id))
    except KeyboardInterrupt:
        terminal = None
    finally:
        view.close()
        recorder.close()
    if as_json:
        result = summary.result(time.monotonic() - started) | (extra_json or {})
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if terminal is None:
        return EXIT_CANCELLED
    return EXIT_OK if isinstance(terminal, DebateFinished) else EXIT_FAILED


def _warm_up_providers() -> None:
    """Import litellm now (about 3 s), behind a spinner, rather than mid-round."""
    from roundtable.providers import load_litellm

    load_litellm()


async def _run(
    spec: DebateSpec,
    sinks: list[Callable[[Event], None]],
    continuation: Continuation,
    human: HumanInput | None,
    debate_id: str | None,
) -> Event:
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)

    return await run_debate(
        spec,
        LiteLLMGateway().with_turn_timeout(spec.turn_timeout_s),
        emit,
        debate_id=debate_id,
        continuation=continuation,
        human=human,
    )
