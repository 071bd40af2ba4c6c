"""The `roundtable` command: the GUI by default, subcommands for headless work.

Each subcommand lives in its own module and ends through `roundtable.cli.exits`
(exit codes listed there); the commands that run a debate share
`roundtable.cli.terminal_runner`. This module only assembles them, so nothing
imports it back. Heavy imports (the engine, storage, litellm) wait inside the
commands: `roundtable` alone opens the app, and that start must stay quick.

Typer reads every command's parameters at each start. Their annotations are
evaluated when the modules are imported (no `from __future__ import annotations`
here nor in the command modules): as strings, Typer compiled and evaluated each one
twice, about 25 ms of every command.
"""

from typing import Annotated

import typer

from roundtable.cli.arguments import CheckedCommand
from roundtable.cli.db_command import db_app
from roundtable.cli.evaluate import eval_command, eval_report, evals
from roundtable.cli.exits import exit_with
from roundtable.cli.export_command import export
from roundtable.cli.fork import followup, fork
from roundtable.cli.help_text import HelpfulGroup
from roundtable.cli.importer import import_command
from roundtable.cli.manage import delete, path
from roundtable.cli.mcp_command import mcp
from roundtable.cli.options import DbOption, IdArgument
from roundtable.cli.resume import resume
from roundtable.cli.run import run

app = typer.Typer(
    name="roundtable",
    cls=HelpfulGroup,
    help="Seat several language models at a round table and let them debate a question.\n\n"
    "With no command, roundtable opens the desktop app (with no display, it runs the offline "
    "demo table in the terminal instead). The commands below work headless.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        from roundtable import __version__

        typer.echo(f"roundtable {__version__}")
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_print_version, help="Print the version and exit."
        ),
    ] = False,
    self_check: Annotated[
        bool,
        typer.Option(
            "--self-check",
            help="Check this install and exit: open the window (offscreen without a display), "
            "run a short offline demo debate through the engine and store it, all in a "
            "throwaway folder.",
        ),
    ] = False,
) -> None:
    """With no subcommand, open the desktop app."""
    del version  # handled by its callback, before any command
    if self_check:
        from roundtable.gui.self_check import run_self_check

        raise typer.Exit(run_self_check())
    if ctx.invoked_subcommand is None:
        from roundtable.cli.launch import launch_app

        raise typer.Exit(launch_app())


app.command()(run)


@app.command("list")
def list_(
    search: Annotated[
        str | None,
        typer.Option("--search", "-q", metavar="WORDS", help="Full-text search."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, metavar="N", help="How many to show.")
    ] = 20,
    page: Annotated[
        int,
        typer.Option(
            "--page", "-p", min=1, metavar="P", help="Which page of --limit debates (1: the first)."
        ),
    ] = 1,
    mine: Annotated[
        bool,
        typer.Option("--mine", help="Only the debates you started ($ROUNDTABLE_USER, else you)."),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Only the debates NAME started."),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list: each debate's id, question, result…")
    ] = False,
) -> None:
    """List stored debates, newest first (or the best matches of --search)."""

    def listed() -> None:
        # Imported here, inside exit_with: SQLAlchemy's import then runs with its
        # fewer garbage collections (`exits.COMMAND_GC_THRESHOLDS`).
        from roundtable.cli.listing import list_debates_command, started_by_option

        list_debates_command(
            search=search,
            limit=limit,
            db=db,
            as_json=as_json,
            started_by=started_by_option(mine=mine, by=by),
            page=page,
        )

    exit_with(listed)


@app.command()
def show(
    debate_id: IdArgument,
    db: DbOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object, in the shape run --json prints (and more)."
        ),
    ] = False,
) -> None:
    """Print a stored debate's transcript."""

    def shown() -> None:
        from roundtable.cli.history import show_command  # inside exit_with, as for list

        show_command(debate_id, db=db, as_json=as_json)

    exit_with(shown)


app.command()(export)


@app.command()
def models(
    server: Annotated[
        list[str] | None,
        typer.Option(
            "--server",
            metavar="URL",
            help="Also ask this OpenAI-compatible server (its base URL). Repeatable.",
        ),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object: the models, the servers asked, the records."
        ),
    ] = False,
) -> None:
    """List the models you can seat and where each was found: providers with a key, Ollama
    (OLLAMA_HOST), LM Studio, servers given by --server, OPENAI_API_BASE or
    LITELLM_PROXY_API_BASE, demo models; each with its track record from your evaluation
    runs. Exits 1 when a server you named cannot be asked."""
    from roundtable.cli.models import models_command

    exit_with(lambda: models_command(servers=server or [], db=db, as_json=as_json))


app.command()(fork)
app.command()(followup)
app.command()(resume)
app.command("import")(import_command)
app.command("eval")(eval_command)
app.command()(evals)
app.command("eval-report")(eval_report)
app.command()(mcp)
app.command()(delete)
app.command()(path)
app.add_typer(db_app)


# Every command's help: placeholders in words, the exit codes at the end; and its
# text arguments checked for bytes that are not UTF-8.
for _info in app.registered_commands:
    _info.cls = CheckedCommand


def main() -> None:
    import gc
    import sys

    from roundtable.cli.closed_pipe import EXIT_READER_LEFT, WatchedOutput

    output = WatchedOutput(sys.stdout)
    sys.stdout = output  # a TextIO in all but name
    try:
        app()
    except SystemExit:
        if output.reader_left:  # `roundtable … | head`: quietly, with the shell's code
            raise SystemExit(EXIT_READER_LEFT) from None
        raise
    finally:
        if "PySide6" not in sys.modules:
            # The command is over. The interpreter's teardown would now walk every
            # object left (SQLAlchemy's, typer's, Rich's…) with the garbage collector,
            # several times: about a quarter of `list`'s CPU. Set aside, they are left
            # to the OS (exit handlers, threads and open files are still seen to).
            # Not after the app: Qt's objects are torn down in order.
            gc.freeze()
