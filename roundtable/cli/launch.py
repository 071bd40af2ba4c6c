"""`roundtable` with no subcommand: the desktop app, or a terminal demo until it exists."""

from __future__ import annotations

from rich.console import Console


def launch_app() -> int:
    try:
        from roundtable.gui.app import run_app
    except ImportError:
        return _terminal_demo()
    return run_app()


def _terminal_demo() -> int:
    from roundtable.cli.run import SAMPLE_QUESTION, run_command

    Console().print(
        "[bold]The desktop window is coming soon.[/] Meanwhile, here is the offline demo "
        "table debating a sample question in the terminal.\n"
    )
    return run_command(
        SAMPLE_QUESTION,
        seat_options=[],
        panel_path=None,
        protocol=None,
        rounds=None,
        threshold=1.0,
        seed=None,
        db=None,
        as_json=False,
        show_text=True,
    )
