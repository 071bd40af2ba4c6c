"""`roundtable` with no subcommand: the desktop app, or the terminal demo without a display."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text


def launch_app() -> int:
    from roundtable.headless.display import unusable_display

    why = unusable_display()
    if why is not None:
        return _terminal_demo(why)
    from roundtable.gui.app import run_app

    return run_app()


def _terminal_demo(why: str) -> int:
    from roundtable.cli.run import SAMPLE_QUESTION, RunRequest, run_command

    Console(highlight=False).print(
        Text.assemble(
            ("No display found", "bold"),
            f" ({why}), so the window cannot open. Here is the offline demo table "
            "debating a sample question in the terminal instead; see ",
            ("roundtable --help", "bold"),
            " for more.\n",
        )
    )
    return run_command(RunRequest(SAMPLE_QUESTION))
