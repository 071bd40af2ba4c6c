"""The `roundtable` command: the GUI by default, subcommands for headless work.

Every command ends through `roundtable.cli.exits` (exit codes listed there). This
module only assembles the commands, so nothing imports it back. Heavy imports (the
engine, storage, litellm) wait inside the commands: `roundtable` alone opens the
app, and that start must stay quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from roundtable.cli.exits import exit_with
from roundtable.cli.fork import followup, fork
from roundtable.cli.importer import import_command
from roundtable.cli.options import BriefOption, DbOption, IdArgument, JsonOption
from roundtable.cli.resume import resume

app = typer.Typer(
    name="roundtable",
    help="Seat several language models at a round table and let them debate a question.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(ctx: typer.Context) -> None:
    """With no subcommand, open the desktop app."""
    if ctx.invoked_subcommand is None:
        from roundtable.cli.launch import launch_app

        raise typer.Exit(launch_app())


@app.command()
def run(
    question: Annotated[str, typer.Argument(help="The question for the table (Markdown allowed).")],
    seat: Annotated[
        list[str] | None,
        typer.Option(
            "--seat", "-s", help="A seat: MODEL or NAME=MODEL (litellm id). Repeat for more."
        ),
    ] = None,
    panel: Annotated[
        Path | None, typer.Option("--panel", "-p", help="A TOML panel file listing the seats.")
    ] = None,
    protocol: Annotated[str | None, typer.Option("--protocol", help="Debate protocol.")] = None,
    rounds: Annotated[
        int | None,
        typer.Option("--rounds", "-r", help="Maximum rounds, round 0 included (default 3)."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Share of seats that must agree to stop early.")
    ] = 1.0,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed for reproducible demo runs.")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=1.0,
            max=3600.0,
            help="Seconds a seat may stay silent (before its first word or mid-reply) "
            "before its turn is retried once, then fails (default 60).",
        ),
    ] = None,
    chair: Annotated[
        str | None,
        typer.Option(
            "--chair",
            help="Seat name: council chair ('elected' for the best ranked), mixture "
            "aggregator, or moderated judge.",
        ),
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option("--judge", help="Seat name that rates agreement on free-form answers."),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    brief: BriefOption = False,
) -> None:
    """Run one debate in the terminal and store it.

    With no --seat and no --panel, the offline demo table sits.
    """
    from roundtable.cli.run import run_command

    exit_with(
        lambda: run_command(
            question,
            seat_options=seat or [],
            panel_path=panel,
            protocol=protocol,
            rounds=rounds,
            threshold=threshold,
            seed=seed,
            db=db,
            as_json=as_json,
            show_text=not brief,
            turn_timeout_s=timeout,
            chair=chair,
            judge=judge,
        )
    )


@app.command("list")
def list_(
    search: Annotated[str | None, typer.Option("--search", "-q", help="Full-text search.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")] = 20,
    db: DbOption = None,
) -> None:
    """List stored debates, newest first (or the best matches of --search)."""
    from roundtable.cli.history import list_debates_command

    exit_with(lambda: list_debates_command(search=search, limit=limit, db=db))


@app.command()
def show(
    debate_id: IdArgument,
    db: DbOption = None,
) -> None:
    """Print a stored debate's transcript."""
    from roundtable.cli.history import show_command

    exit_with(lambda: show_command(debate_id, db=db))


@app.command()
def export(
    debate_id: IdArgument,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a stored debate as Markdown, self-contained HTML or a JSON archive."""
    from roundtable.cli.history import export_command

    exit_with(lambda: export_command(debate_id, fmt=fmt, output=output, db=db))


@app.command()
def models(
    server: Annotated[
        list[str] | None,
        typer.Option(
            "--server", help="Also ask this OpenAI-compatible server (base URL). Repeatable."
        ),
    ] = None,
) -> None:
    """List the models you can seat: providers with a key, local servers found, demo models."""
    from roundtable.cli.history import models_command

    exit_with(lambda: models_command(servers=server or []))


app.command()(fork)
app.command()(followup)
app.command()(resume)
app.command("import")(import_command)


def main() -> None:
    app()
