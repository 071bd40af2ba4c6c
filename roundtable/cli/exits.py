"""How a command ends: its exit code, and an error said once, safely, on stderr.

Exit codes: 0 a finished debate (consensus or not) or a successful command,
1 a debate that failed, stopped at its budget, or stopped because saving failed,
2 bad usage or input (nothing is written), 130 stopped with Ctrl+C, 143 stopped
by SIGTERM (handled as Ctrl+C: `roundtable.headless.stop_signal`), 141 the reader
of the output left (`roundtable … | head`; see `roundtable.cli.closed_pipe`). The
same list ends every command's --help (`roundtable.cli.help_text`).

Every command ends through `exit_with`, so an error message (which may quote user
input or a server's reply) is printed the same way everywhere: brackets shown, not
read as Rich markup, and control characters drawn, not obeyed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import NoReturn

import typer
from rich.console import Console

from roundtable.domain import ConfigError, RoundtableError, StorageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130
#: The garbage collector's thresholds while a command runs (Python's are 700, 10, 10).
#: A command starts by importing thousands of objects' worth of modules (SQLAlchemy;
#: for a debate litellm, ~2,700 modules), and at 700 every few hundred allocations
#: start a collection, some of which walk everything imported so far: about a fifth of
#: `run`'s CPU before its first request (benchmarks/cli_startup.py). The engine keeps
#: these once litellm is loaded (`roundtable.providers.litellm_setup`).
COMMAND_GC_THRESHOLDS = (10_000, 10, 10)


def exit_stopped() -> int:
    """The code of a command a person stopped: 130 after Ctrl+C, 143 after SIGTERM."""
    from roundtable.headless.stop_signal import EXIT_TERMINATED, stopped_by_sigterm

    return EXIT_TERMINATED if stopped_by_sigterm() else EXIT_CANCELLED


def stopped_how() -> str:
    """How the command was stopped, for the message that says so."""
    from roundtable.headless.stop_signal import stopped_by_sigterm

    return "by SIGTERM" if stopped_by_sigterm() else "with Ctrl+C"


#: Where errors and notices go, so `--json` output on stdout stays one JSON object.
err = Console(stderr=True, highlight=False)


def plain(text: str) -> str:
    """`text` for a Rich markup string: brackets escaped, control characters drawn."""
    from rich.markup import escape

    from roundtable.domain.formatting import visible_controls

    return escape(visible_controls(text))


def print_error(message: str) -> None:
    err.print(f"[bold red]Error:[/] {plain(message)}", markup=True, soft_wrap=True)


def fail_usage(message: str) -> typer.Exit:
    """Say what was wrong with the input; the exit (code 2) for the caller to raise."""
    print_error(message)
    return typer.Exit(EXIT_USAGE)


def exit_with(action: Callable[[], int | None]) -> NoReturn:
    """Run a command and exit with its code (None is 0).

    A ConfigError or StorageError raised before the command wrote anything is bad
    input (exit 2); any other RoundtableError is a failure (exit 1). The garbage
    collector runs less often meanwhile (`COMMAND_GC_THRESHOLDS`).
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)
    try:
        code = action()
    except (ConfigError, StorageError) as exc:
        raise fail_usage(str(exc)) from None
    except RoundtableError as exc:
        print_error(str(exc))
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        gc.set_threshold(*thresholds)
    raise typer.Exit(code or EXIT_OK)
