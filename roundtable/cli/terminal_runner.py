"""The one terminal runner: every command that runs a debate runs it here.

`roundtable run`, `fork`, `followup` and `resume` (and any later command that runs
debates) differ only in how they make the spec; once they have it, this module
puts the same sinks around the engine, in this process (DESIGN.md):

    engine events --> SavingRecorder (the database; a failed write stops the debate)
                  --> TerminalView, or the person's TerminalHumanInput in front of it
                  --> JsonSummary instead of the view with --json

and turns the outcome into the exit code (`roundtable.cli.exits`). Terminal safety
is not done here: the view, the person's prompt and the error report draw control
characters themselves, so no sink can forget it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from roundtable.cli.closed_pipe import EXIT_READER_LEFT
from roundtable.cli.exits import EXIT_FAILED, EXIT_OK, err, exit_stopped
from roundtable.cli.human import TerminalHumanInput
from roundtable.cli.live import TerminalView
from roundtable.domain import DebateFinished, DebateSpec, Event, StorageError
from roundtable.domain.formatting import visible_controls
from roundtable.engine.continuation import FORK
from roundtable.engine.continuation_service import ContinuationPlan
from roundtable.headless.checks import people
from roundtable.headless.stop_signal import sigterm_as_ctrl_c, stopped_by_sigterm
from roundtable.headless.summaries import JsonSummary

if TYPE_CHECKING:
    from roundtable.engine.human import HumanInput
    from roundtable.storage import Database, SavingRecorder


def run_in_terminal(
    debate: DebateSpec | ContinuationPlan,
    database: Database,
    *,
    as_json: bool,
    show_text: bool,
    note: str | None = None,
    db: str | None = None,
    as_jsonl: bool = False,
) -> int:
    """Run a new debate, or continue a stored one; record it, show it; return the exit code.

    `headless.checks.check_runnable` first. A `ContinuationPlan` (`engine.continuation_service`)
    continues a stored debate; a resume's debate is reopened once the engine is
    warm, just before it runs, so a Ctrl+C during the warm-up leaves it untouched.
    `note` is printed above the debate; `db` is the person's --db, kept in the
    `resume` command suggested after Ctrl+C. With `as_json` one object is printed at
    the end; with `as_jsonl` every event as a JSON line as it happens (the engine's
    own event codec, `roundtable.domain.events`); then notes go to stderr.
    """
    from roundtable.storage import SavingRecorder

    plan: ContinuationPlan | None
    if isinstance(debate, ContinuationPlan):
        plan, spec = debate, debate.spec
    else:
        plan, spec = None, debate
    recorder = SavingRecorder(database, stored_through=plan.recorded_through if plan else None)
    console = _ReaderConsole(stderr=as_json or as_jsonl)
    summary, view = _views(plan, console, show_text=show_text)
    # A person at the table is asked on this terminal; the view waits while they type.
    human = TerminalHumanInput(console, view) if people(spec) else None
    shown: Callable[[Event], None] = human.show if human is not None else view
    output = summary if as_json else _JsonLines(console) if as_jsonl else shown
    sinks: list[Callable[[Event], None]] = [recorder, output]
    # The id the debate was stored under, for the resume command suggested after Ctrl+C.
    started_ids: list[str] = [plan.debate_id] if plan and plan.debate_id else []

    def remember_id(event: Event) -> None:
        if not started_ids:
            started_ids.append(event.debate_id)

    sinks.append(remember_id)
    started = time.monotonic()
    terminal: Event | None = None
    try:
        with sigterm_as_ctrl_c():  # `kill`, a logout: stop, store, say so, as Ctrl+C does
            # Before the debate starts, so the import is not timed as round 0's latency.
            with console.status("Starting the engine…", spinner="dots"):
                _warm_up_providers()
            if note:
                console.print(Text(visible_controls(note), style="bold"))
            # A reader gone before the debate starts leaves a stored debate as it was: a
            # resume reopens it only when it will really run.
            if not console.reader_left:
                if plan is not None and plan.in_place:
                    _reopen(database, plan)
                terminal = asyncio.run(_run(spec, sinks, plan, human, console))
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl+C, SIGTERM, the reader left
        pass
    except StorageError:
        if recorder.failure is None:  # not a failed write: bad input, said by exit_with
            raise
    finally:
        view.close()
        recorder.close()
    if as_json:
        result = summary.result(time.monotonic() - started) | _continuation_json(plan)
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if recorder.failure is not None:  # saving failed mid-debate (disk full…): a clean stop
        _report_stopped(recorder)
        return EXIT_FAILED
    if terminal is None:
        _say_how_to_resume(started_ids[0] if started_ids else None, db, console.reader_left)
        # A reader that left (`roundtable run … | head`) is not a person's Ctrl+C.
        return EXIT_READER_LEFT if console.reader_left else exit_stopped()
    return EXIT_OK if isinstance(terminal, DebateFinished) else EXIT_FAILED


def _report_stopped(recorder: SavingRecorder) -> None:
    """Say on the terminal why the debate stopped and what is kept (after a failure)."""
    head, _, rest = recorder.stopped_message().partition("\n")
    err.print(Text.assemble((visible_controls(head), "bold red"), "\n", visible_controls(rest)))


def _views(
    plan: ContinuationPlan | None, console: Console, *, show_text: bool
) -> tuple[JsonSummary, TerminalView]:
    """The --json summary and the terminal view, told which rounds a fork copied or a
    resume kept, so their totals keep those apart from this run's."""
    first_new_round = plan.first_round if plan else 0
    earlier = "kept" if plan is not None and plan.in_place else "copied"
    summary = JsonSummary(first_new_round=first_new_round)
    view = TerminalView(
        console, show_text=show_text, first_new_round=first_new_round, earlier_rounds=earlier
    )
    return summary, view


class _ReaderConsole(Console):
    """The debate's terminal, whose reader may leave (`roundtable run … | head`).

    Rich answers a closed pipe with SystemExit, which aborts the event loop in the
    middle of a turn: the debate's end is never recorded, and the worker threads the
    providers started keep the process alive for ever. Here the reader leaving stops
    the debate as Ctrl+C does (it is stored as cancelled) and nothing more is printed.
    """

    def __init__(self, *, stderr: bool) -> None:
        super().__init__(stderr=stderr, highlight=False)
        self.reader_left = False
        #: The task running the debate, once it runs.
        self.debate: asyncio.Task[Any] | None = None

    def on_broken_pipe(self) -> None:
        _silence(self.file)
        self.reader_gone()

    def reader_gone(self) -> None:
        """The reader of the debate's output left: stop the debate, print no more."""
        self.quiet = self.reader_left = True
        if self.debate is not None:
            self.debate.cancel()


def _silence(stream: IO[str]) -> None:
    """As Rich does: the interpreter's last flush at exit must not fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


class _JsonLines:
    """`--jsonl`: each event as one JSON line on stdout, flushed as it happens, so
    another program can follow the debate live."""

    def __init__(self, console: _ReaderConsole) -> None:
        self._console = console

    def __call__(self, event: Event) -> None:
        from roundtable.domain.events import event_to_json

        if self._console.reader_left:
            return
        try:
            sys.stdout.write(event_to_json(event) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _silence(sys.stdout)
            self._console.reader_gone()


def _say_how_to_resume(debate_id: str | None, db: str | None, reader_left: bool) -> None:
    """After Ctrl+C or SIGTERM, or the reader of the output leaving: which debate was
    kept, and the command that finishes it (on stderr, which is still there when
    stdout's reader left, and keeps --json's stdout one object)."""
    from roundtable.cli.hints import suggested_command

    why = "The output was closed, so the debate stopped. " if reader_left else ""
    if stopped_by_sigterm():  # else a service manager's log would only say "exited 143"
        why = "Stopped by SIGTERM. "
    if debate_id is None:
        when = "Stopped" if not why else f"{why}It stopped"
        err.print(Text(f"{when} before the debate started; nothing was stored."))
        return
    resume = suggested_command("resume", debate_id[:8], db=db)
    # Not wrapped by Rich: a command broken over two lines cannot be pasted.
    err.print(
        Text.assemble(f"{why}Debate {debate_id[:8]} is kept. Finish it with: ", (resume, "bold")),
        soft_wrap=True,
    )


def _warm_up_providers() -> None:
    """Import litellm now (about 3 s), behind a spinner, rather than mid-round."""
    from roundtable.providers import load_litellm

    load_litellm()


def _reopen(database: Database, plan: ContinuationPlan) -> None:
    """Cut a resumed debate back to the rounds it keeps and mark it running here."""
    from roundtable.storage.reopen import reopen_debate

    # A resume's plan has both.
    assert plan.debate_id is not None
    assert plan.recorded_through is not None
    reopen_debate(
        database, plan.debate_id, through_seq=plan.recorded_through, rounds=plan.first_round
    )


def _continuation_json(plan: ContinuationPlan | None) -> dict[str, Any]:
    """What `--json` adds about the debate a continuation went on from (rounds from 1)."""
    if plan is None:
        return {}
    if plan.in_place:
        return {"resumed_from_round": plan.first_round + 1}
    origin = plan.continuation
    extra: dict[str, Any] = {"parent_id": origin.parent_id, "relation": origin.relation}
    if origin.relation == FORK and origin.forked_from_round is not None:
        extra["from_round"] = origin.forked_from_round + 1
    return extra


async def _run(
    spec: DebateSpec,
    sinks: list[Callable[[Event], None]],
    plan: ContinuationPlan | None,
    human: HumanInput | None,
    console: _ReaderConsole,
) -> Event:
    from roundtable.engine import run_debate
    from roundtable.providers import LiteLLMGateway

    console.debate = asyncio.current_task()

    def emit(event: Event) -> None:
        for sink in sinks:
            sink(event)

    gateway = LiteLLMGateway().with_turn_limits(spec)
    return await run_debate(
        spec,
        gateway,
        emit,
        debate_id=plan.debate_id if plan else None,
        continuation=plan.continuation if plan else None,
        human=human,
    )
