"""`roundtable` with no subcommand: the desktop app, or the terminal demo without a display."""

from __future__ import annotations

import os
import sys

from rich.console import Console


def launch_app() -> int:
    if not _has_display():
        return _terminal_demo()
    from roundtable.gui.app import run_app

    return run_app()


def _has_display() -> bool:
    """Whether Qt can open a window; without one Qt aborts the whole process."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the user chose a platform (offscreen, vnc, …): trust it
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True  # Windows and macOS always have a window system


def _terminal_demo() -> int:
    from roundtable.cli.run import SAMPLE_QUESTION, RunRequest, run_command

    Console().print(
        "[bold]No display found[/] (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
        "window cannot open. Here is the offline demo table debating a sample question "
        "in the terminal instead; see [bold]roundtable --help[/] for more.\n"
    )
    return run_command(RunRequest(SAMPLE_QUESTION))
